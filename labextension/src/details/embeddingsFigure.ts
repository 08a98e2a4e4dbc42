/** The embeddings map as a plotly scatter (pure: the map JSON in, a figure out). */
import type * as Plotly from 'plotly.js-dist-min';

import { IChartTheme, IFigure, themedAxis, themedLayout } from '../charts';
import { IEmbeddingsMap } from '../types';

/** 2-D (x, y: lasso and box selection work) or 3-D (x, y, z: needs WebGL). */
export type EmbeddingDims = 2 | 3;

/** Categories of the colour column drawn as their own trace; the rest share one. */
export const MAX_COLOR_GROUPS = 10;
/** Above this many points a 2-D map is drawn with WebGL (when there is WebGL). */
export const WEBGL_POINTS = 5000;

/** Label of the trace of the colour column's missing values. */
export const MISSING_LABEL = '(missing)';
/** Label of the trace of the less frequent categories. */
export const OTHER_LABEL = '(other values)';

/** How to draw the map. */
export interface IEmbeddingsFigureOptions {
  dims: EmbeddingDims;
  /** Whether the browser gives WebGL (`supportsWebGL`). */
  webgl: boolean;
  /** A clicked row and its nearest neighbours, ringed on the map. */
  highlight?: { row: number; neighbours: number[] };
}

type Color = string | number | null;

/** Whether a colour column is numeric: at least one number and nothing but numbers or nulls. */
export function isNumericColor(values: readonly Color[]): boolean {
  let numbers = 0;
  for (const value of values) {
    if (typeof value === 'number') {
      numbers++;
    } else if (value !== null) {
      return false;
    }
  }
  return numbers > 0;
}

/**
 * Indexes of the points in each colour group: the `MAX_COLOR_GROUPS` most frequent values
 * (most frequent first), then the other values, then the missing ones.
 */
export function colorGroups(values: readonly Color[]): [string, number[]][] {
  const byValue = new Map<string, number[]>();
  const missing: number[] = [];
  values.forEach((value, index) => {
    if (value === null) {
      missing.push(index);
      return;
    }
    const key = String(value);
    const members = byValue.get(key);
    if (members) {
      members.push(index);
    } else {
      byValue.set(key, [index]);
    }
  });
  const sorted = [...byValue.entries()].sort((a, b) => b[1].length - a[1].length);
  const groups = sorted.slice(0, MAX_COLOR_GROUPS);
  const rest = sorted.slice(MAX_COLOR_GROUPS).flatMap(([, members]) => members);
  if (rest.length > 0) {
    groups.push([OTHER_LABEL, rest.sort((a, b) => a - b)]);
  }
  if (missing.length > 0) {
    groups.push([MISSING_LABEL, missing]);
  }
  return groups;
}

/** The dataset row a clicked or selected point stands for. */
export function rowOfPoint(point: Pick<Plotly.PlotDatum, 'customdata'>): number {
  const data = point.customdata as unknown;
  return Number(Array.isArray(data) ? data[0] : data);
}

/**
 * A scatter of the embedded rows: one trace, or one per category of the colour column; numbers
 * colour on a continuous scale. Each point carries `[row, colour value]` for the hover, the
 * neighbours and the selection.
 */
export function embeddingsFigure(
  map: IEmbeddingsMap,
  options: IEmbeddingsFigureOptions,
  theme: IChartTheme
): IFigure {
  const color = map.color;
  const values: Color[] = color?.values ?? map.rows.map(() => null);
  const hovertemplate = color
    ? `row %{customdata[0]}<br>${color.column}: %{customdata[1]}<extra></extra>`
    : 'row %{customdata[0]}<extra></extra>';
  const trace = (indexes: number[] | null, extra: Partial<Plotly.PlotData>): Plotly.Data =>
    pointsTrace(map, values, indexes, options, { hovertemplate, ...extra });
  let data: Plotly.Data[];
  if (color && isNumericColor(color.values)) {
    data = [
      trace(null, {
        marker: {
          color: values.map(value => (value === null ? NaN : value)) as number[],
          colorscale: 'Viridis',
          showscale: true,
          colorbar: { title: { text: color.column } }
        } as Partial<Plotly.PlotMarker>
      })
    ];
  } else if (color) {
    data = colorGroups(values).map(([label, indexes]) =>
      trace(indexes, {
        name: label,
        marker: label === MISSING_LABEL ? { color: theme.grid } : {}
      } as Partial<Plotly.PlotData>)
    );
  } else {
    data = [trace(null, { marker: { color: theme.accent } })];
  }
  if (options.highlight) {
    data.push(...highlightTraces(map, values, options, theme));
  }
  const layout = mapLayout(map, options, theme, color !== null);
  if (color) {
    layout.legend = { ...layout.legend, title: { text: color.column } };
  }
  return { data, layout };
}

/** Rings around the clicked row (large) and its neighbours (small), above the points. */
function highlightTraces(
  map: IEmbeddingsMap,
  values: readonly Color[],
  options: IEmbeddingsFigureOptions,
  theme: IChartTheme
): Plotly.Data[] {
  const position = new Map(map.rows.map((row, index) => [row, index]));
  const indexes = (rows: number[]): number[] =>
    rows.map(row => position.get(row)).filter((index): index is number => index !== undefined);
  const { row, neighbours } = options.highlight!;
  const ring = (rows: number[], name: string, size: number): Plotly.Data =>
    pointsTrace(map, values, indexes(rows), options, {
      name,
      showlegend: false,
      hoverinfo: 'skip',
      marker: {
        symbol: 'circle-open',
        size,
        color: theme.font,
        line: { width: 2, color: theme.font }
      }
    } as Partial<Plotly.PlotData>);
  return [ring(neighbours, 'neighbours', options.dims === 3 ? 6 : 12), ring([row], 'clicked', options.dims === 3 ? 9 : 18)];
}

function pointsTrace(
  map: IEmbeddingsMap,
  values: readonly Color[],
  indexes: number[] | null,
  options: IEmbeddingsFigureOptions,
  extra: Partial<Plotly.PlotData>
): Plotly.Data {
  const pick = <T>(array: readonly T[]): T[] =>
    indexes === null ? [...array] : indexes.map(index => array[index]);
  const points = indexes === null ? map.rows.length : indexes.length;
  const type =
    options.dims === 3
      ? 'scatter3d'
      : options.webgl && map.rows.length > WEBGL_POINTS
        ? 'scattergl'
        : 'scatter';
  const marker = {
    size: options.dims === 3 ? 2.5 : points > 2000 ? 4 : 7,
    opacity: 0.8,
    ...((extra.marker as object) ?? {})
  };
  return {
    ...extra,
    type,
    mode: 'markers',
    x: pick(map.x),
    y: pick(map.y),
    ...(options.dims === 3 ? { z: pick(map.z) } : {}),
    customdata: pick(map.rows).map((row, k) => [
      row,
      values[indexes === null ? k : indexes[k]] ?? MISSING_LABEL
    ]),
    marker
  } as Plotly.Data;
}

function mapLayout(
  map: IEmbeddingsMap,
  options: IEmbeddingsFigureOptions,
  theme: IChartTheme,
  legend: boolean
): Partial<Plotly.Layout> {
  const method = map.info?.method ? ` · ${String(map.info.method).toUpperCase()}` : '';
  const base: Partial<Plotly.Layout> = {
    height: 560,
    title: { text: `Embeddings of ${map.rows.length.toLocaleString('en-US')} rows${method}` },
    showlegend: legend,
    legend: { itemsizing: 'constant' },
    uirevision: `embeddings-${options.dims}`,
    margin: { l: 40, r: 20, t: 50, b: 40 }
  };
  if (options.dims === 2) {
    return themedLayout(theme, {
      ...base,
      dragmode: 'lasso',
      hovermode: 'closest',
      xaxis: { title: { text: 'x' } },
      yaxis: { title: { text: 'y' } }
    });
  }
  const axis = (title: string): Partial<Plotly.SceneAxis> =>
    ({ ...themedAxis(theme), title: { text: title }, backgroundcolor: theme.paper }) as Partial<Plotly.SceneAxis>;
  return themedLayout(theme, {
    ...base,
    margin: { l: 0, r: 0, t: 50, b: 0 },
    scene: { xaxis: axis('x'), yaxis: axis('y'), zaxis: axis('z') }
  });
}

let webgl: boolean | null = null;

/** Whether this browser draws WebGL (3-D maps and large 2-D maps need it). */
export function supportsWebGL(): boolean {
  if (webgl === null) {
    try {
      const canvas = document.createElement('canvas');
      webgl = !!(canvas.getContext('webgl') ?? canvas.getContext('experimental-webgl'));
    } catch {
      webgl = false;
    }
  }
  return webgl;
}
