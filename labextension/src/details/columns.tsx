import { InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { distributionFigure, distributionTrace } from '../charts';

import { notifyError } from '../notifications';
import { IColumnStatistics, IDatasetStatistics } from '../types';
import { approximately, codeLikeColumn, columnStatisticsRows, drilledColumn, missingPercent } from './columnStats';
import { ImageFeatures, TensorViewer } from './features';
import { cellClass, formatCell, formatPercent, UNKNOWN } from './format';
import { Plot } from './plot';
import { IDatasetViewProps } from './props';
import { DataTable } from './table';
import { ChartThemeContext } from './theme';
import { useRequest } from './useRequest';

/** Props of {@link ColumnsTab}. */
export interface IColumnsTabProps extends IDatasetViewProps {
  statistics: IDatasetStatistics;
}

/** The columns' overview; clicking one shows its distribution and detailed statistics. */
export function ColumnsTab(props: IColumnsTabProps): JSX.Element {
  const { statistics } = props;
  const [filter, setFilter] = React.useState('');
  const [selected, setSelected] = React.useState<string | null>(
    statistics.columns[0]?.name ?? null
  );
  const shown = statistics.columns.filter(column =>
    column.name.toLowerCase().includes(filter.toLowerCase())
  );
  // The drill-down follows the filter: a column filtered out of the list leaves it too.
  const current = drilledColumn(shown, selected);
  return (
    <div className="jp-Dataplane-detailsColumns">
      <div className="jp-Dataplane-columnsList">
        <InputGroup
          type="text"
          placeholder="Filter columns"
          value={filter}
          onChange={event => setFilter(event.target.value)}
        />
        <ColumnsTable
          columns={shown}
          rows={statistics.rows}
          selected={current}
          onSelect={setSelected}
        />
      </div>
      {current !== null && (
        <ColumnDrillDown
          key={`${current}:${statistics.partial ? 'partial' : 'complete'}`}
          client={props.client}
          project={props.project}
          dataset={props.dataset}
          column={current}
          partial={statistics.partial === true}
        />
      )}
    </div>
  );
}

function ColumnsTable(props: {
  columns: IColumnStatistics[];
  rows: number;
  selected: string | null;
  onSelect: (name: string) => void;
}): JSX.Element {
  const headers = ['column', 'type', 'missing', 'distinct', 'mean', 'min', 'max'];
  return (
    <DataTable className="jp-Dataplane-columnsTable" headers={headers}>
      {props.columns.map(column => (
        <tr
          key={column.name}
          data-column={column.name}
          className={column.name === props.selected ? 'jp-mod-selected' : ''}
          onClick={() => props.onSelect(column.name)}
          title="Show this column's distribution and statistics"
        >
          <td>{column.name}</td>
          <td>{column.type}</td>
          <td className="jp-Dataplane-number">{formatPercent(missingPercent(column, props.rows))}</td>
          <td className="jp-Dataplane-number">{approximately(column.distinct, column.distinct_exact)}</td>
          <td className={cellClass(column.mean)}>{formatCell(column.mean, codeLikeColumn(column))}</td>
          <td className={cellClass(column.min)}>{formatCell(column.min, codeLikeColumn(column))}</td>
          <td className={cellClass(column.max)}>{formatCell(column.max, codeLikeColumn(column))}</td>
        </tr>
      ))}
    </DataTable>
  );
}

function ColumnDrillDown(props: IDatasetViewProps & { column: string; partial: boolean }): JSX.Element {
  const { client, project, dataset, column } = props;
  const theme = React.useContext(ChartThemeContext);
  const [entry, setEntry] = React.useState<IColumnStatistics | null>(null);
  useRequest(
    () => client.getColumnStatistics(project, dataset, column),
    setEntry,
    error => notifyError(`Could not load column ${column}`, error),
    [client, project, dataset, column]
  );
  const figure = React.useMemo(
    () => (entry && distributionTrace(entry, theme.accent) ? distributionFigure(entry, theme) : null),
    [entry, theme]
  );
  const owner = React.useMemo(() => ({ id: dataset, column }), [dataset, column]);
  if (entry === null) {
    return <div className="jp-Dataplane-drillDown jp-Dataplane-empty">Loading {column}…</div>;
  }
  return (
    <div className="jp-Dataplane-drillDown" data-column={column}>
      <h3>{column}</h3>
      {figure ? (
        <Plot figure={figure} className="jp-Dataplane-columnChart" />
      ) : (
        <p className="jp-Dataplane-notice">
          {props.partial
            ? 'Its distribution is drawn once the statistics are complete.'
            : 'No values to draw.'}
        </p>
      )}
      {(entry.warnings ?? []).length > 0 && (
        <p className="jp-Dataplane-notice jp-Dataplane-warn">{entry.warnings!.join('; ')}</p>
      )}
      {entry.type === 'image' && !props.partial && (
        <ImageFeatures client={client} project={project} owner={owner} />
      )}
      {(entry.type === 'tensor' || (entry.type === 'numeric' && entry.media)) && !props.partial && (
        <TensorViewer
          client={client}
          project={project}
          dataset={dataset}
          column={column}
          rows={(entry.count ?? 0) + (entry.missing ?? 0)}
        />
      )}
      <DataTable className="jp-Dataplane-columnStats" headers={['statistic', 'value']}>
        {columnStatisticsRows(entry).map(([label, value]) => (
          <tr key={label}>
            <td>{label}</td>
            <td>{value || UNKNOWN}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
