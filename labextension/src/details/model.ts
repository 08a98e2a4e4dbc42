import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { DataplaneClient } from '../client';
import { errorMessage } from '../notifications';
import { isHTTPStatus } from '../request';
import { IDataset, IDatasetStatistics } from '../types';

/**
 * State of one dataset's details tab: its record and its statistics, refreshed every few
 * seconds until the statistics are complete (or the import failed), then left alone.
 */
export class DatasetDetailsModel implements IDisposable {
  constructor(options: DatasetDetailsModel.IOptions) {
    this.client = options.client;
    this.project = options.project;
    this._dataset = options.dataset;
    this._record = options.record ?? null;
    this._poll = new Poll({
      auto: true,
      factory: () => this._fetch(),
      frequency: {
        interval: options.refreshInterval ?? 2000,
        backoff: true,
        max: 60 * 1000
      },
      name: `dataplane-jupyter:details:${options.project}/${options.dataset}`,
      standby: () => (this.settled ? true : 'when-hidden')
    });
  }

  /** The REST client the model reads through. */
  readonly client: DataplaneClient;

  /** Name of the dataset's project. */
  readonly project: string;

  /** Emitted whenever any of the state below changes. */
  get stateChanged(): ISignal<this, void> {
    return this._stateChanged;
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

  /** Message of the last failed refresh, or null when it succeeded. */
  get error(): string | null {
    return this._error;
  }

  /** True until the first refresh has finished, whatever its outcome. */
  get loading(): boolean {
    return this._loading;
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

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /** Fetch now (also after the statistics settled, e.g. once embeddings were computed). */
  async refresh(): Promise<void> {
    await this._fetch().catch(() => undefined);
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll.dispose();
    Signal.clearData(this);
  }

  /** One poll tick. Rejects on failure so that the poll backs off. */
  private async _fetch(): Promise<void> {
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
        this._stateChanged.emit();
      }
    }
  }

  private _dataset: string;
  private _deleted = false;
  private _error: string | null = null;
  private _loading = true;
  private _poll: Poll;
  private _record: IDataset | null = null;
  private _statistics: IDatasetStatistics | null = null;
  private _stateChanged = new Signal<this, void>(this);
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
