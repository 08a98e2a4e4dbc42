import { JupyterFrontEnd } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import { SidePanel, downloadIcon, fileUploadIcon } from '@jupyterlab/ui-components';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { Poll } from '@lumino/polling';

import { DataplaneClient } from '../client';
import { ExportForm } from '../forms/exportForm';
import { showForm } from '../forms/formDialog';
import { ImportForm } from '../forms/importForm';
import { PickForm } from '../forms/pickForm';
import { DataplaneModel } from '../model';
import { errorMessage, notifyError, notifySuccess } from '../notifications';
import { ConnectorsSection } from '../sections/connectors';
import { DatasourcesSection } from '../sections/datasources';
import { ExportersSection } from '../sections/exporters';
import { SourcesModel, isActiveRun } from '../sourcesModel';
import { IDataset, IExportRun } from '../types';
import { CommandIDs } from './sourceIds';

export { CommandIDs } from './sourceIds';

/**
 * Connectors, datasources and exporters in the data sidebar: their model, their three sections
 * (after those already in `sidebar`) and the import/export commands other sections call.
 */
export function activateSources(
  app: JupyterFrontEnd,
  model: DataplaneModel,
  sidebar: SidePanel
): SourcesModel {
  const sources = new SourcesModel(model);
  const execute = (id: string, args: Record<string, string>): void =>
    void app.commands.execute(id, args);
  sidebar.addWidget(new ConnectorsSection(sources));
  sidebar.addWidget(new DatasourcesSection(sources, execute));
  sidebar.addWidget(new ExportersSection(sources));
  registerSourceCommands(app, sources);
  return sources;
}

/** `dataplane:import-from-datasource` and `dataplane:export-dataset`. */
export function registerSourceCommands(app: JupyterFrontEnd, sources: SourcesModel): void {
  app.commands.addCommand(CommandIDs.importFromDatasource, {
    label: 'Import from a datasource…',
    caption: 'Import a datasource of the project as a new dataset',
    icon: fileUploadIcon,
    execute: args => importFromDatasource(sources, args)
  });
  app.commands.addCommand(CommandIDs.exportDataset, {
    label: 'Export with an exporter…',
    caption: 'Write the dataset to a table or a file with one of the project’s exporters',
    icon: downloadIcon,
    execute: args => exportDataset(sources, args)
  });
}

function stringArg(args: ReadonlyPartialJSONObject, name: string): string | undefined {
  const value = args[name];
  return typeof value === 'string' && value ? value : undefined;
}

/**
 * List the project's datasources or exporters (`what`), then pick one in the dialog of `form`,
 * which starts the job; resolves to what it started, or undefined when cancelled or when the
 * list is refused (notified).
 */
async function pickAndStart<T extends { name: string }, R>(
  project: string,
  what: string,
  list: () => Promise<T[]>,
  form: (choices: T[]) => PickForm<T, R>,
  dialog: { title: string; acceptLabel: string }
): Promise<R | undefined> {
  let choices: T[];
  try {
    choices = await list();
  } catch (error) {
    notifyError(`Could not list the ${what} of '${project}'`, error);
    return undefined;
  }
  const body = form(choices);
  const done = await showForm({ ...dialog, body });
  return (done && body.started) || undefined;
}

/** The import dialog; resolves to the new dataset (importing), or undefined when cancelled. */
async function importFromDatasource(
  sources: SourcesModel,
  args: ReadonlyPartialJSONObject
): Promise<IDataset | undefined> {
  const project = stringArg(args, 'project') ?? sources.project;
  if (!project) {
    return undefined;
  }
  const dataset = await pickAndStart(
    project,
    'datasources',
    () => sources.client.datasources.list(project),
    datasources =>
      new ImportForm(sources.client, project, datasources, stringArg(args, 'datasource')),
    { title: 'Import a dataset from a datasource', acceptLabel: 'Import' }
  );
  if (!dataset) {
    return undefined;
  }
  notifySuccess(`Importing dataset '${dataset.name}'`);
  void sources.data.refresh();
  return dataset;
}

/** The export dialog, then the run followed to its end; resolves to the run as started. */
async function exportDataset(
  sources: SourcesModel,
  args: ReadonlyPartialJSONObject
): Promise<IExportRun | undefined> {
  const project = stringArg(args, 'project') ?? sources.project;
  const dataset = stringArg(args, 'dataset');
  if (!project || !dataset) {
    return undefined;
  }
  const run = await pickAndStart(
    project,
    'exporters',
    () => sources.client.exporters.list(project),
    exporters => new ExportForm(sources.client, project, dataset, exporters),
    { title: `Export dataset '${dataset}'`, acceptLabel: 'Export' }
  );
  if (!run) {
    return undefined;
  }
  void sources.refresh();
  followExportRun(sources.client, project, run, () => void sources.refresh());
  return run;
}

/** Requests in a row that may fail before following an export gives up. */
const MAX_FAILURES = 10;

/**
 * Show an export's progress as a notification until it ends, then say how it ended (rows and
 * location, or the server's error).
 */
export function followExportRun(
  client: DataplaneClient,
  project: string,
  started: IExportRun,
  onEnd: () => void
): void {
  const what = `'${started.dataset_name}' with '${started.exporter}'`;
  const id = Notification.emit(`Exporting ${what}…`, 'in-progress', { autoClose: false });
  let failures = 0;
  const end = (report: () => void): void => {
    poll.dispose();
    Notification.dismiss(id);
    report();
    onEnd();
  };
  const poll = new Poll({
    factory: async () => {
      let run: IExportRun;
      try {
        run = await client.getExportRun(project, started.id);
      } catch (error) {
        if (++failures >= MAX_FAILURES) {
          end(() => notifyError(`Lost track of the export of ${what}`, errorMessage(error)));
        }
        return;
      }
      failures = 0;
      if (!isActiveRun(run)) {
        end(() => reportRun(run, what));
      }
    },
    frequency: { interval: 1000, backoff: true, max: 10 * 1000 },
    name: 'dataplane-jupyter:export-run',
    standby: 'never'
  });
}

function reportRun(run: IExportRun, what: string): void {
  if (run.status === 'succeeded') {
    const rows = run.rows !== null ? `${run.rows.toLocaleString()} rows` : 'done';
    notifySuccess(`Exported ${what}: ${rows}${run.location ? ` to ${run.location}` : ''}`);
  } else {
    notifyError(`Export of ${what} ${run.status}`, run.error ?? run.status);
  }
}
