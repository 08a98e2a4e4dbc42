import { ISignal } from '@lumino/signaling';

import { DataplaneClient } from '../client';
import { errorMessage } from '../notifications';
import { PolledModel } from '../polledModel';
import { isHTTPStatus } from '../request';
import { IDataset, IDatasetStatistics } from '../types';

/**
 * State of one dataset's details tab: its record and its statistics, refreshed every few
 * seconds until the statistics are complete (or the import failed), then left alone.
 */
export class DatasetDetailsModel extends PolledModel {
  constructor(options: DatasetDetailsModel.IOptions) {
    super(options.client, {
      auto: true,
      frequency: {
        interval: options.refreshInterval ?? 2000,
        backoff: true,
        max: 60 * 1000
      },
      name: `dataplane-jupyter:details:${options.project}/${options.dataset}`,
      standby: () => (this.settled ? true : 'when-hidden')
    });
    this.project = options.project;
    this._dataset = options.dataset;
    this._record = options.record ?? null;
  }

  /** Name of the dataset's project. */
  readonly project: string;

  /** Emitted whenever any of the state below changes. */
  get stateChanged(): ISignal<this, void> {
    return this._changed;
  }

  /** Id once known (stable across renames), else the name the tab was opened with. */
  get datasetKey(): string {
    return this._record?.id ?? this._dataset;
  }

  /** The dataset's record, null until the first answer. */
  get dataset(): IDataset | null {
    return this._record;
  }

  /** The statistics: partial while they are computed, null before the data is copied. */
  get statistics(): IDatasetStatistics | null {
    return this._statistics;
  }

  /** Whether nothing will change on its own: statistics complete, import failed, or deleted. */
  get settled(): boolean {
    const status = this._record?.status;
    return (
      this._deleted ||
      status === 'failed' ||
      (status === 'ready' && this._statistics !== null && !this._statistics.partial)
    );
  }

  /** Fetch now (also after the statistics settled, e.g. once embeddings were computed). */
  async refresh(): Promise<void> {
    await this._fetch().catch(() => undefined);
  }

  protected async _fetch(): Promise<void> {
    try {
      const record = await this.client.describeDataset(this.project, this.datasetKey);
      this._record = record;
      // while copying: a CSV's first look (estimated rows, provisional types), once stored
      if (record.status !== 'failed') {
        this._statistics = await this.client.getStatistics(this.project, record.id);
      }
      this._error = null;
    } catch (error) {
      if (isHTTPStatus(error, 404) && this._record !== null) {
        this._deleted = true;
      }
      // 409: the statistics row is written just after the status changes; the next tick has it.
      this._error = isHTTPStatus(error, 409) ? null : errorMessage(error);
      throw error;
    } finally {
      this._loading = false;
      if (!this.isDisposed) {
        this._changed.emit();
      }
    }
  }

  private _dataset: string;
  private _deleted = false;
  private _record: IDataset | null = null;
  private _statistics: IDatasetStatistics | null = null;
}

export namespace DatasetDetailsModel {
  export interface IOptions {
    client: DataplaneClient;
    project: string;
    /** Dataset name or id. */
    dataset: string;
    /** The dataset's record when the caller already has it (shown before the first refresh). */
    record?: IDataset;
    /** Milliseconds between refreshes while the statistics are being computed. */
    refreshInterval?: number;
  }
}
