/** Formatting of statistics and cell values for the details tables (pure functions). */

/** A dash for what is not known (yet). */
export const UNKNOWN = '—';

/** "1,234"; numbers with a fraction keep six significant digits. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return UNKNOWN;
  }
  if (Number.isInteger(value)) {
    return value.toLocaleString('en-US');
  }
  return value.toLocaleString('en-US', { maximumSignificantDigits: 6 });
}

/** "12.5%" with one decimal. */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return UNKNOWN;
  }
  return `${value.toFixed(1)}%`;
}

/** "1.2 MB": powers of 1024, as the notebook panels write sizes. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) {
    return UNKNOWN;
  }
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let size = bytes;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${size.toFixed(1)} ${units[unit]}`;
}

/** "2026-11-22 06:21" in the browser's time zone. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) {
    return UNKNOWN;
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

/** Any statistic or cell: numbers formatted, objects as JSON, missing as a dash. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) {
    return UNKNOWN;
  }
  if (typeof value === 'number') {
    return formatNumber(value);
  }
  if (typeof value === 'string' || typeof value === 'boolean') {
    return String(value);
  }
  return JSON.stringify(value);
}

/** "origin: pipeline_output" → "pipeline output". */
export function humanize(text: string): string {
  return text.replace(/_/g, ' ');
}
