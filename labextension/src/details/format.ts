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

/**
 * A UTC instant read in an IANA zone, 24-hour ISO like the rest of the UI:
 * "Mon 2026-12-07 06:00 (Europe/Paris)"; without the zone when `withZone` is false (a list
 * whose heading names it). An unknown zone falls back to UTC, always said.
 */
export function formatInZone(iso: string | null | undefined, zone: string, withZone = true): string {
  if (!iso) {
    return UNKNOWN;
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  let parts: Intl.DateTimeFormatPart[];
  let shown = zone;
  const options: Intl.DateTimeFormatOptions = {
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23'
  };
  try {
    parts = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: zone }).formatToParts(date);
  } catch {
    parts = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' }).formatToParts(date);
    shown = 'UTC';
  }
  const part = (type: string): string => parts.find(p => p.type === type)?.value ?? '';
  return (
    `${part('weekday')} ${part('year')}-${part('month')}-${part('day')} ` +
    `${part('hour')}:${part('minute')}` +
    (withZone || shown !== zone ? ` (${shown})` : '')
  );
}

/** How a status reads: done, at work, failed, or idle (the chips' colours). */
export type StatusTone = 'ok' | 'busy' | 'failed' | 'idle';

/**
 * Tones of the statuses of datasets, jobs, exports, pipeline steps and schedule ticks. The
 * notebook panel's chips use the same table (dataplane_jupyter/widgets/html.py STATUS_TONES);
 * tests/display_rules.json checks both.
 */
export const STATUS_TONES: Readonly<Record<string, StatusTone>> = {
  ready: 'ok',
  succeeded: 'ok',
  reused: 'ok',
  copying: 'busy',
  computing_statistics: 'busy',
  computing_embeddings: 'busy',
  queued: 'busy',
  running: 'busy',
  fired: 'busy',
  retried: 'busy',
  failed: 'failed',
  cancelled: 'idle',
  pending: 'idle',
  skipped: 'idle',
  skipped_overlap: 'idle',
  skipped_missed: 'idle'
};

/** The tone of a status; one not in the table is idle. */
export function statusTone(status: string | null | undefined): StatusTone {
  return (status && Object.prototype.hasOwnProperty.call(STATUS_TONES, status) && STATUS_TONES[status]) || 'idle';
}

/** Classes of a status chip: "jp-Dataplane-status jp-Dataplane-status-ready jp-mod-ok". */
export function statusClass(status: string | null | undefined): string {
  return `jp-Dataplane-status jp-Dataplane-status-${status ?? 'unknown'} jp-mod-${statusTone(status)}`;
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

/** Names of integer columns whose values are codes, not quantities: no thousands separators. */
const CODE_LIKE_NAME = /(^|[_\s-])(id|code|year|yr|zip|key|number|no)$/i;

/**
 * Whether a column's integers read as codes (years, ids, zip codes) rather than amounts: its
 * name says so, or every value is a year between 1000 and 2999. Then 1952 stays "1952", not
 * "1,952", and so does a mean of 1979.5.
 */
export function isCodeLike(name: string, values: readonly unknown[]): boolean {
  const numbers = values.filter((v): v is number => typeof v === 'number' && !Number.isNaN(v));
  if (numbers.length === 0 || !numbers.every(Number.isInteger)) {
    return false;
  }
  return CODE_LIKE_NAME.test(name) || numbers.every(v => v >= 1000 && v <= 2999);
}

/** "2024-02-16T00:00:00.000" (a date stored as a timestamp) → "2024-02-16". */
const MIDNIGHT = /^(\d{4}-\d{2}-\d{2})[T ]00:00:00(?:\.0+)?(?:Z|[+-]00:?00)?$/;

/**
 * A value of a column: as `formatValue`, except that numbers of a code-like column are not
 * grouped and timestamps at midnight show as their date.
 */
export function formatCell(value: unknown, codeLike = false): string {
  if (typeof value === 'number' && codeLike && !Number.isNaN(value)) {
    return Number.isInteger(value)
      ? String(value)
      : value.toLocaleString('en-US', { maximumSignificantDigits: 6, useGrouping: false });
  }
  if (typeof value === 'string') {
    const date = MIDNIGHT.exec(value);
    if (date) {
      return date[1];
    }
  }
  return formatValue(value);
}

/** Class of a table cell: numbers are right-aligned (with even-width digits). */
export function cellClass(value: unknown): string | undefined {
  return typeof value === 'number' ? 'jp-Dataplane-number' : undefined;
}
