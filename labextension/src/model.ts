import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { DataplaneClient } from './client';
import { isHTTPStatus } from './request';
import { IDataset, IProject } from './types';

/** Name of the project shown when the user has not picked one. */
export const DEFAULT_PROJECT = 'default';

/**
 * Whether the dataplane server extension answers: `unknown` until the first request returns,
 * `missing` when `projects` is a 404 (the Jupyter server does not route our API).
 */
export type ServerExtensionState = 'unknown' | 'available' | 'missing';

/** State of the data sidebar: projects, the current project and its datasets. */
export class DataplaneModel implements IDisposable {
  constructor(options: DataplaneModel.IOptions = {}) {
    this.client = options.client ?? new DataplaneClient();
    const interval = options.refreshInterval ?? 5000;
    this._poll = new Poll({
      auto: false,
      factory: () => this._fetch(),
      frequency: { interval, backoff: true, max: 300 * 1000 },
      name: 'dataplane-jupyter:model',
      standby: () => (this._active ? 'when-hidden' : true)
    });
  }

  /** The REST client the model reads through. */
  readonly client: DataplaneClient;

  /** Emitted whenever any of the state below changes. */
  get stateChanged(): ISignal<this, void> {
    return this._stateChanged;
  }

  get serverExtension(): ServerExtensionState {
    return this._serverExtension;
  }

  get projects(): readonly IProject[] {
    return this._projects;
  }

  /** Name of the project whose datasets are shown, or null when there is none. */
  get currentProject(): string | null {
    return this._currentProject;
  }

  get datasets(): readonly IDataset[] {
    return this._datasets;
  }

  /** Message of the last failed refresh, or null when it succeeded. */
  get error(): string | null {
    return this._error;
  }

  /** True until the first refresh has finished, whatever its outcome. */
  get loading(): boolean {
    return this._loading;
  }

  /**
   * Whether a view shows the model. Polling stands by while inactive, and while the browser
   * tab is hidden.
   */
  get active(): boolean {
    return this._active;
  }
  set active(value: boolean) {
    if (value === this._active) {
      return;
    }
    this._active = value;
    if (value) {
      void this.refresh();
    }
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /** Show another project's datasets. */
  async setCurrentProject(name: string): Promise<void> {
    if (name === this._currentProject) {
      return;
    }
    this._currentProject = name;
    this._datasets = [];
    this._stateChanged.emit();
    await this.refresh();
  }

  /** Fetch now instead of waiting for the next poll tick. */
  async refresh(): Promise<void> {
    await this._poll.refresh();
    await this._poll.tick.catch(() => undefined);
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
      const projects = await this.client.listProjects();
      this._serverExtension = 'available';
      this._projects = projects;
      this._currentProject = pickProject(projects, this._currentProject);
      this._datasets = this._currentProject
        ? await this.client.listDatasets(this._currentProject)
        : [];
      this._error = null;
    } catch (error) {
      if (isHTTPStatus(error, 404) && this._serverExtension !== 'available') {
        this._serverExtension = 'missing';
      }
      this._error = (error as Error).message ?? String(error);
      throw error;
    } finally {
      this._loading = false;
      this._stateChanged.emit();
    }
  }

  private _active = false;
  private _currentProject: string | null = null;
  private _datasets: IDataset[] = [];
  private _error: string | null = null;
  private _loading = true;
  private _poll: Poll;
  private _projects: IProject[] = [];
  private _serverExtension: ServerExtensionState = 'unknown';
  private _stateChanged = new Signal<this, void>(this);
}

/** Keep the current project while it exists, else "default", else the first one. */
function pickProject(
  projects: readonly IProject[],
  current: string | null
): string | null {
  const names = projects.map(project => project.name);
  for (const candidate of [current, DEFAULT_PROJECT]) {
    if (candidate !== null && names.includes(candidate)) {
      return candidate;
    }
  }
  return names.length > 0 ? names[0] : null;
}

export namespace DataplaneModel {
  export interface IOptions {
    /** REST client; one for the page's server by default. */
    client?: DataplaneClient;
    /** Milliseconds between refreshes while visible (before backoff). */
    refreshInterval?: number;
  }
}
