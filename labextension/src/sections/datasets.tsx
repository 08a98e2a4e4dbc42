import { JupyterFrontEnd } from '@jupyterlab/application';
import { Dialog, showDialog } from '@jupyterlab/apputils';
import {
  MenuSvg,
  PanelWithToolbar,
  ToolbarButton,
  addIcon,
  fileUploadIcon
} from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { DatasetCommandIDs } from '../commands/ids';
import { datasetActionAllowed } from '../access';
import { DataplaneModel, actionFits } from '../model';
import { notifyError } from '../notifications';
import { IDataset } from '../types';
import { UPLOAD_ACCEPT } from '../upload';
import { ModelView } from '../view';
import { createFileInput, FileDropZone } from './common';
import { DatasetFilters } from './datasetFilters';
import {
  DatasetItem,
  EmbeddingsAction,
  IRowAction,
  ROW_ACTIONS,
  UploadItem
} from './datasetItem';

type Commands = JupyterFrontEnd['commands'];

/** Command run by each inline action of a row. */
const ACTION_COMMANDS: Record<string, string> = {
  details: DatasetCommandIDs.openDetails,
  notebook: DatasetCommandIDs.openInNotebook,
  download: DatasetCommandIDs.download,
  retry: DatasetCommandIDs.retry,
  'compute-embeddings': DatasetCommandIDs.computeEmbeddings,
  'explore-embeddings': DatasetCommandIDs.openDetails
};

/** Arguments that an action adds to `{project, dataset}`. */
const ACTION_ARGS: Record<string, { tab: string }> = {
  'explore-embeddings': { tab: 'embeddings' }
};

/**
 * The datasets of the current project: filters, the list with per-dataset actions, upload
 * progress. Files picked with the toolbar's upload button or dropped on the section become
 * new datasets.
 */
export class DatasetsSection extends PanelWithToolbar {
  constructor(model: DataplaneModel, commands: Commands) {
    super();
    this._model = model;
    this.addClass('jp-Dataplane-section');
    this.addClass('jp-Dataplane-datasets');
    this.title.label = 'Datasets';
    this._input = createFileInput(UPLOAD_ACCEPT, files => void this.upload(files));
    this.node.appendChild(this._input);
    this.addWidget(new DatasetsView(model, commands));
    this._addToolbarItems(commands);
  }

  /** Open the browser's file picker; the chosen files are uploaded. */
  pickFiles(): void {
    this._input.click();
  }

  /**
   * Send files to the current project, one after the other; failures are notified. Several
   * .npy files picked or dropped together make one dataset (a tensor column per file).
   */
  async upload(files: readonly File[]): Promise<void> {
    if (!this._model.may('editor')) {
      notifyError(
        `Could not upload ${files.map(file => file.name).join(', ')}`,
        new Error(`Importing into project '${this._model.currentProject}' needs the editor role; you are a ${this._model.role ?? 'non-member'}.`)
      );
      return;
    }
    if (files.length > 1 && files.every(file => file.name.toLowerCase().endsWith('.npy'))) {
      try {
        await this._model.uploadFiles(files);
      } catch (error) {
        notifyError(`Could not upload ${files.map(file => file.name).join(', ')}`, error);
      }
      return;
    }
    for (const file of files) {
      try {
        const taken = await this._model.datasetHoldingName(file.name);
        let replace = false;
        if (taken) {
          replace = await confirmReplace(taken);
          if (!replace) {
            continue;
          }
        }
        await this._model.upload(file, { replace });
      } catch (error) {
        notifyError(`Could not upload ${file.name}`, error);
      }
    }
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._drop.attach();
  }

  protected onBeforeDetach(msg: Message): void {
    this._drop.detach();
    super.onBeforeDetach(msg);
  }

  private _addToolbarItems(commands: Commands): void {
    this.toolbar.addItem(
      'upload',
      new ToolbarButton({
        icon: fileUploadIcon,
        tooltip: 'Upload a file as a new dataset (CSV, TSV, zip, npy; several npy files make one dataset)',
        className: 'jp-Dataplane-uploadButton',
        onClick: () => this.pickFiles()
      })
    );
    const importButton = new ToolbarButton({
      icon: addIcon,
      tooltip: 'Import a dataset from a datasource',
      className: 'jp-Dataplane-importButton',
      onClick: () =>
        void commands.execute(DatasetCommandIDs.importFromDatasource, {
          project: this._model.currentProject ?? ''
        })
    });
    this.toolbar.addItem('import-datasource', importButton);
    // The command comes from another plugin, possibly registered after this one.
    const sync = () =>
      importButton.setHidden(!commands.hasCommand(DatasetCommandIDs.importFromDatasource));
    commands.commandChanged.connect(sync, this);
    sync();
  }

  private _drop = new FileDropZone(this, files => void this.upload(files));
  private _input: HTMLInputElement;
  private _model: DataplaneModel;
}

/** Filters and list; re-rendered when the model or the set of commands changes. */
class DatasetsView extends ModelView {
  constructor(model: DataplaneModel, commands: Commands) {
    super(model);
    this._commands = commands;
    this._menu = new MenuSvg({ commands });
    this.addClass('jp-Dataplane-datasetsView');
    commands.commandChanged.connect(() => this.update(), this);
  }

  dispose(): void {
    this._menu.dispose();
    super.dispose();
  }

  protected renderState(): JSX.Element {
    const model = this.model;
    if (model.serverExtension === 'missing') {
      return <></>;
    }
    return (
      <>
        <DatasetFilters model={model} />
        <label
          className="jp-Dataplane-strictUploads"
          title="Off (default): a row that does not parse like the rest of the file is repaired when the repair is unambiguous, else set aside in the dataset's rejected rows. On: the upload is refused, naming the bad lines."
        >
          <input
            type="checkbox"
            checked={model.strictUploads}
            onChange={event => (model.strictUploads = event.currentTarget.checked)}
          />{' '}
          Strict: refuse files with bad rows
        </label>
        {this.renderList()}
        <p className="jp-Dataplane-dropHint">Drop files here to import them</p>
      </>
    );
  }

  private renderList(): JSX.Element {
    const model = this.model;
    if (model.loading) {
      return <p className="jp-Dataplane-empty">Loading…</p>;
    }
    if (model.currentProject === null) {
      return <p className="jp-Dataplane-empty">No projects yet.</p>;
    }
    if (model.datasets.length === 0 && model.uploads.length === 0) {
      return <p className="jp-Dataplane-empty">{emptyText(model)}</p>;
    }
    const actions = this.availableActions();
    const embeddingsActions = EMBEDDINGS_ACTIONS.filter(
      action =>
        this._commands.hasCommand(ACTION_COMMANDS[action]) &&
        datasetActionAllowed(action, model.access, model.role)
    );
    return (
      <ul className="jp-Dataplane-list jp-Dataplane-datasetList">
        {model.uploads.map(upload => (
          <UploadItem key={`upload-${upload.id}`} upload={upload} />
        ))}
        {model.datasets.map(dataset => (
          <DatasetItem
            key={dataset.id}
            dataset={dataset}
            selected={dataset.name === model.selected}
            actions={actions}
            embeddingsActions={embeddingsActions}
            embeddingsProgress={model.embeddingsProgress(dataset)}
            onAction={(action, ds) => this.runAction(action, ds)}
            onSelect={ds => model.select(ds.name)}
            onMenu={(ds, x, y) => this.openMenu(ds, x, y)}
          />
        ))}
      </ul>
    );
  }

  private availableActions(): IRowAction[] {
    return Object.values(ROW_ACTIONS).filter(
      action =>
        this._commands.hasCommand(ACTION_COMMANDS[action.id]) &&
        datasetActionAllowed(action.id, this.model.access, this.model.role)
    );
  }

  private runAction(action: string, dataset: IDataset): void {
    const command = ACTION_COMMANDS[action];
    if (command && this._commands.hasCommand(command)) {
      void this._commands.execute(command, { ...this.args(dataset), ...ACTION_ARGS[action] });
    }
  }

  /** The dataset's menu: every action whose command exists, with this dataset as argument. */
  private openMenu(dataset: IDataset, x: number, y: number): void {
    const menu = this._menu;
    menu.clearItems();
    for (const group of MENU_GROUPS) {
      const items = group.filter(
        item =>
          this._commands.hasCommand(item.command) &&
          actionFits(item.action, dataset) &&
          datasetActionAllowed(item.action, this.model.access, this.model.role)
      );
      if (items.length > 0 && menu.items.length > 0) {
        menu.addItem({ type: 'separator' });
      }
      for (const item of items) {
        menu.addItem({
          command: item.command,
          args: { ...this.args(dataset), ...(item.args ?? {}) }
        });
      }
    }
    menu.open(x, y);
  }

  private args(dataset: IDataset): { project: string; dataset: string } {
    return { project: this.model.currentProject ?? '', dataset: dataset.name };
  }

  private _commands: Commands;
  private _menu: MenuSvg;
}

const EMBEDDINGS_ACTIONS: EmbeddingsAction[] = ['compute-embeddings', 'explore-embeddings'];

/** Items of a dataset's menu, in groups separated by a line. */
const MENU_GROUPS: { command: string; action: string; args?: { format: string } }[][] = [
  [
    { command: DatasetCommandIDs.openDetails, action: 'details' },
    { command: DatasetCommandIDs.retry, action: 'retry' },
    { command: DatasetCommandIDs.openInNotebook, action: 'notebook' }
  ],
  [
    { command: DatasetCommandIDs.rename, action: 'rename' },
    { command: DatasetCommandIDs.download, action: 'download', args: { format: 'csv' } },
    { command: DatasetCommandIDs.download, action: 'download', args: { format: 'parquet' } },
    { command: DatasetCommandIDs.export, action: 'export' }
  ],
  [{ command: DatasetCommandIDs.delete, action: 'delete' }]
];

/** Ask before an upload replaces the dataset holding its name (a failed one, typically). */
async function confirmReplace(taken: IDataset): Promise<boolean> {
  const state = taken.status === 'failed' ? 'a failed import' : taken.status_label;
  const result = await showDialog({
    title: `Replace dataset “${taken.name}”?`,
    body:
      `The project already has a dataset named “${taken.name}” (${state}). Replacing it ` +
      'deletes it and its stored files, then imports this file under the same name.' +
      (taken.status === 'failed' ? ' To keep its file and change how it is read, use Retry Import instead.' : ''),
    buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: 'Replace' })]
  });
  return result.button.accept;
}

function emptyText(model: DataplaneModel): string {
  if (model.filtered) {
    return 'No dataset matches these filters.';
  }
  return 'No datasets in this project yet. Upload a file with the button above, or drop it here.';
}
