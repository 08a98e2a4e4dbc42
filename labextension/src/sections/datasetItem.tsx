import {
  ToolbarButtonComponent,
  downloadIcon,
  ellipsesIcon,
  launchIcon,
  notebookIcon,
  refreshIcon
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { formatBytes, statusClass } from '../details/format';
import { embeddingsIcon } from '../icons';
import { wordHints } from '../hints';
import { actionFits, embeddingsState, isBusy } from '../model';
import { DatasetOrigin, IDataset, IUploadProgress } from '../types';
import { ProgressBar } from './common';

/** How each origin is named in tooltips (the platform's wording). */
export const ORIGIN_LABELS: Record<DatasetOrigin, string> = {
  upload: 'File upload',
  datasource: 'Datasource',
  pipeline_output: 'Pipeline output',
  pipeline_intermediate: 'Pipeline intermediate file'
};

/** Short names of the origins, where the narrow sidebar shows them. */
export const ORIGIN_SHORT_LABELS: Record<DatasetOrigin, string> = {
  upload: 'Upload',
  datasource: 'Datasource',
  pipeline_output: 'Pipeline',
  pipeline_intermediate: 'Intermediate'
};

/** The platform's wording of each status, for a server that sends no `status_label`. */
const STATUS_LABELS: Record<string, string> = {
  copying: 'Copy on going',
  computing_statistics: 'Dataset Statistics pending',
  ready: 'Ready to be used',
  failed: 'Failed'
};

/** An action of a dataset row, shown as an icon button. */
export interface IRowAction {
  id: string;
  tooltip: string;
  icon: typeof launchIcon;
}

/** Inline actions, in display order; each shows only while its command exists. */
export const ROW_ACTIONS: Record<'details' | 'notebook' | 'download' | 'retry', IRowAction> = {
  details: { id: 'details', tooltip: 'Details', icon: launchIcon },
  notebook: { id: 'notebook', tooltip: 'Open in a notebook', icon: notebookIcon },
  download: { id: 'download', tooltip: 'Download as CSV', icon: downloadIcon },
  retry: { id: 'retry', tooltip: 'Retry the import with other options', icon: refreshIcon }
};

/** The embeddings action of a ready dataset: its id tells what a click does. */
export type EmbeddingsAction = 'compute-embeddings' | 'explore-embeddings';

/** Props of `DatasetItem`. */
export interface IDatasetItemProps {
  dataset: IDataset;
  selected: boolean;
  /** The inline actions available now (their commands exist). */
  actions: IRowAction[];
  /** The embeddings actions available now (their commands exist). */
  embeddingsActions: EmbeddingsAction[];
  /** How far the computation of the embeddings is (0 to 1), while they are computing. */
  embeddingsProgress: number;
  onAction: (action: string, dataset: IDataset) => void;
  onSelect: (dataset: IDataset) => void;
  /** Opens the dataset's menu at the pointer or below the "more" button. */
  onMenu: (dataset: IDataset, x: number, y: number) => void;
}

/** One dataset: name and actions, then status (with live progress), shape, size, origin. */
export function DatasetItem(props: IDatasetItemProps): JSX.Element {
  const { dataset } = props;
  const openMenu = (event: React.MouseEvent) => {
    event.preventDefault();
    event.stopPropagation();
    props.onSelect(dataset);
    props.onMenu(dataset, event.clientX, event.clientY);
  };
  return (
    <li
      className={`jp-Dataplane-item jp-Dataplane-dataset${props.selected ? ' jp-mod-selected' : ''}`}
      data-name={dataset.name}
      data-status={dataset.status}
      tabIndex={0}
      onClick={() => props.onSelect(dataset)}
      onDoubleClick={event => {
        if (!(event.target as HTMLElement).closest('button')) {
          props.onAction('details', dataset);
        }
      }}
      onContextMenu={openMenu}
      onKeyDown={event => onKeyDown(event, props)}
    >
      <div className="jp-Dataplane-itemRow">
        <span className="jp-Dataplane-itemName" title={dataset.name}>
          {dataset.name}
        </span>
        <span className="jp-Dataplane-itemActions">
          {props.actions.filter(action => actionFits(action.id, dataset)).map(action => (
            <ToolbarButtonComponent
              key={action.id}
              className={`jp-Dataplane-action jp-Dataplane-action-${action.id}`}
              icon={action.icon}
              tooltip={action.tooltip}
              onClick={() => props.onAction(action.id, dataset)}
            />
          ))}
          {dataset.status === 'ready' && <EmbeddingsButton {...props} />}
          <ToolbarButtonComponent
            className="jp-Dataplane-action jp-Dataplane-action-more"
            icon={ellipsesIcon}
            tooltip="More actions"
            onClick={event => {
              const rect = (event?.currentTarget as HTMLElement).getBoundingClientRect();
              props.onSelect(dataset);
              props.onMenu(dataset, rect.left, rect.bottom);
            }}
          />
        </span>
      </div>
      <div className="jp-Dataplane-itemRow jp-Dataplane-itemMeta">
        <DatasetStatusBadge dataset={dataset} />
        <span className="jp-Dataplane-itemShape">{formatShape(dataset)}</span>
        {dataset.size_bytes !== null && (
          <span className="jp-Dataplane-itemSize">{formatBytes(dataset.size_bytes)}</span>
        )}
        <span className="jp-Dataplane-itemOrigin" title={`Origin: ${ORIGIN_LABELS[dataset.origin] ?? dataset.origin}${dataset.created_by ? `; created by ${dataset.created_by}` : ''}`}>
          {ORIGIN_SHORT_LABELS[dataset.origin] ?? dataset.origin}
        </span>
      </div>
      {isBusy(dataset) && <ProgressBar fraction={dataset.progress} />}
      {dataset.status === 'ready' && embeddingsState(dataset) === 'computing' && (
        <div className="jp-Dataplane-itemEmbeddings">
          <span className={statusClass('computing_embeddings')}>
            Computing embeddings {formatPercent(props.embeddingsProgress)}
          </span>
          <ProgressBar fraction={props.embeddingsProgress} />
        </div>
      )}
      {dataset.error && (
        <div className="jp-Dataplane-itemError" title={wordHints(dataset.error, dataset.hints)}>
          {wordHints(dataset.error, dataset.hints)}
        </div>
      )}
    </li>
  );
}

/**
 * "Compute embeddings" (none yet, or the last computation failed), "Embeddings…" (disabled,
 * with the progress, while they are computing) or "Explore embeddings" (computed).
 */
function EmbeddingsButton(props: IDatasetItemProps): JSX.Element | null {
  const { dataset } = props;
  const state = embeddingsState(dataset);
  const action: EmbeddingsAction = state === 'ready' ? 'explore-embeddings' : 'compute-embeddings';
  if (!props.embeddingsActions.includes(action)) {
    return null;
  }
  let tooltip = state === 'ready' ? 'Explore embeddings' : 'Compute embeddings';
  if (state === 'computing') {
    tooltip = `Embeddings… ${formatPercent(props.embeddingsProgress)}`;
  } else if (state === 'failed') {
    const error = dataset.embeddings?.error;
    tooltip += ` (the last computation failed${error ? `: ${error}` : ''})`;
  }
  return (
    <ToolbarButtonComponent
      className={`jp-Dataplane-action jp-Dataplane-action-embeddings jp-mod-${state}`}
      icon={embeddingsIcon}
      tooltip={tooltip}
      enabled={state !== 'computing'}
      dataset={{ embeddings: state }}
      onClick={() => props.onAction(action, dataset)}
    />
  );
}

/** Enter opens the details; the menu key or Shift+F10 opens the menu below the row. */
function onKeyDown(event: React.KeyboardEvent<HTMLElement>, props: IDatasetItemProps): void {
  if (event.target !== event.currentTarget) {
    return; // a key on one of the row's buttons
  }
  const { dataset } = props;
  if (event.key === 'Enter') {
    props.onSelect(dataset);
    props.onAction('details', dataset);
  } else if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
    event.preventDefault();
    const rect = event.currentTarget.getBoundingClientRect();
    props.onSelect(dataset);
    props.onMenu(dataset, rect.left + 12, rect.bottom);
  }
}

/** The status in the platform's wording, with the running step's percentage. */
function DatasetStatusBadge(props: { dataset: IDataset }): JSX.Element {
  const { dataset } = props;
  const label = dataset.status_label || STATUS_LABELS[dataset.status] || dataset.status;
  const percent = isBusy(dataset) && dataset.progress > 0 ? ` ${formatPercent(dataset.progress)}` : '';
  return (
    <span className={statusClass(dataset.status)}>
      {label + percent}
    </span>
  );
}

/** A file on its way to the server. */
export function UploadItem(props: { upload: IUploadProgress }): JSX.Element {
  const { upload } = props;
  const fraction = upload.total > 0 ? upload.loaded / upload.total : 0;
  return (
    <li className="jp-Dataplane-item jp-Dataplane-upload" data-name={upload.fileName}>
      <div className="jp-Dataplane-itemRow">
        <span className="jp-Dataplane-itemName" title={upload.fileName}>
          {upload.fileName}
        </span>
      </div>
      <div className="jp-Dataplane-itemRow jp-Dataplane-itemMeta">
        <span className={statusClass('copying')}>
          Uploading {formatPercent(fraction)}
        </span>
        <span className="jp-Dataplane-itemSize">
          {formatBytes(upload.loaded)} of {formatBytes(upload.total)}
        </span>
      </div>
      <ProgressBar fraction={fraction} />
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

function formatPercent(fraction: number): string {
  return `${Math.floor(Math.max(0, Math.min(1, fraction)) * 100)}%`;
}
