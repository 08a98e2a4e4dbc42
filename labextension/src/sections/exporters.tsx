import { historyIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ExporterForm, exportModeLabel } from '../forms/exporterForm';
import { SourcesModel } from '../sourcesModel';
import { IExportRun, IExporter } from '../types';
import { describeRunTimes, exporterDestination, runDestination } from './exportRuns';
import { IItemAction, SourcesSection, describeEntries } from './sourcesSection';
import { statusClass } from '../details/format';

/** The exporters of the current project, each with its last export and, on demand, its history. */
export class ExportersSection extends SourcesSection<IExporter> {
  constructor(sources: SourcesModel) {
    super(sources, {
      what: 'exporter',
      resource: sources.client.exporters,
      emptyText:
        'No exporters yet: an exporter writes datasets to a table or a file through a connector.',
      testTooltip: 'Test: is the destination writable?',
      deleteConsequence: 'Its export history goes with it; what it wrote stays.'
    });
  }

  protected get items(): readonly IExporter[] {
    return this.sources.exporters;
  }

  protected form(saved?: IExporter): ExporterForm {
    return new ExporterForm(this.sources, saved);
  }

  protected itemActions(exporter: IExporter): IItemAction[] {
    const name = exporter.name;
    const history = this.sources.runs(name);
    return [
      {
        icon: historyIcon,
        tooltip: history ? 'Hide history' : 'Show history',
        className: 'jp-Dataplane-history',
        pressed: history !== undefined,
        onClick: () => void this.sources.toggleHistory(name)
      }
    ];
  }

  protected renderDetail(exporter: IExporter): JSX.Element {
    return (
      <>
        {exporter.connector}: {describeEntries(exporter.destination)} ·{' '}
        {exportModeLabel(exporter.mode)}
      </>
    );
  }

  protected renderStatus(exporter: IExporter): React.ReactNode {
    return (
      exporter.last_run &&
      !this.sources.runs(exporter.name) && (
        <div className="jp-Dataplane-lastRun">
          Last export: <RunSummary run={exporter.last_run} />
        </div>
      )
    );
  }

  protected renderMore(exporter: IExporter): React.ReactNode {
    const history = this.sources.runs(exporter.name);
    return history && <RunHistory runs={history} destination={exporterDestination(exporter)} />;
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
