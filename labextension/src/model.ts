import { Debouncer } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { AccessMode, Role, mayDo } from './access';
import { DataplaneClient } from './client';
import { PolledModel } from './polledModel';
import { isHTTPStatus } from './request';
import {
  DatasetOrigin,
  IDataset,
  IJob,
  IListDatasetsQuery,
  IIdentity,
  IProject,
  IRetryImport,
  IUploadProgress
} from './types';

/** Name of the project shown when the user has not picked one. */
export const DEFAULT_PROJECT = 'default';

/** Where the project the user picked is remembered across page reloads (per browser). */
export const PROJECT_STORAGE_KEY = 'dataplane-jupyter:project';

/** The part of the Web Storage API the model uses to remember the picked project. */
export type ProjectMemory = Pick<Storage, 'getItem' | 'setItem'>;

/** The browser's localStorage, or nothing where there is none (or it refuses access). */
function browserStorage(): ProjectMemory | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** Statuses of a dataset whose import or statistics job is still running. */
export const BUSY_STATUSES: readonly string[] = [
  'copying',
  'computing_statistics'
];

/** Whether a dataset's job is still running (its status will change by itself). */
export function isBusy(dataset: IDataset): boolean {
  return BUSY_STATUSES.includes(dataset.status);
}

/** The name the server gives a dataset uploaded from this file: `sales.csv.gz` → `sales`. */
export function uploadDatasetName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  return stem.endsWith('.csv') ? stem.slice(0, -4) : stem;
}

/**
 * Whether a dataset holds data: ready, or copied and computing its statistics. Download, open
 * in a notebook and export only work then.
 */
export function hasData(dataset: IDataset): boolean {
  return dataset.status === 'ready' || dataset.status === 'computing_statistics';
}

/**
 * Whether an action can work on this dataset now: nothing to open, download or export before
 * the data is there (a failed import has none), and only a failed import can be retried.
 */
export function actionFits(action: string, dataset: IDataset): boolean {
  if (action === 'retry') {
    return dataset.status === 'failed';
  }
  if (action === 'notebook' || action === 'download' || action === 'export') {
    return hasData(dataset);
  }
  return true;
}

/** Where a dataset's embeddings are: none yet, being computed, computed, or failed. */
export type EmbeddingsState = 'none' | 'computing' | 'ready' | 'failed';

/** The state of a dataset's embeddings, from its record's `embeddings`. */
export function embeddingsState(dataset: IDataset): EmbeddingsState {
  const status: string | undefined = dataset.embeddings?.status;
  return status === 'computing' || status === 'ready' || status === 'failed' ? status : 'none';
}

/**
 * Whether the dataplane server extension answers: `unknown` until the first request returns,
 * `missing` when `projects` is a 404 (the Jupyter server does not route our API).
 */
export type ServerExtensionState = 'unknown' | 'available' | 'missing';

/** State of the data sidebar: projects, the current project and its datasets. */
export class DataplaneModel extends PolledModel {
  constructor(options: DataplaneModel.IOptions = {}) {
    const intervals = {
      busy: options.busyInterval ?? 1000,
      idle: options.refreshInterval ?? 5000
    };
    super(options.client ?? new DataplaneClient(), {
      auto: false,
      frequency: pollFrequency(false, intervals),
      name: 'dataplane-jupyter:model'
    });
    this._intervals = intervals;
    this._memory = options.storage === undefined ? browserStorage() : options.storage;
    this._currentProject = this._recall();
    this._searchDebouncer = new Debouncer(
      () => this.refresh(),
      options.searchDelay ?? 300
    );
  }

  /** Emitted whenever any of the state below changes. */
  get stateChanged(): ISignal<this, void> {
    return this._changed;
  }

  /**
   * Emitted once per finished fetch of the lists (poll tick or `refresh()`), whatever its
   * outcome: models of the other sections refresh on it rather than on every state change
   * (a keystroke in the search box, an upload's progress).
   */
  get refreshed(): ISignal<this, void> {
    return this._refreshed;
  }

  /**
   * Emitted once for each dataset whose import this model watched (an upload of this page, or
   * a dataset seen copying or computing statistics) when it turns up failed.
   */
  get importFailed(): ISignal<this, IDataset> {
    return this._importFailed;
  }

  /**
   * Emitted once for each dataset whose embeddings this model started computing, when they
   * turn up computed or failed.
   */
  get embeddingsEnded(): ISignal<this, IDataset> {
    return this._embeddingsEnded;
  }

  /** The caller's name as the server takes it (`GET /identity`), once known. */
  get user(): string | null {
    return this._identity?.user ?? null;
  }

  /** The access mode: `members` in shared mode; null until the server said. */
  get access(): AccessMode | null {
    return this._identity?.access ?? null;
  }

  /** The user's role in the current project (null when not a member or not known). */
  get role(): Role | null {
    return (this._projects.find(p => p.name === this._currentProject)?.role as Role | null | undefined) ?? null;
  }

  /** Whether the user may do what needs `role` in the current project. */
  may(role: Role): boolean {
    return mayDo(role, this.access, this.role);
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

  /** The current project's datasets that pass the filters. */
  get datasets(): readonly IDataset[] {
    return this._datasets;
  }

  /** Origins to keep; empty keeps every origin. */
  get origins(): readonly DatasetOrigin[] {
    return this._origins;
  }

  /** Part of the name to look for (case-insensitive, on the server); empty for all. */
  get search(): string {
    return this._search;
  }

  /** Whether a filter (origin or search) hides some datasets. */
  get filtered(): boolean {
    return this._origins.length > 0 || this._search.trim() !== '';
  }

  /** Name of the dataset the user last clicked, while it is listed. */
  get selected(): string | null {
    return this._selected;
  }

  /**
   * Whether uploads refuse a file with any row that does not parse like the rest
   * (`on_bad_rows=error`); otherwise such rows are repaired or set aside (the default).
   */
  get strictUploads(): boolean {
    return this._strictUploads;
  }

  set strictUploads(value: boolean) {
    if (value !== this._strictUploads) {
      this._strictUploads = value;
      this._changed.emit();
    }
  }

  /** Files being sent to the server, in the order they were started. */
  get uploads(): readonly IUploadProgress[] {
    return this._uploads;
  }

  /**
   * Whether some listed dataset, upload or embeddings computation is in progress (polling is
   * faster meanwhile).
   */
  get busy(): boolean {
    return (
      this._uploads.length > 0 ||
      this._datasets.some(d => isBusy(d) || embeddingsState(d) === 'computing')
    );
  }

  /** How far the computation of a listed dataset's embeddings is (0 to 1), as of the last poll. */
  embeddingsProgress(dataset: IDataset): number {
    return this._embeddingsProgress.get(dataset.id) ?? 0;
  }

  /** Show another project's datasets. */
  async setCurrentProject(name: string): Promise<void> {
    if (name === this._currentProject) {
      return;
    }
    this._currentProject = name;
    this._remember(name);
    this._datasets = [];
    this._selected = null;
    this._changed.emit();
    await this.refresh();
  }

  /** Keep only these origins (none: all of them), asking the server at once. */
  async setOrigins(origins: readonly DatasetOrigin[]): Promise<void> {
    this._origins = [...origins];
    this._changed.emit();
    await this.refresh();
  }

  /** Add the origin to the filter, or take it out when it is there. */
  toggleOrigin(origin: DatasetOrigin): Promise<void> {
    const origins = this._origins.includes(origin)
      ? this._origins.filter(item => item !== origin)
      : [...this._origins, origin];
    return this.setOrigins(origins);
  }

  /** Look for names containing `text`; the server is asked once typing pauses. */
  setSearch(text: string): Promise<void> {
    this._search = text;
    this._changed.emit();
    return this._searchDebouncer.invoke();
  }

  /** Remember the dataset the user points at (palette commands act on it). */
  select(name: string | null): void {
    if (name !== this._selected) {
      this._selected = name;
      this._changed.emit();
    }
  }

  /**
   * Send a file to the current project as a new dataset, showing its progress in `uploads`;
   * resolves once the server has accepted it (its import job then runs on the server).
   */
  async upload(file: File, options: { replace?: boolean } = {}): Promise<IDataset> {
    if (this._loading) {
      await this.refresh(); // a file picked before the first answer goes to the right project
    }
    const project = this._requireProject();
    const entry: IUploadProgress = {
      id: ++this._uploadCount,
      fileName: file.name,
      loaded: 0,
      total: file.size
    };
    this._setUploads([...this._uploads, entry]);
    try {
      const dataset = await this.client.uploadDataset(
        project,
        file,
        {
          onProgress: (loaded, total) => this._updateUpload(entry.id, loaded, total),
          replace: options.replace
        },
        this._strictUploads ? 'error' : 'repair'
      );
      this._watched.add(dataset.id);
      return dataset;
    } finally {
      this._setUploads(this._uploads.filter(item => item.id !== entry.id));
      void this.refresh();
    }
  }

  /**
   * Send several .npy files to the current project as one dataset (a tensor column per file),
   * with one progress entry; resolves once the server has accepted them.
   */
  async uploadFiles(files: readonly File[]): Promise<IDataset> {
    if (this._loading) {
      await this.refresh();
    }
    const project = this._requireProject();
    const entry: IUploadProgress = {
      id: ++this._uploadCount,
      fileName: files.map(file => file.name).join(' + '),
      loaded: 0,
      total: files.reduce((sum, file) => sum + file.size, 0)
    };
    this._setUploads([...this._uploads, entry]);
    try {
      const dataset = await this.client.uploadFiles(project, files, {
        onProgress: (loaded, total) => this._updateUpload(entry.id, loaded, total)
      });
      this._watched.add(dataset.id);
      return dataset;
    } finally {
      this._setUploads(this._uploads.filter(item => item.id !== entry.id));
      void this.refresh();
    }
  }

  /**
   * The dataset of the current project that an upload of this file would be named as (the
   * server's rule: the file name without its suffix and a `.csv` before it), if there is one.
   */
  async datasetHoldingName(fileName: string): Promise<IDataset | null> {
    if (this._loading) {
      await this.refresh();
    }
    const project = this._requireProject();
    try {
      return await this.client.describeDataset(project, uploadDatasetName(fileName));
    } catch (error) {
      if (isHTTPStatus(error, 404)) {
        return null;
      }
      throw error;
    }
  }

  /**
   * Import a failed dataset of the current project again with other options; its import is
   * watched like an upload's (a new failure is reported again).
   */
  async retry(dataset: string, options: IRetryImport): Promise<IDataset> {
    const retried = await this.client.retryImport(this._requireProject(), dataset, options);
    this._watched.add(retried.id);
    await this.refresh();
    return retried;
  }

  /** Rename a dataset of the current project. */
  async rename(dataset: string, newName: string): Promise<IDataset> {
    const renamed = await this.client.renameDataset(
      this._requireProject(),
      dataset,
      newName
    );
    if (this._selected === dataset) {
      this._selected = renamed.name;
    }
    await this.refresh();
    return renamed;
  }

  /**
   * Start computing the embeddings of a dataset of the current project (the server's default
   * method and sample); resolves with the job once it is queued, and the list refreshes.
   * `embeddingsEnded` tells when it is done.
   */
  async computeEmbeddings(dataset: string): Promise<IJob> {
    const job = await this.client.computeEmbeddings(this._requireProject(), dataset);
    const id = this._datasets.find(d => d.name === dataset)?.id ?? job.target_id;
    if (id) {
      this._embeddingsWatched.add(id);
    }
    void this.refresh();
    return job;
  }

  /** Delete a dataset of the current project and its stored files. */
  async delete(dataset: string): Promise<void> {
    await this.client.deleteDataset(this._requireProject(), dataset);
    if (this._selected === dataset) {
      this._selected = null;
    }
    await this.refresh();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._searchDebouncer.dispose();
    super.dispose();
  }

  protected async _fetch(): Promise<void> {
    const request = ++this._requests;
    const asked = this._currentProject;
    try {
      const projects = await this.client.listProjects();
      if (this._identity === null) {
        this._identity = await this.client.getIdentity();
      }
      const project = pickProject(projects, asked);
      const query = this._query();
      const datasets = project
        ? await this.client.listDatasets(project, query)
        : [];
      const progress = await this._fetchEmbeddingsProgress(datasets);
      const stale =
        asked !== this._currentProject ||
        JSON.stringify(query) !== JSON.stringify(this._query());
      if (request !== this._requests || stale) {
        return; // the answer to a newer request (another project or filter) is the one to show
      }
      this._serverExtension = 'available';
      this._projects = projects;
      this._currentProject = project;
      this._setDatasets(datasets);
      this._embeddingsProgress = progress;
      this._error = null;
    } catch (error) {
      if (isHTTPStatus(error, 404) && this._serverExtension !== 'available') {
        this._serverExtension = 'missing';
      }
      this._error = (error as Error).message ?? String(error);
      throw error;
    } finally {
      this._loading = false;
      this._poll.frequency = pollFrequency(this.busy, this._intervals);
      this._changed.emit();
      this._refreshed.emit();
    }
  }

  private _query(): IListDatasetsQuery {
    const search = this._search.trim();
    return {
      ...(this._origins.length > 0 ? { origin: [...this._origins] } : {}),
      ...(search ? { search } : {})
    };
  }

  /** Take the new list, and report watched imports that failed since the last one. */
  private _setDatasets(datasets: IDataset[]): void {
    this._datasets = datasets;
    for (const dataset of datasets) {
      if (isBusy(dataset)) {
        this._watched.add(dataset.id);
      } else if (this._watched.delete(dataset.id) && dataset.status === 'failed') {
        this._importFailed.emit(dataset);
      }
    }
    for (const dataset of datasets) {
      if (embeddingsState(dataset) !== 'computing' && this._embeddingsWatched.delete(dataset.id)) {
        this._embeddingsEnded.emit(dataset);
      }
    }
    if (this._selected && !datasets.some(d => d.name === this._selected)) {
      this._selected = null;
    }
  }

  /**
   * The progress of the jobs computing embeddings, by dataset id. A job that cannot be read
   * counts as not started: the list matters more than its progress.
   */
  private async _fetchEmbeddingsProgress(datasets: IDataset[]): Promise<Map<string, number>> {
    const computing = datasets.filter(d => embeddingsState(d) === 'computing');
    const entries = await Promise.all(
      computing.map(async (dataset): Promise<[string, number]> => {
        const jobId = dataset.embeddings?.job_id;
        const job = jobId ? await this.client.getJob(jobId).catch(() => null) : null;
        return [dataset.id, job?.progress ?? 0];
      })
    );
    return new Map(entries);
  }

  /** The project picked before the page was (re)loaded, if remembered. */
  private _recall(): string | null {
    try {
      return this._memory?.getItem(PROJECT_STORAGE_KEY) || null;
    } catch {
      return null;
    }
  }

  private _remember(name: string): void {
    try {
      this._memory?.setItem(PROJECT_STORAGE_KEY, name);
    } catch {
      // a full or forbidden storage only costs the choice at the next reload
    }
  }

  private _requireProject(): string {
    if (this._currentProject === null) {
      throw new Error('There is no project to work in yet.');
    }
    return this._currentProject;
  }

  private _setUploads(uploads: IUploadProgress[]): void {
    this._uploads = uploads;
    this._changed.emit();
  }

  private _updateUpload(id: number, loaded: number, total: number): void {
    this._setUploads(
      this._uploads.map(item => (item.id === id ? { ...item, loaded, total } : item))
    );
  }

  private _currentProject: string | null = null;
  private _datasets: IDataset[] = [];
  private _embeddingsEnded = new Signal<this, IDataset>(this);
  private _embeddingsProgress = new Map<string, number>();
  private _embeddingsWatched = new Set<string>();
  private _identity: IIdentity | null = null;
  private _intervals: IPollIntervals;
  private _importFailed = new Signal<this, IDataset>(this);
  private _memory: ProjectMemory | null;
  private _origins: DatasetOrigin[] = [];
  private _projects: IProject[] = [];
  private _requests = 0;
  private _search = '';
  private _searchDebouncer: Debouncer;
  private _selected: string | null = null;
  private _serverExtension: ServerExtensionState = 'unknown';
  private _refreshed = new Signal<this, void>(this);
  private _uploadCount = 0;
  private _strictUploads = false;
  private _uploads: IUploadProgress[] = [];
  private _watched = new Set<string>();
}

/** Faster and steady while something runs; slower with backoff on errors otherwise. */
function pollFrequency(busy: boolean, intervals: IPollIntervals) {
  return busy
    ? { interval: intervals.busy, backoff: false, max: 300 * 1000 }
    : { interval: intervals.idle, backoff: true, max: 300 * 1000 };
}

/** Milliseconds between refreshes while something runs (busy) and otherwise (idle). */
interface IPollIntervals {
  busy: number;
  idle: number;
}

/**
 * Keep the current project (the one picked, remembered across reloads) while it exists, else
 * "default", else the first one.
 */
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
    /** Milliseconds between refreshes while visible and idle (before backoff). */
    refreshInterval?: number;
    /**
     * Milliseconds between refreshes while a dataset is copying, computing statistics or
     * computing embeddings.
     */
    busyInterval?: number;
    /** Milliseconds of typing pause before a search is sent. */
    searchDelay?: number;
    /**
     * Where the picked project is remembered across reloads: the browser's localStorage by
     * default, `null` for nowhere.
     */
    storage?: ProjectMemory | null;
  }
}
