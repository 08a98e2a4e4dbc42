import { ISignal, Signal } from '@lumino/signaling';

import { DataplaneModel } from '../model';
import { PolledModel } from '../polledModel';
import { IImageFolder } from '../types';

/** A zip on its way to the server. */
export interface IPendingUpload {
  /** Unique per upload, for React keys. */
  key: number;
  /** Name of the zip on the user's disk. */
  fileName: string;
  /** Name the folder will get. */
  name: string;
  /** Bytes sent so far. */
  loaded: number;
  /** Size of the zip in bytes. */
  total: number;
}

/**
 * The image folders of the sidebar's current project, uploads in flight, and imports that
 * finish.
 *
 * The list refreshes every few seconds while a view shows it, every second while a folder is
 * being copied, and stands by while nothing shows it (or the browser tab is hidden) unless an
 * upload started here is still being imported.
 */
export class ImageFoldersModel extends PolledModel {
  /**
   * @param data the sidebar's model: its REST client and current project
   * @param options refresh intervals
   */
  constructor(data: DataplaneModel, options: ImageFoldersModel.IOptions = {}) {
    const idle = options.refreshInterval ?? 5000;
    super(data.client, {
      auto: false,
      frequency: { interval: idle, backoff: true, max: 300 * 1000 },
      name: 'dataplane-jupyter:image-folders',
      standby: () =>
        this._active || this._watched.size > 0 ? 'when-hidden' : true
    });
    this._data = data;
    this._idle = idle;
    this._busy = options.copyingInterval ?? 1000;
    this._loading = false;
    data.stateChanged.connect(this._onDataChanged, this);
    this._onDataChanged();
  }

  /** Emitted whenever any of the state below changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Emitted once for each upload started here whose import ended (ready or failed). */
  get importEnded(): ISignal<this, IImageFolder> {
    return this._importEnded;
  }

  /** The project whose folders are listed (the sidebar's), or null when there is none. */
  get project(): string | null {
    return this._project;
  }

  /** The project's folders, newest first. */
  get folders(): readonly IImageFolder[] {
    return this._folders;
  }

  /** Zips still on their way to the server, oldest first. */
  get uploads(): readonly IPendingUpload[] {
    return this._uploads;
  }

  /** A folder of the current list by id. */
  find(id: string): IImageFolder | undefined {
    return this._folders.find(folder => folder.id === id);
  }

  /**
   * Send a zip to the current project; resolves with the folder (still `copying`) once the
   * server has the whole file. Rejects with the server's message.
   */
  async upload(file: File, name: string): Promise<IImageFolder> {
    const project = this._project;
    if (project === null) {
      throw new Error('There is no project to upload into.');
    }
    const pending: IPendingUpload = {
      key: ++this._uploadCount,
      fileName: file.name,
      name,
      loaded: 0,
      total: file.size
    };
    this._uploads = [...this._uploads, pending];
    this._changed.emit();
    try {
      const folder = await this.client.uploadImageFolder(
        project,
        file,
        name,
        {
          onProgress: (loaded, total) => {
            this._uploads = this._uploads.map(upload =>
              upload.key === pending.key ? { ...upload, loaded, total } : upload
            );
            this._changed.emit();
          }
        }
      );
      this._watched.add(folder.id);
      if (project === this._project) {
        this._folders = [folder, ...this._folders.filter(f => f.id !== folder.id)];
      }
      return folder;
    } finally {
      this._uploads = this._uploads.filter(upload => upload.key !== pending.key);
      this._changed.emit();
      void this.refresh();
    }
  }

  /** Give a folder of the current project another name. */
  async rename(id: string, name: string): Promise<IImageFolder> {
    const renamed = await this.client.renameImageFolder(this._requireProject(), id, name);
    this._folders = this._folders.map(f => (f.id === id ? renamed : f));
    this._changed.emit();
    return renamed;
  }

  /** Delete a folder of the current project and its images. */
  async remove(id: string): Promise<void> {
    await this.client.deleteImageFolder(this._requireProject(), id);
    this._watched.delete(id);
    this._folders = this._folders.filter(f => f.id !== id);
    this._changed.emit();
  }

  /** Stop refreshing and disconnect from the sidebar's model. */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._data.stateChanged.disconnect(this._onDataChanged, this);
    super.dispose();
  }

  private _requireProject(): string {
    if (this._project === null) {
      throw new Error('No project is selected.');
    }
    return this._project;
  }

  /** Follow the sidebar's project picker. */
  private _onDataChanged(): void {
    const project = this._data.currentProject;
    if (project === this._project) {
      return;
    }
    this._project = project;
    this._folders = [];
    this._loading = project !== null;
    this._error = null;
    this._changed.emit();
    if (project !== null && (this._active || this._watched.size > 0)) {
      void this.refresh();
    }
  }

  protected async _fetch(): Promise<void> {
    const project = this._project;
    if (project === null) {
      return;
    }
    try {
      const folders = await this.client.listImageFolders(project);
      if (project !== this._project) {
        return;
      }
      this._folders = folders;
      this._error = null;
      this._loading = false;
      this._reportEnded(folders);
      const copying = folders.some(folder => folder.status === 'copying');
      this._poll.frequency = {
        ...this._poll.frequency,
        interval: copying || this._uploads.length > 0 ? this._busy : this._idle
      };
    } catch (error) {
      this._error = error instanceof Error ? error.message : String(error);
      throw error;
    } finally {
      this._changed.emit();
    }
  }

  private _reportEnded(folders: IImageFolder[]): void {
    for (const id of [...this._watched]) {
      const folder = folders.find(f => f.id === id);
      if (folder === undefined) {
        this._watched.delete(id);
      } else if (folder.status !== 'copying') {
        this._watched.delete(id);
        this._importEnded.emit(folder);
      }
    }
  }

  private _busy: number;
  private _data: DataplaneModel;
  private _folders: IImageFolder[] = [];
  private _idle: number;
  private _importEnded = new Signal<this, IImageFolder>(this);
  private _project: string | null = null;
  private _uploadCount = 0;
  private _uploads: IPendingUpload[] = [];
  private _watched = new Set<string>();
}

/** Options of the image folders model. */
export namespace ImageFoldersModel {
  /** Refresh intervals. */
  export interface IOptions {
    /** Milliseconds between refreshes while visible and nothing is copying. */
    refreshInterval?: number;
    /** Milliseconds between refreshes while a folder is being copied. */
    copyingInterval?: number;
  }
}
