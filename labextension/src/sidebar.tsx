import {
  HTMLSelect,
  ReactWidget,
  SidePanel,
  ToolbarButton,
  UseSignal,
  refreshIcon
} from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { dataplaneIcon } from './icons';
import { DataplaneModel } from './model';
import { DatasetStatus, IDataset } from './types';

/** Widget id of the data sidebar (tests and the command rely on it). */
export const SIDEBAR_ID = 'dataplane-sidebar';

/** Shell command that turns the server extension on. */
const ENABLE_COMMAND = 'jupyter server extension enable dataplane_jupyter';

/**
 * The "Data" sidebar: a project picker in the header, then one accordion section per kind of
 * object (datasets for now).
 */
export class DataplaneSidebar extends SidePanel {
  constructor(model: DataplaneModel) {
    super();
    this._model = model;
    this.id = SIDEBAR_ID;
    this.addClass('jp-DataplaneSidebar');
    this.title.icon = dataplaneIcon;
    this.title.caption = 'Data';

    this.header.addWidget(new ProjectHeader(model));
    this.toolbar.addItem(
      'refresh',
      new ToolbarButton({
        icon: refreshIcon,
        tooltip: 'Refresh',
        onClick: () => void model.refresh()
      })
    );
    this.addWidget(new DatasetsSection(model));
    model.stateChanged.connect(this._onStateChanged, this);
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._model.stateChanged.disconnect(this._onStateChanged, this);
    super.dispose();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._model.active = true;
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this._model.active = false;
  }

  /** Without the server extension only the header's notice is worth showing. */
  private _onStateChanged(): void {
    const missing = this._model.serverExtension === 'missing';
    this.toolbar.setHidden(missing);
    this.content.setHidden(missing);
  }

  private _model: DataplaneModel;
}

/** Re-renders its children whenever the model's state changes. */
abstract class ModelView extends ReactWidget {
  constructor(protected readonly model: DataplaneModel) {
    super();
  }

  render(): JSX.Element {
    return (
      <UseSignal signal={this.model.stateChanged}>
        {() => this.renderState()}
      </UseSignal>
    );
  }

  protected abstract renderState(): JSX.Element;
}

/** Title, project picker and the messages that concern the whole panel. */
class ProjectHeader extends ModelView {
  constructor(model: DataplaneModel) {
    super(model);
    this.addClass('jp-Dataplane-header');
  }

  protected renderState(): JSX.Element {
    const model = this.model;
    return (
      <>
        <h2 className="jp-Dataplane-title">Data</h2>
        {model.serverExtension === 'missing' ? (
          <p className="jp-Dataplane-notice jp-Dataplane-missing">
            The dataplane_jupyter server extension is not enabled, so there is
            no data to show. Enable it with <code>{ENABLE_COMMAND}</code> and
            restart JupyterLab.
          </p>
        ) : (
          <>
            {model.projects.length > 0 && this.renderPicker()}
            {model.error && (
              <p className="jp-Dataplane-notice jp-Dataplane-error">
                Could not load data: {model.error}
              </p>
            )}
          </>
        )}
      </>
    );
  }

  private renderPicker(): JSX.Element {
    const model = this.model;
    return (
      <label className="jp-Dataplane-project">
        <span>Project</span>
        <HTMLSelect
          className="jp-Dataplane-projectSelect"
          value={model.currentProject ?? ''}
          onChange={event => void model.setCurrentProject(event.target.value)}
          options={model.projects.map(project => ({
            label: project.name,
            value: project.name
          }))}
        />
      </label>
    );
  }
}

/** The datasets of the current project. */
class DatasetsSection extends ModelView {
  constructor(model: DataplaneModel) {
    super(model);
    this.addClass('jp-Dataplane-section');
    this.addClass('jp-Dataplane-datasets');
    this.title.label = 'Datasets';
  }

  protected renderState(): JSX.Element {
    const model = this.model;
    if (model.serverExtension === 'missing') {
      return <></>;
    }
    if (model.loading) {
      return <p className="jp-Dataplane-empty">Loading…</p>;
    }
    if (model.currentProject === null) {
      return <p className="jp-Dataplane-empty">No projects yet.</p>;
    }
    if (model.datasets.length === 0) {
      return (
        <p className="jp-Dataplane-empty">No datasets in this project yet.</p>
      );
    }
    return (
      <ul className="jp-Dataplane-list jp-Dataplane-datasetList">
        {model.datasets.map(dataset => (
          <DatasetItem key={dataset.id} dataset={dataset} />
        ))}
      </ul>
    );
  }
}

/** The platform's wording of each status: short label, then the long one as a tooltip. */
const STATUS_TEXT: Record<DatasetStatus, [string, string]> = {
  copying: ['Copying', 'Copy on going'],
  computing_statistics: ['Statistics pending', 'Dataset Statistics pending'],
  ready: ['Ready', 'Ready to be used'],
  failed: ['Failed', 'Failed']
};

function DatasetItem(props: { dataset: IDataset }): JSX.Element {
  const { dataset } = props;
  const [label, long] = STATUS_TEXT[dataset.status] ?? [
    dataset.status,
    dataset.status
  ];
  const progress =
    dataset.status === 'copying' && dataset.progress !== null
      ? ` ${Math.round(dataset.progress * 100)}%`
      : '';
  return (
    <li
      className="jp-Dataplane-item jp-Dataplane-dataset"
      data-name={dataset.name}
      data-status={dataset.status}
      title={dataset.error ?? undefined}
    >
      <div className="jp-Dataplane-itemRow">
        <span className="jp-Dataplane-itemName">{dataset.name}</span>
        <span className="jp-Dataplane-itemShape">{formatShape(dataset)}</span>
        <span
          className={`jp-Dataplane-status jp-Dataplane-status-${dataset.status}`}
          title={long}
        >
          {label + progress}
        </span>
      </div>
      {dataset.error && (
        <div className="jp-Dataplane-itemError">{dataset.error}</div>
      )}
    </li>
  );
}

/** "1,234 × 5", or a dash while the shape is unknown. */
export function formatShape(dataset: IDataset): string {
  if (dataset.rows === null || dataset.columns === null) {
    return '—';
  }
  return `${dataset.rows.toLocaleString()} × ${dataset.columns.toLocaleString()}`;
}
