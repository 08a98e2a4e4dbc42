/**
 * Plotly figures drawn from stored statistics, and the lazy loading of plotly.js (the
 * correlation heatmap is in `details/correlationFigure.ts`, the embeddings map next to it).
 *
 * The builders are pure (statistics JSON in, `{data, layout}` out) and mirror the notebook
 * widgets' `dataplane_jupyter/widgets/figures.py`, so the main-area details and the notebook
 * panels show the same pictures. Colours come from the JupyterLab theme (`readTheme`).
 */
import type * as Plotly from 'plotly.js-dist-min';

import type { IColumnStatistics, IHistogram, ITopValue } from './types';

/** The plotly.js module (the `plotly.js-dist-min` bundle). */
export type PlotlyModule = typeof Plotly;

/** What `Plotly.react` draws. */
export interface IFigure {
  data: Plotly.Data[];
  layout: Partial<Plotly.Layout>;
}

/** Colours and font of the charts, read from the JupyterLab theme's CSS variables. */
export interface IChartTheme {
  paper: string;
  font: string;
  mutedFont: string;
  grid: string;
  accent: string;
  fontFamily: string;
  fontSize: number;
}

/** Top values drawn in a bar chart before the rest is summed as "(other values)". */
export const MAX_CATEGORIES_DRAWN = 15;

/** Of a column with more levels than that, this many of the most frequent are drawn. */
export const TOP_OF_MANY = 10;

/**
 * What the bars of a many-levelled column leave out, said in words instead of an
 * "(other values)" bar that would dwarf them: "142 levels, each 0.7 %" when the drawn ones are
 * equally frequent, else "142 levels: the 10 most frequent (34.0 % of rows)". Null for columns
 * whose every level is drawn.
 */
export function levelsNote(
  column: Pick<IColumnStatistics, 'count' | 'distinct' | 'top'>
): string | null {
  const top = column.top ?? [];
  const distinct = column.distinct ?? top.length;
  const total = column.count ?? 0;
  if (distinct <= MAX_CATEGORIES_DRAWN || top.length === 0 || total <= 0) {
    return null;
  }
  const shown = top.slice(0, TOP_OF_MANY);
  const counts = shown.map(entry => entry.count);
  const share = (count: number) => `${((100 * count) / total).toFixed(1)} %`;
  if (Math.max(...counts) === Math.min(...counts)) {
    return `${distinct.toLocaleString('en-US')} levels, each ${share(counts[0])}`;
  }
  const covered = counts.reduce((sum, count) => sum + count, 0);
  return `${distinct.toLocaleString('en-US')} levels: the ${shown.length} most frequent (${share(covered)} of rows)`;
}

let plotlyPromise: Promise<PlotlyModule> | null = null;

/**
 * plotly.js, loaded on first use: the dynamic import makes it a separate chunk that JupyterLab
 * fetches only when a chart is drawn.
 */
export function loadPlotly(): Promise<PlotlyModule> {
  if (plotlyPromise === null) {
    plotlyPromise = import('plotly.js-dist-min').then(
      module =>
        ((module as unknown as { default?: PlotlyModule }).default ??
          module) as PlotlyModule
    );
    plotlyPromise.catch(() => {
      plotlyPromise = null;
    });
  }
  return plotlyPromise;
}

/** The current JupyterLab theme's colours, as CSS variables on `node` resolve them. */
export function readTheme(node: Element = document.body): IChartTheme {
  const style = getComputedStyle(node);
  const read = (name: string, fallback: string): string =>
    style.getPropertyValue(name).trim() || fallback;
  return {
    paper: read('--jp-layout-color0', '#ffffff'),
    font: read('--jp-ui-font-color1', 'rgba(0, 0, 0, 0.87)'),
    mutedFont: read('--jp-ui-font-color2', 'rgba(0, 0, 0, 0.54)'),
    grid: read('--jp-border-color2', '#e0e0e0'),
    accent: read('--jp-brand-color1', '#1976d2'),
    fontFamily: read('--jp-ui-font-family', 'sans-serif'),
    fontSize: parseFloat(read('--jp-ui-font-size1', '13px')) || 13
  };
}

/** Axis colours of the theme (plotly's defaults assume a white page). */
export function themedAxis(
  theme: IChartTheme,
  extra: Partial<Plotly.LayoutAxis> = {}
): Partial<Plotly.LayoutAxis> {
  return {
    gridcolor: theme.grid,
    zerolinecolor: theme.grid,
    linecolor: theme.grid,
    automargin: true,
    ...extra
  };
}

/** A layout in the theme's colours and font. */
export function themedLayout(
  theme: IChartTheme,
  layout: Partial<Plotly.Layout> = {}
): Partial<Plotly.Layout> {
  return {
    paper_bgcolor: theme.paper,
    plot_bgcolor: theme.paper,
    font: { color: theme.font, family: theme.fontFamily, size: theme.fontSize },
    hoverlabel: { font: { family: theme.fontFamily } },
    margin: { l: 60, r: 20, t: 50, b: 40 },
    ...layout,
    xaxis: themedAxis(theme, layout.xaxis),
    yaxis: themedAxis(theme, layout.yaxis)
  };
}

/** A figure that only says why there is nothing to draw. */
export function emptyFigure(
  message: string,
  theme: IChartTheme,
  height = 200
): IFigure {
  return {
    data: [],
    layout: themedLayout(theme, {
      height,
      xaxis: { visible: false },
      yaxis: { visible: false },
      annotations: [
        {
          text: message,
          showarrow: false,
          x: 0.5,
          y: 0.5,
          xref: 'paper',
          yref: 'paper',
          font: { color: theme.mutedFont }
        }
      ]
    })
  };
}

/**
 * One bar trace for a column: its stored histogram, or its most frequent values; for image
 * columns the widths of the inspected images, for tensor columns their shapes. Null when the
 * statistics hold nothing to draw (e.g. while they are partial).
 */
export function distributionTrace(
  column: IColumnStatistics,
  color: string
): Partial<Plotly.PlotData> | null {
  const histogram = column.histogram;
  if (histogram && histogram.counts.length > 0) {
    return histogramTrace(column.name, histogram, column.type === 'datetime', color);
  }
  const media = (column.media ?? {}) as {
    width?: { histogram?: IHistogram };
    shapes?: Record<string, number>;
  };
  const width = media.width?.histogram;
  if (width && width.counts.length > 0) {
    return histogramTrace(`${column.name} width (px)`, width, false, color);
  }
  if (media.shapes && Object.keys(media.shapes).length > 0) {
    const shapes = Object.entries(media.shapes).map(([value, count]) => ({ value, count }));
    return topTrace(column, shapes, color);
  }
  if (column.top && column.top.length > 0) {
    return topTrace(column, column.top, color);
  }
  return null;
}

/** Bars spanning each bin: centres, widths and "a – b" ranges for the hover. */
export function histogramTrace(
  name: string,
  histogram: IHistogram,
  dates: boolean,
  color: string
): Partial<Plotly.PlotData> {
  const edges = histogram.edges.map(edge => (dates ? isoToMillis(String(edge)) : Number(edge)));
  const x: (number | string)[] = [];
  const width: number[] = [];
  const ranges: string[] = [];
  for (let i = 0; i + 1 < edges.length && i < histogram.counts.length; i++) {
    const [a, b] = [edges[i], edges[i + 1]];
    x.push(dates ? millisToPlotlyDate((a + b) / 2) : (a + b) / 2);
    width.push(b - a);
    ranges.push(
      dates
        ? `${formatMinute(a)} – ${formatMinute(b)}`
        : `${formatG(a)} – ${formatG(b)}`
    );
  }
  return {
    type: 'bar',
    x,
    y: histogram.counts.slice(0, x.length),
    width,
    name,
    marker: { color },
    customdata: ranges,
    hovertemplate: '%{customdata}<br>%{y} rows<extra></extra>'
  };
}

/** Horizontal bars of the most frequent values, the rest summed as "(other values)". */
export function topTrace(
  column: Pick<IColumnStatistics, 'name' | 'count'> & Partial<Pick<IColumnStatistics, 'distinct'>>,
  top: ITopValue[],
  color: string
): Partial<Plotly.PlotData> {
  const many = levelsNote({ count: column.count, distinct: column.distinct, top }) !== null;
  const shown = top.slice(0, many ? TOP_OF_MANY : MAX_CATEGORIES_DRAWN);
  const labels = shown.map(entry => String(entry.value));
  const counts = shown.map(entry => entry.count);
  const listed = top.reduce((sum, entry) => sum + entry.count, 0);
  const other = (column.count ?? 0) - listed;
  if (!many && (top.length > shown.length || other > 0)) {
    const rest = top.slice(shown.length).reduce((sum, entry) => sum + entry.count, 0);
    labels.push('(other values)');
    counts.push(Math.max(other, 0) + rest);
  }
  return {
    type: 'bar',
    orientation: 'h',
    x: counts,
    y: labels,
    name: column.name,
    marker: { color },
    hovertemplate: '%{y}: %{x} rows<extra></extra>'
  };
}

/** The distribution of one column: histogram (numeric, datetime) or top values (others). */
export function distributionFigure(
  column: IColumnStatistics,
  theme: IChartTheme,
  height = 320
): IFigure {
  const trace = distributionTrace(column, theme.accent);
  const note = levelsNote(column);
  const title = `${column.name} (${column.type})${note ? `<br><sub>${note}</sub>` : ''}`;
  if (trace === null) {
    return emptyFigure(`${title}: no values to draw`, theme, height);
  }
  const horizontal = trace.orientation === 'h';
  return {
    data: [trace],
    layout: themedLayout(theme, {
      height,
      title: { text: title },
      bargap: 0.05,
      showlegend: false,
      xaxis: horizontal ? { title: { text: 'rows' } } : {},
      // every level's label (a category axis would skip some when they crowd)
      yaxis: horizontal ? { autorange: 'reversed', dtick: 1 } : { title: { text: 'rows' } }
    })
  };
}

/** Small multiples: one distribution per column, `perRow` to a row (a page of the General tab). */
export function distributionsFigure(
  columns: readonly IColumnStatistics[],
  theme: IChartTheme,
  perRow = 3
): IFigure {
  if (columns.length === 0) {
    return emptyFigure('No columns to draw', theme);
  }
  const rows = Math.ceil(columns.length / perRow);
  // Pixels: each chart, the room between rows (the row above's tick labels and the next
  // titles), and above the first row only what its titles need, so no blank band opens
  // under the section's heading.
  const [chart, between, top, bottom] = [190, 60, 24, 30];
  const area = rows * chart + (rows - 1) * between;
  const hgap = 0.1;
  const data: Plotly.Data[] = [];
  const layout: Record<string, unknown> = themedLayout(theme, {
    height: area + top + bottom,
    showlegend: false,
    bargap: 0.05,
    margin: { l: 50, r: 20, t: top, b: bottom },
    annotations: []
  });
  const annotations = layout.annotations as Partial<Plotly.Annotations>[];
  columns.forEach((column, index) => {
    const [row, col] = [Math.floor(index / perRow), index % perRow];
    const suffix = index === 0 ? '' : String(index + 1);
    const x: [number, number] = [col / perRow + hgap / 2, (col + 1) / perRow - hgap / 2];
    const high = 1 - (row * (chart + between)) / area;
    const y: [number, number] = [Math.max(0, high - chart / area), high];
    const trace = distributionTrace(column, theme.accent);
    layout[`xaxis${suffix}`] = themedAxis(theme, { domain: x, anchor: `y${suffix}` as Plotly.AxisName });
    layout[`yaxis${suffix}`] = themedAxis(theme, {
      domain: y,
      anchor: `x${suffix}` as Plotly.AxisName,
      ...(trace?.orientation === 'h' ? { autorange: 'reversed' as const, dtick: 1 } : {})
    });
    const note = levelsNote(column);
    annotations.push({
      text: `${column.name} (${column.type})${note ? ` · ${note}` : ''}`,
      showarrow: false,
      x: (x[0] + x[1]) / 2,
      y: y[1],
      xref: 'paper',
      yref: 'paper',
      xanchor: 'center',
      yanchor: 'bottom',
      font: { size: 12 }
    });
    if (trace === null) {
      annotations.push({
        text: 'no values',
        showarrow: false,
        x: (x[0] + x[1]) / 2,
        y: (y[0] + y[1]) / 2,
        xref: 'paper',
        yref: 'paper',
        font: { color: theme.mutedFont }
      });
      layout[`xaxis${suffix}`] = { domain: x, visible: false };
      layout[`yaxis${suffix}`] = { domain: y, visible: false };
      return;
    }
    data.push({ ...shortLabels(trace), xaxis: `x${suffix}`, yaxis: `y${suffix}` } as Plotly.Data);
  });
  return { data, layout: layout as Partial<Plotly.Layout> };
}

/** Longest category label drawn in a small multiple; the hover keeps the whole value. */
export const SHORT_LABEL = 14;

/** Bars of top values with their labels cut to {@link SHORT_LABEL} characters. */
function shortLabels(trace: Partial<Plotly.PlotData>): Partial<Plotly.PlotData> {
  if (trace.orientation !== 'h') {
    return trace;
  }
  const labels = (trace.y as string[]).map(String);
  return {
    ...trace,
    y: labels.map(label =>
      label.length > SHORT_LABEL ? `${label.slice(0, SHORT_LABEL - 1)}…` : label
    ),
    customdata: labels,
    hovertemplate: '%{customdata}: %{x} rows<extra></extra>'
  };
}

/** Milliseconds since 1970 of an ISO date-time; one without an offset is read as UTC. */
export function isoToMillis(text: string): number {
  const zoned = /(Z|[+-]\d\d:?\d\d)$/.test(text) || !text.includes('T');
  return Date.parse(zoned ? text : `${text}Z`);
}

/** "2026-01-01 06:36:00" (UTC): a date plotly reads without a time zone shift. */
export function millisToPlotlyDate(millis: number): string {
  return new Date(millis).toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
}

function formatMinute(millis: number): string {
  return new Date(millis).toISOString().slice(0, 16).replace('T', ' ');
}

/** Python's `{:.4g}`: four significant digits, trailing zeros dropped. */
export function formatG(value: number): string {
  if (!Number.isFinite(value)) {
    return String(value);
  }
  if (value === 0) {
    return '0';
  }
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  if (exponent < -4 || exponent >= 4) {
    const [mantissa, power] = value.toExponential(3).split('e');
    const sign = power.startsWith('-') ? '-' : '+';
    const digits = power.replace(/^[+-]/, '').padStart(2, '0');
    return `${trimZeros(mantissa)}e${sign}${digits}`;
  }
  return trimZeros(value.toPrecision(4));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
