import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { DataplaneClient } from '../client';
import { errorMessage } from '../notifications';
import { IPipeline, IPipelineRun } from '../types';
import { DagView, dagSteps } from './dag';
import { statusClass } from '../details/format';

const ACTIVE = ['queued', 'running'];
const FAST = 700;
const SLOW = 5000;

/**
 * A pipeline in the main area: its DAG with the live status of the picked run, Run now, the run
 * history, and the picked run's steps with their logs and outputs (which open in the dataset
 * details).
 */
export class PipelineView extends ReactWidget {
  constructor(
    private readonly _client: DataplaneClient,
    readonly project: string,
    readonly pipeline: string,
    private readonly _openDataset: (dataset: string) => void
  ) {
    super();
    this.addClass('jp-Dataplane-pipelineView');
    this.id = `dataplane-pipeline-${project}-${pipeline}`;
    this.title.label = `Pipeline ${pipeline}`;
    this.title.closable = true;
    void this.reload();
  }

  dispose(): void {
    window.clearTimeout(this._timer);
    super.dispose();
  }

  /** Re-read the pipeline and its runs; poll fast while the picked run goes on. */
  async reload(): Promise<void> {
    window.clearTimeout(this._timer);
    if (this.isDisposed) {
      return;
    }
    try {
      const [info, runs] = await Promise.all([
        this._client.getPipeline(this.project, this.pipeline),
        this._client.listPipelineRuns(this.project, this.pipeline)
      ]);
      this._info = info;
      this._runs = runs;
      this._error = '';
      if (!this._picked || !runs.some(run => run.id === this._picked)) {
        this._picked = runs[0]?.id ?? null;
      }
    } catch (error) {
      this._error = errorMessage(error);
    }
    this.update();
    if (this._pickedStep && this._picked) {
      void this._loadLog(this._picked, this._pickedStep);
    }
    const active = this._runs.some(run => ACTIVE.includes(run.status));
    this._timer = window.setTimeout(() => void this.reload(), active ? FAST : SLOW);
  }

  /** Start a run now and follow it. */
  async runNow(): Promise<void> {
    try {
      const run = await this._client.runPipeline(this.project, this.pipeline);
      this._picked = run.id;
      this._message = `Run #${run.number} started.`;
    } catch (error) {
      this._message = errorMessage(error);
    }
    await this.reload();
  }

  render(): JSX.Element {
    const info = this._info;
    if (!info) {
      return <div className="jp-Dataplane-pipelineBody">{this._error || 'Loading…'}</div>;
    }
    const run = this._runs.find(r => r.id === this._picked) ?? null;
    const statuses: Record<string, string> = {};
    for (const step of run?.steps ?? []) {
      statuses[step.name] = step.status;
    }
    const active = run !== null && ACTIVE.includes(run.status);
    return (
      <div className="jp-Dataplane-pipelineBody" data-run-status={run?.status ?? 'none'}>
        <div className="jp-Dataplane-pipelineHeader">
          <h2>{info.name}</h2>
          <span className="jp-Dataplane-muted">
            version {info.version} · {info.steps.length} steps
          </span>
          <button className="jp-mod-styled jp-mod-accept jp-Dataplane-runNow" onClick={() => void this.runNow()}>
            Run now
          </button>
          {active && run && (
            <button
              className="jp-mod-styled jp-Dataplane-cancelRun"
              onClick={() => void this._client.cancelPipelineRun(this.project, run.id).then(() => this.reload())}
            >
              Cancel
            </button>
          )}
          {run && ['failed', 'cancelled'].includes(run.status) && (
            <button
              className="jp-mod-styled jp-Dataplane-retryRun"
              onClick={() =>
                void this._client.retryPipelineRun(this.project, run.id).then(next => {
                  this._picked = next.id;
                  return this.reload();
                })
              }
            >
              Retry from the failed step
            </button>
          )}
        </div>
        {this._message && <p className="jp-Dataplane-muted jp-Dataplane-pipelineMessage">{this._message}</p>}
        {this._error && <p className="jp-Dataplane-itemError">{this._error}</p>}
        <DagView steps={dagSteps(info.steps)} statuses={statuses} />
        {run && this.renderRun(run)}
        <h3>Runs</h3>
        {this._runs.length === 0 ? (
          <p className="jp-Dataplane-empty">No run yet.</p>
        ) : (
          <table className="jp-Dataplane-runsTable">
            <thead>
              <tr><th>run</th><th>status</th><th>version</th><th>trigger</th><th>started</th><th>took</th></tr>
            </thead>
            <tbody>
              {this._runs.map(r => (
                <tr
                  key={r.id}
                  className={r.id === this._picked ? 'jp-mod-selected jp-Dataplane-runRow' : 'jp-Dataplane-runRow'}
                  data-status={r.status}
                  onClick={() => {
                    this._picked = r.id;
                    this._pickedStep = null;
                    this.update();
                  }}
                >
                  <td>#{r.number}</td>
                  <td><span className={statusClass(r.status)}>{r.status}</span></td>
                  <td>v{r.version}</td>
                  <td>{r.trigger}</td>
                  <td>{r.started_at ? new Date(r.started_at).toLocaleString() : '—'}</td>
                  <td>{r.duration_seconds !== null && r.duration_seconds !== undefined ? `${r.duration_seconds.toFixed(1)} s` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    );
  }

  private renderRun(run: IPipelineRun): JSX.Element {
    return (
      <div className="jp-Dataplane-pipelineRun" data-run={run.number} data-status={run.status}>
        <h3>
          Run #{run.number}:{' '}
          <span className={statusClass(run.status)}>{run.status}</span>
        </h3>
        {run.error && <p className="jp-Dataplane-itemError">{run.error}</p>}
        <table className="jp-Dataplane-stepsTable">
          <thead>
            <tr><th>step</th><th>kind</th><th>status</th><th>rows in</th><th>rows out</th><th>took</th><th>output</th><th>message</th><th></th></tr>
          </thead>
          <tbody>
            {(run.steps ?? []).map(step => (
              <tr key={step.name} className="jp-Dataplane-stepRow" data-step={step.name} data-status={step.status}>
                <td>{step.name}</td>
                <td>{step.kind}</td>
                <td><span className={statusClass(step.status)}>{step.status}</span></td>
                <td>{step.rows_in?.toLocaleString() ?? '—'}</td>
                <td>{step.rows_out?.toLocaleString() ?? '—'}</td>
                <td>{step.seconds !== null && step.seconds !== undefined ? `${step.seconds.toFixed(2)} s` : '—'}</td>
                <td>
                  {step.dataset ? (
                    <button
                      className="jp-Dataplane-linkButton jp-Dataplane-openOutput"
                      title={`Open the details of dataset ${step.dataset} (${step.dataset_role})`}
                      onClick={() => this._openDataset(step.dataset as string)}
                    >
                      {step.dataset}
                    </button>
                  ) : (
                    '—'
                  )}
                </td>
                <td className="jp-Dataplane-stepMessage">{step.message}</td>
                <td>
                  <button
                    className="jp-Dataplane-linkButton jp-Dataplane-showLog"
                    onClick={() => {
                      this._pickedStep = step.name;
                      void this._loadLog(run.id, step.name);
                    }}
                  >
                    log
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {this._pickedStep && (
          <div className="jp-Dataplane-stepLog" data-step={this._pickedStep}>
            <div className="jp-Dataplane-muted">log of {this._pickedStep}</div>
            <pre>{this._log || '(empty)'}</pre>
          </div>
        )}
      </div>
    );
  }

  private async _loadLog(run: string, step: string): Promise<void> {
    try {
      this._log = (await this._client.stepLog(this.project, run, step)).log;
    } catch (error) {
      this._log = errorMessage(error);
    }
    this.update();
  }

  private _info: IPipeline | null = null;
  private _runs: IPipelineRun[] = [];
  private _picked: string | null = null;
  private _pickedStep: string | null = null;
  private _log = '';
  private _error = '';
  private _message = '';
  private _timer = 0;
}
