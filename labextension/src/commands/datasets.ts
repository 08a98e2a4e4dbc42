import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { wordHints } from '../hints';
import {
  deleteIcon,
  downloadIcon,
  editIcon,
  fileUploadIcon,
  notebookIcon,
  refreshIcon
} from '@jupyterlab/ui-components';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { askNewName, confirmDelete } from '../dialogs';
import { embeddingsIcon } from '../icons';
import { DataplaneModel, embeddingsState, hasData } from '../model';
import { insertCodeCell, loadDatasetCode } from '../notebook';
import { notifyError, notifySuccess } from '../notifications';
import type { DataplaneSidebar } from '../sidebar';
import { DownloadFormat, IDataset, IRetryImport } from '../types';
import { DatasetCommandIDs } from './ids';
import { RetryForm } from '../forms/retryForm';
import { showForm } from '../forms/formDialog';

export { DatasetCommandIDs } from './ids';

/** Palette category of every dataplane command. */
const CATEGORY = 'Dataplane';

/** What `addCommand` takes. */
type CommandOptions = Parameters<JupyterFrontEnd['commands']['addCommand']>[1];

/** The dataset a command acts on: from its arguments, else the panel's selection. */
interface ITarget {
  project: string;
  dataset: string;
}

/**
 * Register the datasets commands (upload, refresh, rename, download, delete, open in a
 * notebook), put the useful ones in the palette, and report failed imports.
 */
export function activateDatasetCommands(
  app: JupyterFrontEnd,
  model: DataplaneModel,
  sidebar: DataplaneSidebar,
  palette: ICommandPalette | null
): void {
  const { commands } = app;
  const target = (args: ReadonlyPartialJSONObject) => resolveTarget(model, args);
  const hasTarget = (args: ReadonlyPartialJSONObject) => target(args) !== null;
  /** A command on a dataset, enabled when there is one: `action` gets it and the arguments. */
  const addDatasetCommand = (
    id: string,
    options: Omit<CommandOptions, 'isEnabled' | 'execute'>,
    action: (target: ITarget, args: ReadonlyPartialJSONObject) => Promise<void> | void
  ): void => {
    commands.addCommand(id, {
      ...options,
      isEnabled: hasTarget,
      execute: args => withTarget(target(args), t => action(t, args))
    });
  };

  commands.addCommand(DatasetCommandIDs.upload, {
    label: args => (args.isPalette ? 'Upload a File as a Dataset…' : 'Upload…'),
    caption: 'Import a CSV, TSV, zip or npy file from this computer into the current project',
    icon: fileUploadIcon,
    isEnabled: () => model.currentProject !== null,
    execute: () => sidebar.datasets.pickFiles()
  });
  commands.addCommand(DatasetCommandIDs.refresh, {
    label: args => (args.isPalette ? 'Refresh Data Panel' : 'Refresh'),
    icon: refreshIcon,
    execute: () => model.refresh()
  });
  addDatasetCommand(
    DatasetCommandIDs.openInNotebook,
    {
      label: args =>
        args.isPalette ? 'Open Selected Dataset in a Notebook' : 'Open in a Notebook',
      caption: 'Insert a cell that loads the dataset into pandas, below the active cell',
      icon: notebookIcon
    },
    t => insertCodeCell(app, loadDatasetCode(t.project, t.dataset))
  );
  addDatasetCommand(
    DatasetCommandIDs.computeEmbeddings,
    {
      label: 'Compute Embeddings',
      caption: 'Map the rows to 3-D, where similar rows lie close together (then explore them)',
      icon: embeddingsIcon
    },
    computeEmbeddings(model)
  );
  addDatasetCommand(DatasetCommandIDs.rename, { label: 'Rename…', icon: editIcon }, renameDataset(model));
  addDatasetCommand(
    DatasetCommandIDs.download,
    {
      label: args => `Download as ${args.format === 'parquet' ? 'Parquet' : 'CSV'}`,
      icon: downloadIcon
    },
    (t, args) => downloadDataset(model, t, args.format === 'parquet' ? 'parquet' : 'csv')
  );
  addDatasetCommand(
    DatasetCommandIDs.retry,
    {
      label: 'Retry Import…',
      caption: 'Import this failed dataset again from the same file, with other options',
      icon: refreshIcon
    },
    retryImport(model)
  );
  addDatasetCommand(DatasetCommandIDs.delete, { label: 'Delete…', icon: deleteIcon }, deleteDataset(model));

  for (const command of [
    DatasetCommandIDs.upload,
    DatasetCommandIDs.refresh,
    DatasetCommandIDs.openInNotebook
  ]) {
    palette?.addItem({ command, category: CATEGORY, args: { isPalette: true } });
  }
  model.importFailed.connect((_, dataset) =>
    notifyError(`Importing “${dataset.name}” failed`, wordHints(dataset.error ?? 'No reason given.', dataset.hints), [
      {
        label: 'Retry…',
        callback: () =>
          void commands.execute(DatasetCommandIDs.retry, {
            project: model.currentProject ?? '',
            dataset: dataset.name
          })
      }
    ])
  );
  model.embeddingsEnded.connect((_, dataset) => reportEmbeddings(dataset));
}

function resolveTarget(
  model: DataplaneModel,
  args: ReadonlyPartialJSONObject
): ITarget | null {
  const project = typeof args.project === 'string' ? args.project : model.currentProject;
  const dataset = typeof args.dataset === 'string' ? args.dataset : model.selected;
  return project && dataset ? { project, dataset } : null;
}

async function withTarget(
  target: ITarget | null,
  action: (target: ITarget) => Promise<void> | void
): Promise<void> {
  if (target) {
    await action(target);
  }
}

function renameDataset(model: DataplaneModel) {
  return async ({ dataset }: ITarget): Promise<void> => {
    const name = await askNewName(`Rename “${dataset}”`, dataset);
    if (name === null) {
      return;
    }
    try {
      await model.rename(dataset, name);
    } catch (error) {
      notifyError(`Could not rename “${dataset}”`, error);
    }
  };
}

function computeEmbeddings(model: DataplaneModel) {
  return async ({ dataset }: ITarget): Promise<void> => {
    try {
      await model.computeEmbeddings(dataset);
      notifySuccess(`Computing the embeddings of “${dataset}”…`);
    } catch (error) {
      notifyError(`Could not start computing the embeddings of “${dataset}”`, error);
    }
  };
}

function reportEmbeddings(dataset: IDataset): void {
  if (embeddingsState(dataset) === 'ready') {
    notifySuccess(`The embeddings of “${dataset.name}” are ready to explore.`);
  } else {
    notifyError(
      `Computing the embeddings of “${dataset.name}” failed`,
      dataset.embeddings?.error ?? 'No reason given.'
    );
  }
}

/** The retry form, prefilled with what the failed attempt was given or detected. */
function retryImport(model: DataplaneModel) {
  return async ({ project, dataset }: ITarget): Promise<void> => {
    let record: IDataset;
    let options: IRetryImport;
    try {
      record = await model.client.describeDataset(project, dataset);
      options = await model.client.retryOptions(project, dataset);
    } catch (error) {
      notifyError(`Cannot retry the import of “${dataset}”`, error);
      return;
    }
    const form = new RetryForm(record, options, body => model.retry(dataset, body));
    if (await showForm({ title: `Retry the import of “${dataset}”`, body: form, acceptLabel: 'Retry' })) {
      notifySuccess(`Importing “${dataset}” again…`);
    }
  };
}

function deleteDataset(model: DataplaneModel) {
  return async ({ dataset }: ITarget): Promise<void> => {
    const confirmed = await confirmDelete(
      'Delete dataset',
      `Delete “${dataset}” and its stored files? This cannot be undone. ` +
        'A datasource it was imported from is left untouched.'
    );
    if (!confirmed) {
      return;
    }
    try {
      await model.delete(dataset);
      notifySuccess(`Deleted dataset “${dataset}”.`);
    } catch (error) {
      notifyError(`Could not delete “${dataset}”`, error);
    }
  };
}

/**
 * Let the browser download the file: it streams to disk instead of through this page's
 * memory, and shows its own progress.
 */
async function downloadDataset(
  model: DataplaneModel,
  { project, dataset }: ITarget,
  format: DownloadFormat
): Promise<void> {
  // The browser would fail a refused download silently: ask first whether there is data.
  try {
    const record = await model.client.describeDataset(project, dataset);
    if (!hasData(record)) {
      notifyError(
        `Cannot download “${dataset}”`,
        record.status === 'failed'
          ? `Its import failed, so it holds no data: ${record.error ?? 'no reason given'}`
          : `It is still being imported (${record.status_label}); try again once it is ready.`
      );
      return;
    }
  } catch (error) {
    notifyError(`Cannot download “${dataset}”`, error);
    return;
  }
  const link = document.createElement('a');
  link.href = model.client.datasetDownloadUrl(project, dataset, format);
  link.download = `${dataset}.${format}`;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
}
