import { InputDialog, Notification } from '@jupyterlab/apputils';
import { Button, HTMLSelect, InputGroup } from '@jupyterlab/ui-components';
import type * as Plotly from 'plotly.js-dist-min';
import * as React from 'react';

import { DataplaneClient } from '../client';
import { notifyError } from '../notifications';
import { IDataset, IEmbeddingsMap, INeighborsResponse } from '../types';
import {
  EmbeddingDims,
  embeddingsFigure,
  rowOfPoint,
  supportsWebGL
} from './embeddingsFigure';
import { formatValue } from './format';
import { InlineForm } from './inlineForm';
import { Plot } from './plot';
import { IDatasetViewProps, IProjectViewProps } from './props';
import { DataTable } from './table';
import { ChartThemeContext, OpenDatasetContext } from './theme';
import { useRequest } from './useRequest';

/** Props of {@link EmbeddingsExplorer}. */
export interface IEmbeddingsExplorerProps extends IProjectViewProps {
  dataset: IDataset;
  columns: string[];
  /** Colour by this column until the user picks another (or none). */
  defaultColor?: string | null;
}

/**
 * The map of the rows: 2-D or 3-D, coloured by a column; clicking a point lists its nearest
 * neighbours, a lasso or box selection (2-D) can be saved as a new dataset.
 */
export function EmbeddingsExplorer(props: IEmbeddingsExplorerProps): JSX.Element {
  const { client, project, dataset } = props;
  const theme = React.useContext(ChartThemeContext);
  const openDataset = React.useContext(OpenDatasetContext);
  const [dims, setDims] = React.useState<EmbeddingDims>(2);
  const [picked, setColor] = React.useState<string | null>(null);
  const color = picked ?? props.defaultColor ?? '';
  const [map, setMap] = React.useState<IEmbeddingsMap | null>(null);
  const [selection, setSelection] = React.useState<number[]>([]);
  const [row, setRow] = React.useState<number | null>(null);
  const [found, setFound] = React.useState<INeighborsResponse | null>(null);

  useRequest(
    () => client.getEmbeddings(project, dataset.id, color || null),
    setMap,
    error => notifyError('Could not load the embeddings', error),
    [client, project, dataset.id, color]
  );

  const webgl = supportsWebGL();
  const figure = React.useMemo(() => {
    if (map === null) {
      return null;
    }
    const highlight = found
      ? { row: found.row, neighbours: found.neighbors.map(neighbour => neighbour.row) }
      : undefined;
    return embeddingsFigure(map, { dims, webgl, highlight }, theme);
  }, [map, dims, webgl, theme, found]);
  const onSelected = React.useCallback(
    (points: Plotly.PlotDatum[]) => setSelection([...new Set(points.map(rowOfPoint))]),
    []
  );
  const onClick = React.useCallback(
    (event: Plotly.PlotMouseEvent) => event.points[0] && setRow(rowOfPoint(event.points[0])),
    []
  );

  return (
    <div className="jp-Dataplane-explorer">
      <div className="jp-Dataplane-inline jp-Dataplane-explorerControls">
        <HTMLSelect
          className="jp-Dataplane-dims"
          value={dims}
          onChange={event => setDims(Number(event.target.value) as EmbeddingDims)}
          options={[
            { label: '2-D', value: 2 },
            { label: '3-D', value: 3 }
          ]}
        />
        <label>
          Colour by{' '}
          <HTMLSelect
            className="jp-Dataplane-colorBy"
            value={color}
            onChange={event => setColor(event.target.value)}
            options={[{ label: '(none)', value: '' }, ...props.columns.map(name => ({ label: name, value: name }))]}
          />
        </label>
        {dims === 2 && (
          <SelectionActions
            selection={selection}
            onSave={name => saveSelection(client, project, dataset, name, selection, openDataset)}
          />
        )}
      </div>
      {dims === 3 && !webgl ? (
        <p className="jp-Dataplane-notice jp-Dataplane-error">
          3-D maps need WebGL, which this browser does not provide: use the 2-D map.
        </p>
      ) : figure ? (
        <Plot figure={figure} className="jp-Dataplane-embeddingsPlot" onClick={onClick} onSelected={onSelected} />
      ) : (
        <p className="jp-Dataplane-notice">Loading the embeddings…</p>
      )}
      <p className="jp-Dataplane-notice">
        Click a point to list its nearest neighbours
        {dims === 2 ? '; draw a lasso (or a box) around points to select them.' : '.'}
      </p>
      <Neighbours
        client={client}
        project={project}
        dataset={dataset.id}
        row={row}
        onRow={setRow}
        found={found}
        onFound={setFound}
      />
    </div>
  );
}

async function saveSelection(
  client: DataplaneClient,
  project: string,
  dataset: IDataset,
  name: string,
  rows: number[],
  openDataset: (project: string, dataset: string) => void
): Promise<void> {
  try {
    const created = await client.saveSelection(project, dataset.id, name, rows);
    Notification.success(
      `Dataset ${created.name} created with ${rows.length.toLocaleString('en-US')} rows.`,
      {
        autoClose: 6000,
        actions: [{ label: 'Open', callback: () => openDataset(project, created.id) }]
      }
    );
  } catch (error) {
    notifyError('Could not save the selection', error);
  }
}

function SelectionActions(props: {
  selection: number[];
  onSave: (name: string) => Promise<void>;
}): JSX.Element {
  const count = props.selection.length;
  const ask = async (): Promise<void> => {
    const answer = await InputDialog.getText({
      title: `Save ${count.toLocaleString('en-US')} selected rows as a new dataset`,
      label: 'Dataset name',
      placeholder: 'name of the new dataset'
    });
    const name = answer.value?.trim();
    if (answer.button.accept && name) {
      await props.onSave(name);
    }
  };
  return (
    <span className="jp-Dataplane-selection" data-count={count}>
      {count > 0 ? `${count.toLocaleString('en-US')} rows selected` : 'No rows selected'}
      <Button className="jp-mod-styled jp-mod-accept jp-Dataplane-saveSelection" disabled={count === 0} onClick={() => void ask()} small>
        Save as dataset…
      </Button>
    </span>
  );
}

function Neighbours(props: IDatasetViewProps & {
  row: number | null;
  onRow: (row: number) => void;
  found: INeighborsResponse | null;
  onFound: (found: INeighborsResponse) => void;
}): JSX.Element {
  const { client, project, dataset, row } = props;
  const [k, setK] = React.useState('5');
  const [typed, setTyped] = React.useState('');
  const { found, onFound } = props;
  const count = Number(k);
  const validK = Number.isInteger(count) && count >= 1 && count <= 100;

  useRequest(
    () => {
      if (row === null || !validK) {
        return null;
      }
      setTyped(String(row));
      return client.getNeighbors(project, dataset, row, count);
    },
    onFound,
    error => notifyError(`Could not find the neighbours of row ${row}`, error),
    [client, project, dataset, row, count, validK]
  );

  return (
    <section className="jp-Dataplane-neighbours">
      <InlineForm
        onSubmit={() => {
          const wanted = Number(typed);
          if (Number.isInteger(wanted) && wanted >= 0) {
            props.onRow(wanted);
          }
        }}
        submit="Find neighbours"
        small
        disabled={!validK || typed === ''}
      >
        <label>
          Row <InputGroup type="number" min={0} value={typed} onChange={event => setTyped(event.target.value)} />
        </label>
        <label>
          Neighbours <InputGroup type="number" min={1} max={100} value={k} onChange={event => setK(event.target.value)} />
        </label>
      </InlineForm>
      {found && <NeighboursTable found={found} />}
    </section>
  );
}

/** The neighbours of a row: row number, distance, then every column's value. */
export function NeighboursTable(props: { found: INeighborsResponse }): JSX.Element {
  const { row, neighbors } = props.found;
  const columns = neighbors.length > 0 ? Object.keys(neighbors[0].values) : [];
  return (
    <>
      <h4>
        {neighbors.length} nearest neighbours of row {row}
      </h4>
      <p className="jp-Dataplane-notice">
        Ringed on the map. Distances are measured between the rows' values (their PCA
        space), so the nearest rows need not look nearest in the map&apos;s projection.
      </p>
      <div className="jp-Dataplane-tableScroll">
      <DataTable className="jp-Dataplane-neighboursTable" headers={['row', 'distance', ...columns]} data-row={row}>
        {neighbors.map(neighbour => (
          <tr key={neighbour.row} data-row={neighbour.row}>
            <td>{neighbour.row}</td>
            <td>{formatValue(neighbour.distance)}</td>
            {columns.map(column => (
              <td key={column}>{formatValue(neighbour.values[column])}</td>
            ))}
          </tr>
        ))}
      </DataTable>
      </div>
    </>
  );
}
