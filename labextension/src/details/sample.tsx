import { InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { notifyError } from '../notifications';
import { IDatasetSample } from '../types';
import { cellClass, formatCell, isCodeLike } from './format';
import { InlineForm } from './inlineForm';
import { IDatasetViewProps } from './props';
import { DataTable } from './table';
import { useRequest } from './useRequest';

/** Rows shown at first, as in the notebook panel. */
export const SAMPLE_ROWS = 20;
/** Most rows the server gives in one sample. */
export const MAX_SAMPLE_ROWS = 1000;

/** Props of {@link SampleTab}. */
export type ISampleTabProps = IDatasetViewProps;

/** The first rows of the dataset; how many is the user's choice. */
export function SampleTab(props: ISampleTabProps): JSX.Element {
  const { client, project, dataset } = props;
  const [wanted, setWanted] = React.useState(String(SAMPLE_ROWS));
  const [count, setCount] = React.useState(SAMPLE_ROWS);
  const [sample, setSample] = React.useState<IDatasetSample | null>(null);
  const [loading, setLoading] = React.useState(false);

  useRequest(
    () => {
      setLoading(true);
      return client.getSample(project, dataset, count);
    },
    found => {
      setSample(found);
      setLoading(false);
    },
    error => {
      notifyError('Could not load the sample', error);
      setLoading(false);
    },
    [client, project, dataset, count]
  );

  const parsed = Number(wanted);
  const valid = Number.isInteger(parsed) && parsed >= 1 && parsed <= MAX_SAMPLE_ROWS;
  return (
    <div className="jp-Dataplane-detailsSample">
      <InlineForm
        onSubmit={() => {
          if (valid) {
            setCount(parsed);
          }
        }}
        submit="Show"
        small
        disabled={!valid || loading}
        after={
          !valid && (
            <span className="jp-Dataplane-error">
              A whole number from 1 to {MAX_SAMPLE_ROWS}
            </span>
          )
        }
      >
        <label htmlFor="jp-Dataplane-sampleRows">Rows</label>
        <InputGroup
          id="jp-Dataplane-sampleRows"
          className="jp-Dataplane-sampleRows"
          type="number"
          min={1}
          max={MAX_SAMPLE_ROWS}
          value={wanted}
          onChange={event => setWanted(event.target.value)}
        />
      </InlineForm>
      {sample && <SampleTable sample={sample} />}
    </div>
  );
}

/**
 * A table of rows, with the row number first. Every row asked for is laid out (the details
 * page scrolls, not a box of fixed height that would hide the last rows).
 */
export function SampleTable(props: { sample: IDatasetSample }): JSX.Element {
  const { columns, data } = props.sample;
  const codeLike = columns.map((column, k) => isCodeLike(column, data.map(row => row[k])));
  return (
    <div className="jp-Dataplane-tableScroll jp-Dataplane-sampleScroll">
      <DataTable className="jp-Dataplane-sampleTable" headers={['#', ...columns]}>
        {data.map((row, index) => (
          <tr key={index}>
            <td className="jp-Dataplane-rowNumber">{index}</td>
            {row.map((cell, column) => (
              <td key={column} className={cellClass(cell)}>
                {formatCell(cell, codeLike[column])}
              </td>
            ))}
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
