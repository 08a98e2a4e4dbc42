/** The correlation heatmap, drawn from the stored matrix (pure, as `widgets/figures.py`). */
import type * as Plotly from 'plotly.js-dist-min';

import { emptyFigure, IChartTheme, IFigure, themedLayout } from '../charts';
import type { ICorrelation } from '../types';

/** Up to this many columns a heatmap cell is wide enough to hold its r value. */
export const CELL_TEXT_LIMIT = 12;

/** Beyond this many heatmap columns, tick labels overlap: hover instead. */
export const LABELLED_AXIS_LIMIT = 60;
/** Heatmap columns shown by default: the most correlated ones. */
export const HEATMAP_COLUMNS = 30;

/** Python plotly's `RdBu_r`: the notebook widget's heatmap colours (blue -1, white 0, red 1). */
export const CORRELATION_COLORSCALE: [number, string][] = [
  'rgb(5,48,97)',
  'rgb(33,102,172)',
  'rgb(67,147,195)',
  'rgb(146,197,222)',
  'rgb(209,229,240)',
  'rgb(247,247,247)',
  'rgb(253,219,199)',
  'rgb(244,165,130)',
  'rgb(214,96,77)',
  'rgb(178,24,43)',
  'rgb(103,0,31)'
].map((color, index) => [index / 10, color]);

/** The `n` columns with the strongest correlations to the others (mean |r|), in stored order. */
export function mostCorrelated(correlation: ICorrelation, n = HEATMAP_COLUMNS): string[] {
  const names = correlation.columns;
  if (names.length <= n) {
    return [...names];
  }
  const score = correlation.matrix.map((row, i) => {
    const others = row.filter((value, j) => j !== i && value !== null) as number[];
    return others.length > 0
      ? others.reduce((sum, value) => sum + Math.abs(value), 0) / others.length
      : -1;
  });
  const keep = score
    .map((value, index) => ({ value, index }))
    .sort((a, b) => b.value - a.value || a.index - b.index)
    .slice(0, n)
    .map(entry => entry.index)
    .sort((a, b) => a - b);
  return keep.map(index => names[index]);
}

/** Above this many columns the heatmap groups correlated columns by default, as the notebook. */
export const CLUSTER_FROM = 10;

/**
 * An order that puts strongly correlated columns next to each other: average-linkage
 * agglomerative clustering on the distance 1 - |r|, leaves in merge order (`cluster_order` of
 * `widgets/figures.py`).
 */
export function clusterOrder(matrix: readonly (readonly (number | null)[])[]): number[] {
  const k = matrix.length;
  const distance = matrix.map((row, i) =>
    row.map((value, j) => (i === j ? Infinity : 1 - Math.abs(value ?? 0)))
  );
  const members = new Map<number, number[]>(matrix.map((_, i) => [i, [i]]));
  for (let step = 0; step < k - 1; step++) {
    let [i, j, best] = [0, 0, Infinity];
    distance.forEach((row, a) =>
      row.forEach((value, b) => {
        if (value < best) {
          [i, j, best] = [a, b, value];
        }
      })
    );
    [i, j] = [Math.min(i, j), Math.max(i, j)];
    if (best === Infinity) {
      [i, j] = [...members.keys()].slice(0, 2) as [number, number];
    }
    const [ni, nj] = [members.get(i)!.length, members.get(j)!.length];
    const merged = distance[i].map((value, c) => (ni * value + nj * distance[j][c]) / (ni + nj));
    for (let c = 0; c < k; c++) {
      distance[i][c] = distance[c][i] = merged[c];
      distance[j][c] = distance[c][j] = Infinity;
    }
    distance[i][i] = Infinity;
    members.set(i, [...members.get(i)!, ...members.get(j)!]);
    members.delete(j);
  }
  return k > 0 ? members.get(Math.min(...members.keys()))! : [];
}

/**
 * Heatmap of the stored correlation matrix, restricted to `columns` (all when omitted) and,
 * with `cluster`, reordered so that correlated columns sit together.
 */
export function correlationFigure(
  correlation: ICorrelation,
  theme: IChartTheme,
  columns?: readonly string[],
  cluster = false
): IFigure {
  let picked = columns ?? correlation.columns;
  let index = picked.map(name => correlation.columns.indexOf(name));
  if (index.some(i => i < 0)) {
    const unknown = picked.filter((_, k) => index[k] < 0);
    throw new Error(`No correlation for column(s) ${unknown.join(', ')}`);
  }
  if (picked.length < 2) {
    return emptyFigure(
      'A correlation matrix needs at least two numeric columns',
      theme,
      240
    );
  }
  if (cluster) {
    const order = clusterOrder(index.map(i => index.map(j => correlation.matrix[i]?.[j] ?? null)));
    [picked, index] = [order.map(k => picked[k]), order.map(k => index[k])];
  }
  const z = index.map(i =>
    index.map(j => {
      const value = correlation.matrix[i]?.[j];
      return value === null || value === undefined ? null : Math.round(value * 1e4) / 1e4;
    })
  );
  const labelled = picked.length <= LABELLED_AXIS_LIMIT;
  const written = picked.length <= CELL_TEXT_LIMIT;
  // cells of 40 px hold a written r value; beyond, 22 px cells and the value on hover
  const size = Math.round(
    Math.min(Math.max(420, (written ? 40 : 22) * picked.length + (written ? 240 : 160)), 900)
  );
  const method = correlation.method || 'pearson';
  return {
    data: [
      {
        type: 'heatmap',
        z,
        x: [...picked],
        y: [...picked],
        zmin: -1,
        zmax: 1,
        zmid: 0,
        colorscale: CORRELATION_COLORSCALE,
        hovertemplate: '%{y} and %{x}<br>r = %{z:.3f}<extra></extra>',
        // The r value written in each cell while cells are wide enough for "-0.42".
        ...(written ? { texttemplate: '%{z:.2f}', textfont: { size: 11 } } : {}),
        colorbar: { title: { text: 'r' } }
      } as Plotly.Data
    ],
    layout: themedLayout(theme, {
      height: size,
      width: size + 120,
      title: {
        text: `${method[0].toUpperCase()}${method.slice(1)} correlation (${picked.length} columns)`
      },
      margin: labelled ? { l: 120, r: 20, t: 50, b: 120 } : { l: 20, r: 20, t: 50, b: 20 },
      xaxis: { showticklabels: labelled, tickangle: -45, showgrid: false },
      yaxis: { showticklabels: labelled, autorange: 'reversed', showgrid: false }
    })
  };
}
