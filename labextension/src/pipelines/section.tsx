import { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, WidgetTracker } from '@jupyterlab/apputils';
import {
  ReactWidget,
  SidePanel,
  Toolbar,
  ToolbarButton,
  ToolbarButtonComponent,
  addIcon,
  deleteIcon,
  editIcon,
  launchIcon,
  runIcon,
  runningIcon
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { OPEN_DATASET_DETAILS } from '../commands/details';
import { confirmDelete } from '../dialogs';
import { showForm } from '../forms/formDialog';
import { DataplaneModel } from '../model';
import { errorMessage, notifyError, notifySuccess } from '../notifications';
import { TargetSchedules, createScheduleFor } from '../schedules/scheduleList';
import { IPipeline } from '../types';
import { PipelineEditor } from './editor';
import { PipelineView } from './view';
import { statusClass } from '../details/format';

/** Id of the command that opens a pipeline (DAG, runs, logs) in the main area. */
export const OPEN_PIPELINE = 'dataplane:open-pipeline';

/** The "Pipelines" section of the data sidebar and the command that opens one in the main area. */
export function activatePipelines(app: JupyterFrontEnd, model: DataplaneModel, sidebar: SidePanel): PipelinesSection {
  const tracker = new WidgetTracker<MainAreaWidget<PipelineView>>({ namespace: 'dataplane-pipeline' });
  app.commands.addCommand(OPEN_PIPELINE, {
    label: args => (args.pipeline ? `Pipeline ${String(args.pipeline)}` : 'Open pipeline'),
    caption: 'Show a pipeline: its steps, live run status, runs and logs',
    execute: args => {
      const project = String(args.project ?? '');
      const pipeline = String(args.pipeline ?? '');
      const open = tracker.find(w => w.content.project === project && w.content.pipeline === pipeline);
      if (open) {
        app.shell.activateById(open.id);
        void open.content.reload();
        return open;
      }
      const view = new PipelineView(model.client, project, pipeline, dataset =>
        void app.commands.execute(OPEN_DATASET_DETAILS, { project, dataset })
      );
      const widget = new MainAreaWidget({ content: view });
      widget.id = view.id;
      widget.title.label = view.title.label;
      widget.title.closable = true;
      app.shell.add(widget, 'main');
      void tracker.add(widget);
      app.shell.activateById(widget.id);
      return widget;
    }
  });
  const section = new PipelinesSection(model, (pipeline: string) =>
    void app.commands.execute(OPEN_PIPELINE, { project: model.currentProject ?? '', pipeline })
  );
  sidebar.addWidget(section);
  return section;
}

/** The pipelines of the current project: last run, Run now, open, edit as YAML, delete. */
export class PipelinesSection extends ReactWidget {
  constructor(
    private readonly _model: DataplaneModel,
    private readonly _open: (pipeline: string) => void
  ) {
    super();
    this.addClass('jp-Dataplane-section');
    this.addClass('jp-Dataplane-pipelines');
    this.title.label = 'Pipelines';
    this.toolbar.addItem(
      'new',
      new ToolbarButton({
        icon: addIcon,
        tooltip: 'New pipeline (YAML)',
        className: 'jp-Dataplane-newButton',
        onClick: () => void this.edit()
      })
    );
    _model.refreshed.connect(() => void this.reload(), this);
    void this.reload();
  }

  /** The section's title-bar buttons. */
  readonly toolbar = new Toolbar();

  /** Re-read the list. */
  async reload(): Promise<void> {
    const project = this._model.currentProject;
    if (!project) {
      this._pipelines = [];
      this.update();
      return;
    }
    try {
      this._pipelines = await this._model.client.listPipelines(project);
      this._error = '';
      this._version += 1; // each refresh of the list also reloads the schedules shown
    } catch (error) {
      this._error = errorMessage(error);
    }
    this.update();
  }

  /** The YAML editor: a new pipeline, or new steps (a new version) of `saved`. */
  async edit(saved?: IPipeline): Promise<void> {
    const project = this._model.currentProject;
    if (!project) {
      return;
    }
    const done = await showForm({
      title: saved ? `Edit pipeline '${saved.name}'` : 'New pipeline',
      body: new PipelineEditor(this._model.client, project, saved),
      acceptLabel: 'Save'
    });
    if (done) {
      await this.reload();
    }
  }

  render(): JSX.Element {
    if (this._error) {
      return <p className="jp-Dataplane-itemError">{this._error}</p>;
    }
    if (this._pipelines.length === 0) {
      return (
        <p className="jp-Dataplane-empty" data-dataplane-empty="">
          No pipelines yet: a pipeline reads, transforms, predicts and exports, step by step.
        </p>
      );
    }
    return (
      <ul className="jp-Dataplane-list">
        {this._pipelines.map(pipeline => this.renderItem(pipeline))}
      </ul>
    );
  }

  private renderItem(pipeline: IPipeline): JSX.Element {
    const project = this._model.currentProject as string;
    const last = pipeline.last_run;
    return (
      <li key={pipeline.id} className="jp-Dataplane-item jp-Dataplane-pipeline" data-name={pipeline.name}>
        <div className="jp-Dataplane-itemRow">
          <span className="jp-Dataplane-itemName">{pipeline.name}</span>
          <span className="jp-Dataplane-itemActions">
            <ToolbarButtonComponent
              icon={runIcon}
              tooltip="Run now"
              className="jp-Dataplane-runPipeline"
              onClick={() =>
                void this._model.client
                  .runPipeline(project, pipeline.name)
                  .then(run => {
                    notifySuccess(`Run #${run.number} of pipeline '${pipeline.name}' started.`);
                    this._open(pipeline.name);
                    return this.reload();
                  })
                  .catch(error => notifyError(`Could not run pipeline '${pipeline.name}'`, error))
              }
            />
            <ToolbarButtonComponent
              icon={runningIcon}
              tooltip="Schedule: run it on a cron line, an interval or once"
              className="jp-Dataplane-schedule-new"
              onClick={() =>
                void createScheduleFor(this._model.client, project, { type: 'pipeline', name: pipeline.name })
              }
            />
            <ToolbarButtonComponent
              icon={launchIcon}
              tooltip="Open: steps, live status, runs and logs"
              className="jp-Dataplane-openPipeline"
              onClick={() => this._open(pipeline.name)}
            />
            <ToolbarButtonComponent
              icon={editIcon}
              tooltip="Edit as YAML (a new version)"
              className="jp-Dataplane-edit"
              onClick={() => void this.edit(pipeline)}
            />
            <ToolbarButtonComponent
              icon={deleteIcon}
              tooltip="Delete"
              className="jp-Dataplane-delete"
              onClick={() => void this.remove(pipeline.name)}
            />
          </span>
        </div>
        <div className="jp-Dataplane-itemDetail">
          v{pipeline.version} · {pipeline.steps.map(step => String(step.name)).join(' → ')}
        </div>
        {last && (
          <div className="jp-Dataplane-lastRun" data-status={last.status}>
            Last run #{last.number}:{' '}
            <span className={statusClass(last.status)}>{last.status}</span>
            {last.error && <div className="jp-Dataplane-itemError">{last.error}</div>}
          </div>
        )}
        <TargetSchedules
          client={this._model.client}
          project={project}
          target={{ type: 'pipeline', name: pipeline.name }}
          version={this._version}
        />
      </li>
    );
  }

  private async remove(name: string): Promise<void> {
    const project = this._model.currentProject as string;
    if (!(await confirmDelete(`Delete pipeline '${name}'?`, 'Its versions and runs go with it; its datasets stay.'))) {
      return;
    }
    try {
      await this._model.client.deletePipeline(project, name);
      notifySuccess(`Deleted pipeline '${name}'.`);
    } catch (error) {
      notifyError(`Could not delete pipeline '${name}'`, error);
    }
    await this.reload();
  }

  private _pipelines: IPipeline[] = [];
  private _error = '';
  private _version = 0;
}
