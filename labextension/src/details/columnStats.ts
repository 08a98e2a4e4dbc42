/** One column's statistics as table lines (pure functions, shared by the Columns tab). */
import { IColumnStatistics } from '../types';
import { formatCell, formatPercent, formatValue, isCodeLike } from './format';

/** Missing share of a column: stored, or derived from the footer's counts while partial. */
export function missingPercent(column: IColumnStatistics, rows: number): number | null {
  if (column.missing_pct !== undefined && column.missing_pct !== null) {
    return column.missing_pct;
  }
  if (column.missing === null || rows === 0) {
    return null;
  }
  return (100 * column.missing) / rows;
}

/** A figure computed from a sketch (`exact === false`) reads "≈ value". */
export function approximately(
  value: unknown,
  exact: boolean | null | undefined,
  codeLike = false
): string {
  const shown = formatCell(value, codeLike);
  return exact === false && value !== null && value !== undefined ? `≈ ${shown}` : shown;
}

/** Keys shown in their own rows below, or drawn, rather than listed as they are. */
const DRAWN_KEYS = new Set([
  'name',
  'histogram',
  'top',
  'warnings',
  'quantiles',
  'text_length',
  'byte_length',
  'media'
]);

/** Whether a column's numbers are codes (years, ids): shown without thousands separators. */
export function codeLikeColumn(column: IColumnStatistics): boolean {
  return isCodeLike(column.name, [column.min, column.max]);
}

/** The column whose drill-down shows: the one picked while the filter keeps it, else the first shown. */
export function drilledColumn(
  shown: readonly IColumnStatistics[],
  selected: string | null
): string | null {
  return shown.some(column => column.name === selected) ? selected : (shown[0]?.name ?? null);
}

/** Plain words for the statistics' keys (anything else: its key with spaces). */
const PLAIN_LABELS: Record<string, string> = {
  count: 'values present',
  missing: 'missing values',
  missing_pct: 'missing share',
  distinct: 'distinct values',
  std: 'standard deviation',
  iqr: 'interquartile range',
  zeros: 'zeros',
  zeros_pct: 'zeros share',
  negative: 'negative values',
  mode: 'most frequent value',
  dtype: 'stored as',
  distinct_error: 'distinct values error',
  quantiles_error: 'quantiles error'
};

/** Keys folded into another line ("distinct values: 142 (exact)"), not listed on their own. */
const FOLDED_KEYS = new Set(['distinct_exact', 'quantiles_exact']);

/** The statistics of one column as (label, value) lines, in the notebook panel's order. */
export function columnStatisticsRows(column: IColumnStatistics): [string, string][] {
  const rows: [string, string][] = [];
  const codeLike = codeLikeColumn(column);
  for (const [key, value] of Object.entries(column)) {
    if (DRAWN_KEYS.has(key) || FOLDED_KEYS.has(key)) {
      continue;
    }
    let shown = key.endsWith('_pct') ? formatPercent(value as number | null) : formatCell(value, codeLike);
    if (key === 'distinct') {
      shown = approximately(value, column.distinct_exact, codeLike) + (column.distinct_exact ? ' (exact)' : '');
    }
    rows.push([PLAIN_LABELS[key] ?? key.replace(/_pct$/, ' share').replace(/_/g, ' '), shown]);
  }
  for (const [key, value] of Object.entries(column.media ?? {})) {
    rows.push([key, formatValue(value)]);
  }
  for (const [q, value] of Object.entries(column.quantiles ?? {})) {
    rows.push([`quantile ${q}`, approximately(value, column.quantiles_exact, codeLike)]);
  }
  for (const [key, value] of Object.entries(column.text_length ?? {})) {
    rows.push([`text length ${key}`, formatValue(value)]);
  }
  for (const [key, value] of Object.entries(column.byte_length ?? {})) {
    rows.push([`bytes ${key}`, formatValue(value)]);
  }
  (column.top ?? []).slice(0, 10).forEach((entry, index) => {
    rows.push([`top ${index + 1}: ${formatValue(entry.value)}`, formatValue(entry.count)]);
  });
  return rows;
}

/**
 * The column to colour an embeddings map by when the user has not picked one: among the
 * categorical and true/false columns with 2 to 12 values, the most evenly spread (highest
 * entropy of its value counts), e.g. iris's `species`; none when there is no such column.
 */
export function defaultColorColumn(columns: readonly IColumnStatistics[]): string | null {
  let best: string | null = null;
  let bestScore = -1;
  for (const column of columns) {
    const distinct = column.distinct ?? 0;
    if (!['categorical', 'boolean'].includes(column.type) || distinct < 2 || distinct > 12) {
      continue;
    }
    const counts = (column.top ?? []).map(entry => entry.count).filter(count => count > 0);
    const total = counts.reduce((sum, count) => sum + count, 0);
    const entropy =
      total > 0 ? -counts.reduce((sum, count) => sum + (count / total) * Math.log(count / total), 0) : 0;
    if (entropy > bestScore) {
      best = column.name;
      bestScore = entropy;
    }
  }
  return best;
}
