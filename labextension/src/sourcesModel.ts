import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { DataplaneClient } from './client';
import { DataplaneModel } from './model';
import { errorMessage } from './notifications';
import {
  IConnector,
  IConnectorKind,
  IDatasource,
  IExporter,
  IExportRun
} from './types';

/** Whether an export run may still change (its status is worth refreshing). */
export function isActiveRun(run: Pick<IExportRun, 'status'> | null | undefined): boolean {
  return run?.status === 'queued' || run?.status === 'running';
}

/**
 * Connectors, datasources and exporters of the data model's current project.
 *
 * It follows the data model: a project switch clears and reloads the lists, and every refresh
 * of the data model (its poll while the sidebar shows, the Refresh button) refreshes them too,
 * which keeps a running export's status current. Actions call `refresh()` when they are done.
 */
export class SourcesModel implements IDisposable {
  constructor(readonly data: DataplaneModel) {
    this.client = data.client;
    data.stateChanged.connect(this._onDataChanged, this);
    data.refreshed.connect(this._onDataRefreshed, this);
  }

  /** The REST client of the data model. */
  readonly client: DataplaneClient;

  /** Emitted whenever any of the state below changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The project the lists belong to, or null when there is none. */
  get project(): string | null {
    return this._project;
  }

  /** Connector kinds with their form fields (loaded once). */
  get kinds(): readonly IConnectorKind[] {
    return this._kinds;
  }

  get connectors(): readonly IConnector[] {
    return this._connectors;
  }

  get datasources(): readonly IDatasource[] {
    return this._datasources;
  }

  get exporters(): readonly IExporter[] {
    return this._exporters;
  }

  /** False until the lists of the current project have been loaded once. */
  get loaded(): boolean {
    return this._loaded;
  }

  /** Message of the last failed refresh, or null. */
  get error(): string | null {
    return this._error;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** The description of a connector kind, if the server knows it. */
  kind(name: string): IConnectorKind | undefined {
    return this._kinds.find(kind => kind.kind === name);
  }

  /** A connector of the current project by name. */
  connector(name: string): IConnector | undefined {
    return this._connectors.find(connector => connector.name === name);
  }

  /** The history of an exporter whose history is shown, newest first. */
  runs(exporter: string): readonly IExportRun[] | undefined {
    return this._runs.get(exporter);
  }

  /** Whether an exporter's history is shown (and so refreshed). */
  isHistoryShown(exporter: string): boolean {
    return this._runs.has(exporter);
  }

  /** Show or hide an exporter's history. */
  async toggleHistory(exporter: string): Promise<void> {
    if (this._runs.delete(exporter)) {
      this._changed.emit();
      return;
    }
    this._runs.set(exporter, []);
    this._changed.emit();
    await this.refresh();
  }

  /** Reload the lists now; concurrent calls share one reload that starts after the current. */
  refresh(): Promise<void> {
    if (this._pending) {
      this._again = true;
      return this._pending;
    }
    this._pending = this._load().finally(() => {
      this._pending = null;
      if (this._again) {
        this._again = false;
        void this.refresh();
      }
    });
    return this._pending;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this.data.stateChanged.disconnect(this._onDataChanged, this);
    this.data.refreshed.disconnect(this._onDataRefreshed, this);
    Signal.clearData(this);
  }

  private _onDataChanged(): void {
    const project = this.data.currentProject;
    if (project !== this._project) {
      this._project = project;
      this._connectors = [];
      this._datasources = [];
      this._exporters = [];
      this._runs.clear();
      this._loaded = false;
      this._changed.emit();
    }
  }

  private _onDataRefreshed(): void {
    if (this.data.serverExtension === 'available') {
      void this.refresh();
    }
  }

  private async _load(): Promise<void> {
    const project = this._project;
    if (project === null) {
      return;
    }
    try {
      if (this._kinds.length === 0) {
        this._kinds = await this.client.listConnectorKinds();
      }
      const [connectors, datasources, exporters] = await Promise.all([
        this.client.connectors.list(project),
        this.client.datasources.list(project),
        this.client.exporters.list(project)
      ]);
      const shown = [...this._runs.keys()].filter(name =>
        exporters.some(exporter => exporter.name === name)
      );
      const histories = await Promise.all(
        shown.map(name => this.client.listExportRuns(project, name))
      );
      if (project !== this._project) {
        return;
      }
      this._connectors = connectors;
      this._datasources = datasources;
      this._exporters = exporters;
      this._runs = new Map(shown.map((name, i) => [name, histories[i]]));
      this._error = null;
      this._loaded = true;
    } catch (error) {
      this._error = errorMessage(error);
    }
    this._changed.emit();
  }

  private _again = false;
  private _changed = new Signal<this, void>(this);
  private _connectors: IConnector[] = [];
  private _datasources: IDatasource[] = [];
  private _error: string | null = null;
  private _exporters: IExporter[] = [];
  private _isDisposed = false;
  private _kinds: IConnectorKind[] = [];
  private _loaded = false;
  private _pending: Promise<void> | null = null;
  private _project: string | null = null;
  private _runs = new Map<string, IExportRun[]>();
}
