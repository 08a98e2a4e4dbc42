/** One column's statistics as table lines (pure functions, shared by the Columns tab). */
import { IColumnStatistics } from '../types';
import { formatPercent, formatValue } from './format';

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
export function approximately(value: unknown, exact: boolean | null | undefined): string {
  const shown = formatValue(value);
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

/** The statistics of one column as (label, value) lines, in the notebook panel's order. */
export function columnStatisticsRows(column: IColumnStatistics): [string, string][] {
  const rows: [string, string][] = [];
  for (const [key, value] of Object.entries(column)) {
    if (DRAWN_KEYS.has(key)) {
      continue;
    }
    const shown = key.endsWith('_pct')
      ? formatPercent(value as number | null)
      : key === 'distinct'
        ? approximately(value, column.distinct_exact)
        : formatValue(value);
    rows.push([key.replace(/_pct$/, ' %').replace(/_/g, ' '), shown]);
  }
  for (const [key, value] of Object.entries(column.media ?? {})) {
    rows.push([key, formatValue(value)]);
  }
  for (const [q, value] of Object.entries(column.quantiles ?? {})) {
    rows.push([`quantile ${q}`, approximately(value, column.quantiles_exact)]);
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
