import * as React from 'react';

import { IDataset } from '../types';
import { DataTable } from './table';
import { OpenDatasetContext } from './theme';

/** Where a dataset made by a pipeline run comes from (`lineage` of its description). */
export type ILineage = NonNullable<IDataset['lineage']>;

/** True when a pipeline run made the dataset (the Lineage tab is shown then). */
export function hasLineage(dataset: IDataset): boolean {
  return dataset.lineage !== null && dataset.lineage !== undefined;
}

/** Props of {@link LineageTab}. */
export interface ILineageTabProps {
  project: string;
  lineage: ILineage;
}

/**
 * The pipeline, version, run and step that made the dataset, the steps it was computed through,
 * the datasets those started from (each opens its details) and the exports of it the run made.
 */
export function LineageTab(props: ILineageTabProps): JSX.Element {
  const { project, lineage } = props;
  const openDataset = React.useContext(OpenDatasetContext);
  const inputs = lineage.inputs ?? [];
  const exports = lineage.exports ?? [];
  const reusedBy = lineage.reused_by ?? [];
  const chain = [...(lineage.upstream_steps ?? []), lineage.step];
  return (
    <div className="jp-Dataplane-detailsLineage">
      <dl className="jp-Dataplane-lineageFacts">
        <dt>Pipeline</dt>
        <dd data-field="pipeline">{lineage.pipeline}</dd>
        <dt>Version</dt>
        <dd data-field="version">{lineage.version}</dd>
        <dt>Run</dt>
        <dd data-field="run">
          #{lineage.run_number}{' '}
          <span className={`jp-Dataplane-status jp-Dataplane-status-${lineage.run_status}`}>
            {lineage.run_status}
          </span>
        </dd>
        <dt>Step</dt>
        <dd data-field="step">
          {lineage.step} ({lineage.step_kind}, {lineage.role})
        </dd>
      </dl>
      <p className="jp-Dataplane-lineageChain" data-field="chain">
        {chain.map((name, index) => (
          <React.Fragment key={name}>
            {index > 0 && <span className="jp-Dataplane-lineageArrow"> → </span>}
            <code className={name === lineage.step ? 'jp-mod-current' : ''}>{name}</code>
          </React.Fragment>
        ))}
      </p>
      <h3 className="jp-Dataplane-lineageHeading">Inputs</h3>
      {inputs.length === 0 ? (
        <p className="jp-Dataplane-notice">
          {lineage.role === 'snapshot'
            ? 'A snapshot read from its datasource at the start of the run.'
            : 'No dataset read.'}
        </p>
      ) : (
        <DataTable className="jp-Dataplane-lineageInputs" headers={['Dataset', 'Role', 'Read by step', 'Datasource']}>
          {inputs.map(input => (
            <tr key={input.step}>
              <td>
                {input.dataset_id && input.dataset ? (
                  <button
                    className="jp-Dataplane-linkButton"
                    title={`Open the details of ${input.dataset}`}
                    onClick={() => openDataset(project, input.dataset_id as string)}
                  >
                    {input.dataset}
                  </button>
                ) : (
                  <span className="jp-Dataplane-muted">deleted since</span>
                )}
              </td>
              <td>{input.role ?? ''}</td>
              <td>{input.step}</td>
              <td>{input.datasource ?? ''}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {exports.length > 0 && (
        <>
          <h3 className="jp-Dataplane-lineageHeading">Exports</h3>
          <DataTable className="jp-Dataplane-lineageExports" headers={['Exporter', 'Status', 'Step', 'Location']}>
            {exports.map(item => (
              <tr key={item.export_run_id}>
                <td>{item.exporter ?? ''}</td>
                <td>
                  <span className={`jp-Dataplane-status jp-Dataplane-status-${item.status}`}>
                    {item.status}
                  </span>
                </td>
                <td>{item.step}</td>
                <td>{item.location ?? ''}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
      {reusedBy.length > 0 && (
        <p className="jp-Dataplane-notice">
          Reused by run{reusedBy.length > 1 ? 's' : ''}{' '}
          {reusedBy.map(n => `#${n}`).join(', ')}.
        </p>
      )}
    </div>
  );
}
