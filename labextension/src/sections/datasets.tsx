import * as React from 'react';

import { DataplaneModel } from '../model';
import { DatasetStatus, IDataset } from '../types';
import { ModelView } from '../view';

/** The datasets of the current project. */
export class DatasetsSection extends ModelView {
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
