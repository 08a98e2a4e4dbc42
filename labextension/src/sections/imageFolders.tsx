import {
  Toolbar,
  ToolbarButton,
  UseSignal,
  ellipsesIcon,
  fileUploadIcon
} from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import { Message } from '@lumino/messaging';
import { Menu } from '@lumino/widgets';
import * as React from 'react';

import { formatBytes, statusClass } from '../details/format';
import { IPendingUpload, ImageFoldersModel } from '../imageFolders/model';
import { IImageFolder, ImageFolderStatus } from '../types';
import { OwningWidget } from '../view';
import { createFileInput, FileDropZone, ProgressBar } from './common';

/** What the section needs from the commands that act on folders. */
export interface IImageFoldersSectionOptions {
  /** The application's commands (the "…" menu runs them). */
  commands: CommandRegistry;
  /** Command that opens a folder's images; takes `{ id }`. */
  openCommand: string;
  /** Commands of a folder's "…" menu, in order; each takes `{ id }`. */
  menuCommands: string[];
  /** Called with the zips the user picked or dropped. */
  onFiles: (files: File[]) => void;
}

/**
 * The "Image folders" section of the data sidebar: the current project's folders with their
 * status, image count and categories; an upload button and a drop zone for zips; a "…" menu
 * per folder (open, rename, download, delete).
 */
export class ImageFoldersSection extends OwningWidget {
  /**
   * @param model the image folders of the current project
   * @param options the commands acting on folders, and where picked files go
   */
  constructor(
    readonly model: ImageFoldersModel,
    private readonly options: IImageFoldersSectionOptions
  ) {
    super();
    this.addClass('jp-Dataplane-section');
    this.addClass('jp-Dataplane-imageFolders');
    this.title.label = 'Image folders';
    this.toolbar.addItem(
      'upload',
      new ToolbarButton({
        icon: fileUploadIcon,
        tooltip: 'Upload Image Folder (a zip of jpg, png or gif images)',
        className: 'jp-Dataplane-uploadZip',
        onClick: () => this.chooseFiles()
      })
    );
    this._menu = this.own(new Menu({ commands: options.commands }));
    this._menu.addClass('jp-Dataplane-imageFolderMenu');
    this._input = createFileInput('.zip,application/zip', options.onFiles);
    this.node.appendChild(this._input);
  }

  /** The section's title-bar buttons (the side panel shows a section's `toolbar`). */
  readonly toolbar = new Toolbar();

  /** Open the browser's file picker for zips. */
  chooseFiles(): void {
    this._input.click();
  }

  /** Re-rendered whenever the model changes. */
  render(): JSX.Element {
    return (
      <UseSignal signal={this.model.changed}>
        {() => this._renderState()}
      </UseSignal>
    );
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._drop.attach();
    this.model.active = this.isVisible;
  }

  protected onBeforeDetach(msg: Message): void {
    this._drop.detach();
    this.model.active = false;
    super.onBeforeDetach(msg);
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.model.active = true;
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this.model.active = false;
  }

  private _renderState(): JSX.Element {
    const model = this.model;
    if (model.project === null) {
      return <p className="jp-Dataplane-empty">No projects yet.</p>;
    }
    return (
      <>
        {model.error && (
          <p className="jp-Dataplane-notice jp-Dataplane-error">
            Could not list image folders: {model.error}
          </p>
        )}
        {this._renderList()}
      </>
    );
  }

  private _renderList(): JSX.Element {
    const model = this.model;
    if (model.loading) {
      return <p className="jp-Dataplane-empty" data-dataplane-empty="">Loading…</p>;
    }
    if (model.folders.length === 0 && model.uploads.length === 0) {
      return (
        <div className="jp-Dataplane-imageFoldersEmpty" data-dataplane-empty="">
          <p className="jp-Dataplane-empty">
            No image folders yet: an image folder stores the jpg, png and gif
            images of a zip, its folders becoming categories.
          </p>
          <div className="jp-Dataplane-imageFoldersBar">
            <button
              className="jp-mod-styled jp-mod-accept jp-Dataplane-uploadButton"
              onClick={() => this.chooseFiles()}
            >
              <fileUploadIcon.react tag="span" className="jp-Dataplane-buttonIcon" />
              Upload Image Folder
            </button>
            <span className="jp-Dataplane-hint">or drop a .zip here</span>
          </div>
        </div>
      );
    }
    return (
      <ul className="jp-Dataplane-list jp-Dataplane-imageFolderList">
        {model.uploads.map(upload => (
          <UploadItem key={`upload-${upload.key}`} upload={upload} />
        ))}
        {model.folders.map(folder => (
          <FolderItem
            key={folder.id}
            folder={folder}
            onOpen={() =>
              void this.options.commands.execute(this.options.openCommand, {
                id: folder.id
              })
            }
            onMenu={event => this._openMenu(event, folder)}
          />
        ))}
      </ul>
    );
  }

  private _openMenu(event: React.MouseEvent, folder: IImageFolder): void {
    const menu = this._menu;
    menu.clearItems();
    for (const command of this.options.menuCommands) {
      menu.addItem({ command, args: { id: folder.id } });
    }
    const rect = (event.currentTarget as HTMLElement).getBoundingClientRect();
    menu.open(rect.left, rect.bottom);
  }

  private _drop = new FileDropZone(this, files => this.options.onFiles(files));
  private _input: HTMLInputElement;
  private _menu: Menu;
}

/** The platform's wording of each status: short label, then the long one as a tooltip. */
const STATUS_TEXT: Record<ImageFolderStatus, [string, string]> = {
  copying: ['Copying', 'Copy on going'],
  ready: ['Ready', 'Ready to be used'],
  failed: ['Failed', 'Failed']
};

function FolderItem(props: {
  folder: IImageFolder;
  onOpen: () => void;
  onMenu: (event: React.MouseEvent) => void;
}): JSX.Element {
  const { folder } = props;
  const [label, long] = STATUS_TEXT[folder.status] ?? [folder.status, folder.status];
  const copying = folder.status === 'copying';
  const percent = Math.round((folder.progress ?? 0) * 100);
  const warnings = (folder.warnings ?? []).map(w => String(w.message));
  return (
    <li
      className="jp-Dataplane-item jp-Dataplane-imageFolder"
      data-name={folder.name}
      data-status={folder.status}
      data-id={folder.id}
    >
      <div className="jp-Dataplane-itemRow">
        <button
          className="jp-Dataplane-itemName jp-Dataplane-linkButton"
          disabled={folder.status !== 'ready'}
          onClick={props.onOpen}
          title={folder.status === 'ready' ? 'Show the images' : folder.status_label}
        >
          {folder.name}
        </button>
        <span className="jp-Dataplane-itemShape jp-Dataplane-imageCount">
          {folder.n_images === null ? '—' : plural(folder.n_images, 'image')}
        </span>
        <span
          className={statusClass(folder.status)}
          title={long}
        >
          {copying ? `${label} ${percent}%` : label}
        </span>
        <button
          className="jp-Dataplane-iconButton jp-Dataplane-imageFolderActions"
          aria-label={`Actions on ${folder.name}`}
          title="Open, rename, download, delete"
          onClick={props.onMenu}
        >
          <ellipsesIcon.react tag="span" />
        </button>
      </div>
      {copying && <ProgressBar fraction={folder.progress ?? 0} />}
      <Categories categories={folder.categories ?? {}} />
      {folder.error && (
        <div className="jp-Dataplane-itemError" title={folder.error}>
          {folder.error}
        </div>
      )}
      {warnings.length > 0 && (
        <div className="jp-Dataplane-itemWarning" title={warnings.join('\n')}>
          {warnings.join(' ')}
        </div>
      )}
    </li>
  );
}

function UploadItem(props: { upload: IPendingUpload }): JSX.Element {
  const { upload } = props;
  const fraction = upload.total > 0 ? upload.loaded / upload.total : 0;
  return (
    <li
      className="jp-Dataplane-item jp-Dataplane-imageFolderUpload"
      data-name={upload.name}
    >
      <div className="jp-Dataplane-itemRow">
        <span className="jp-Dataplane-itemName">{upload.name}</span>
        <span className="jp-Dataplane-itemShape">{formatBytes(upload.total)}</span>
        <span className={statusClass('copying')}>
          Uploading {Math.round(fraction * 100)}%
        </span>
      </div>
      <ProgressBar fraction={fraction} />
    </li>
  );
}

/** Category chips shown per folder; the rest are counted, and listed in a tooltip. */
const SHOWN_CATEGORIES = 8;

function Categories(props: { categories: Record<string, number> }): JSX.Element | null {
  const entries = Object.entries(props.categories);
  if (entries.length === 0) {
    return null;
  }
  const hidden = entries.slice(SHOWN_CATEGORIES);
  return (
    <div className="jp-Dataplane-categories">
      {entries.slice(0, SHOWN_CATEGORIES).map(([name, count]) => (
        <span key={name} className="jp-Dataplane-category" data-category={name}>
          {categoryLabel(name)} <span className="jp-Dataplane-categoryCount">{count}</span>
        </span>
      ))}
      {hidden.length > 0 && (
        <span
          className="jp-Dataplane-categoryMore"
          title={hidden.map(([name, count]) => `${categoryLabel(name)}: ${count}`).join('\n')}
        >
          +{hidden.length} more
        </span>
      )}
    </div>
  );
}

/** A category as shown: images at the zip's top level have the empty category. */
export function categoryLabel(name: string): string {
  return name === '' ? '(top level)' : name;
}

/** "1 image", "1,234 images". */
export function plural(count: number, noun: string): string {
  return `${count.toLocaleString()} ${noun}${count === 1 ? '' : 's'}`;
}
