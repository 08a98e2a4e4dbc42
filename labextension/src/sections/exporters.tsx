import { checkIcon, deleteIcon, editIcon, historyIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ExporterForm, exportModeLabel } from '../forms/exporterForm';
import { showForm } from '../forms/formDialog';
import { SourcesModel } from '../sourcesModel';
import { IExportRun, IExporter } from '../types';
import { describeRunTimes, exporterDestination, runDestination } from './exportRuns';
import { ItemActions, ItemTest, SourcesSection, describeEntries } from './sourcesSection';
import { statusClass } from '../details/format';

/** Open the exporter form in a dialog: a new exporter, or `saved` to edit it. */
export async function editExporter(
  sources: SourcesModel,
  saved?: IExporter
): Promise<boolean> {
  return showForm({
    title: saved ? `Edit exporter '${saved.name}'` : 'New exporter',
    body: new ExporterForm(sources, saved),
    acceptLabel: 'Save'
  });
}

/** The exporters of the current project, each with its last export and, on demand, its history. */
export class ExportersSection extends SourcesSection {
  constructor(sources: SourcesModel) {
    super(sources, {
      label: 'Exporters',
      newLabel: 'New exporter',
      className: 'jp-Dataplane-exporters'
    });
  }

  protected readonly emptyText =
    'No exporters yet: an exporter writes datasets to a table or a file through a connector.';

  protected async create(): Promise<void> {
    await editExporter(this.sources);
  }

  protected renderList(): JSX.Element {
    const exporters = this.sources.exporters;
    if (exporters.length === 0) {
      return this.empty;
    }
    return (
      <ul className="jp-Dataplane-list">
        {exporters.map(exporter => this.renderItem(exporter))}
      </ul>
    );
  }

  private renderItem(exporter: IExporter): JSX.Element {
    const { sources } = this;
    const project = sources.project as string;
    const name = exporter.name;
    const history = sources.runs(name);
    return (
      <li key={exporter.id} className="jp-Dataplane-item jp-Dataplane-exporter" data-name={name}>
        <div className="jp-Dataplane-itemRow">
          <span className="jp-Dataplane-itemName">{name}</span>
          <ItemActions
            actions={[
              {
                icon: historyIcon,
                tooltip: history ? 'Hide history' : 'Show history',
                className: 'jp-Dataplane-history',
                pressed: history !== undefined,
                onClick: () => void sources.toggleHistory(name)
              },
              {
                icon: checkIcon,
                tooltip: 'Test: is the destination writable?',
                className: 'jp-Dataplane-test',
                onClick: () =>
                  void this.runTest(name, () => sources.client.testExporter(project, name))
              },
              {
                icon: editIcon,
                tooltip: 'Edit',
                className: 'jp-Dataplane-edit',
                onClick: () =>
                  void this.edit(name, () => editExporter(sources, exporter))
              },
              {
                icon: deleteIcon,
                tooltip: 'Delete',
                className: 'jp-Dataplane-delete',
                onClick: () =>
                  void this.confirmDelete(
                    'exporter',
                    name,
                    () => sources.client.deleteExporter(project, name),
                    'Its export history goes with it; what it wrote stays.'
                  )
              }
            ]}
          />
        </div>
        <div className="jp-Dataplane-itemDetail">
          <span className="jp-Dataplane-kind">
            {sources.kind(exporter.kind)?.label ?? exporter.kind}
          </span>
          {exporter.connector}: {describeEntries(exporter.destination)} ·{' '}
          {exportModeLabel(exporter.mode)}
        </div>
        {exporter.last_run && !history && (
          <div className="jp-Dataplane-lastRun">
            Last export: <RunSummary run={exporter.last_run} />
          </div>
        )}
        <ItemTest state={this.tests.get(name)} />
        {history && <RunHistory runs={history} destination={exporterDestination(exporter)} />}
      </li>
    );
  }
}

/** An exporter's exports, newest first, each with its destination. */
function RunHistory(props: { runs: readonly IExportRun[]; destination: string }): JSX.Element {
  if (props.runs.length === 0) {
    return <p className="jp-Dataplane-empty jp-Dataplane-history">No exports yet.</p>;
  }
  return (
    <ol className="jp-Dataplane-runs">
      {props.runs.map(run => (
        <li
          key={run.id}
          className="jp-Dataplane-run"
          data-status={run.status}
          data-dataset={run.dataset_name}
        >
          <RunSummary run={run} />
          <div className="jp-Dataplane-runDetail jp-Dataplane-runTimes">{describeRunTimes(run)}</div>
          <div className="jp-Dataplane-runDetail jp-Dataplane-runDestination" title={runDestination(run, props.destination)}>
            → {runDestination(run, props.destination)}
          </div>
          {run.error && <div className="jp-Dataplane-itemError">{run.error}</div>}
        </li>
      ))}
    </ol>
  );
}

/** Status, dataset and rows of one export. */
function RunSummary(props: { run: IExportRun }): JSX.Element {
  const { run } = props;
  const progress =
    run.status === 'running' && run.progress > 0 ? ` ${Math.round(run.progress * 100)}%` : '';
  return (
    <span className="jp-Dataplane-runSummary">
      <span className={statusClass(run.status)}>
        {run.status + progress}
      </span>{' '}
      <span className="jp-Dataplane-runDataset">{run.dataset_name}</span>
      {run.rows !== null && <span> · {run.rows.toLocaleString()} rows</span>}
    </span>
  );
}
