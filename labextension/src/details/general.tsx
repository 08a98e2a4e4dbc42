import { HTMLSelect } from '@jupyterlab/ui-components';
import * as React from 'react';

import { distributionsFigure, IFigure } from '../charts';
import { ICorrelation, IDataset, IDatasetStatistics } from '../types';
import {
  CLUSTER_FROM,
  correlationFigure,
  HEATMAP_COLUMNS,
  mostCorrelated
} from './correlationFigure';
import { Plot } from './plot';
import { Summary } from './summary';
import { ChartThemeContext } from './theme';

/** Distributions drawn per page, as in the notebook panel. */
export const PER_PAGE = 12;

/** Props of {@link GeneralTab}. */
export interface IGeneralTabProps {
  dataset: IDataset;
  statistics: IDatasetStatistics | null;
}

/** Summary, a page of feature distributions, and the correlation heatmap. */
export function GeneralTab(props: IGeneralTabProps): JSX.Element {
  const { statistics } = props;
  const complete = statistics !== null && !statistics.partial;
  return (
    <div className="jp-Dataplane-detailsGeneral">
      <Summary dataset={props.dataset} statistics={statistics} />
      {complete ? (
        <>
          <Distributions statistics={statistics} />
          <Correlation correlation={statistics.correlation} />
        </>
      ) : (
        <p className="jp-Dataplane-notice jp-Dataplane-pending">
          Statistics are being computed: distributions and correlations appear
          here when they are ready.
        </p>
      )}
    </div>
  );
}

function Distributions(props: { statistics: IDatasetStatistics }): JSX.Element {
  const columns = props.statistics.columns;
  const theme = React.useContext(ChartThemeContext);
  const [start, setStart] = React.useState(0);
  const figure = React.useMemo(
    () => distributionsFigure(columns.slice(start, start + PER_PAGE), theme),
    [columns, start, theme]
  );
  const pages = [];
  for (let first = 0; first < columns.length; first += PER_PAGE) {
    const last = Math.min(first + PER_PAGE, columns.length);
    pages.push({ label: `Features ${first + 1}–${last} of ${columns.length}`, value: first });
  }
  return (
    <section className="jp-Dataplane-detailsSection jp-Dataplane-distributions">
      <h3>Feature distributions</h3>
      {pages.length > 1 && (
        <HTMLSelect
          value={start}
          onChange={event => setStart(Number(event.target.value))}
          options={pages}
        />
      )}
      <Plot figure={figure} />
    </section>
  );
}

function Correlation(props: { correlation?: ICorrelation | null }): JSX.Element {
  const correlation = props.correlation ?? { method: 'pearson', columns: [], matrix: [] };
  const theme = React.useContext(ChartThemeContext);
  const [all, setAll] = React.useState(false);
  const total = correlation.columns.length;
  const [cluster, setCluster] = React.useState(total > CLUSTER_FROM);
  const result = React.useMemo((): { figure: IFigure } | { error: string } => {
    try {
      const shown = all ? undefined : mostCorrelated(correlation, HEATMAP_COLUMNS);
      return { figure: correlationFigure(correlation, theme, shown, cluster) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }, [correlation, theme, all, cluster]);
  return (
    <section className="jp-Dataplane-detailsSection jp-Dataplane-correlation">
      <h3>Correlation matrix</h3>
      {total > HEATMAP_COLUMNS && (
        <label className="jp-Dataplane-inline">
          <input type="checkbox" checked={all} onChange={event => setAll(event.target.checked)} />
          Show all {total} numeric columns (the {HEATMAP_COLUMNS} most correlated
          otherwise)
        </label>
      )}
      {total > 2 && (
        <label className="jp-Dataplane-inline">
          <input
            type="checkbox"
            checked={cluster}
            onChange={event => setCluster(event.target.checked)}
          />
          Group correlated columns
        </label>
      )}
      {'figure' in result ? (
        <Plot figure={result.figure} className="jp-Dataplane-heatmap" />
      ) : (
        <p className="jp-Dataplane-notice jp-Dataplane-error">{result.error}</p>
      )}
    </section>
  );
}
