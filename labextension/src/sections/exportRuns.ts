/** How the exporters section words an export run (pure functions, unit-tested). */

import { formatDateTime } from '../details/format';
import type { IExportRun, IExporter } from '../types';

/** "host 'x', port 21": the non-empty entries of a config or a locator, short. */
export function describeEntries(entries: Record<string, unknown>): string {
  return Object.entries(entries)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => `${key} ${truncate(String(value), 40)}`)
    .join(', ');
}

function truncate(text: string, length: number): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > length ? `${line.slice(0, length - 1)}…` : line;
}

/** Where an exporter writes, as its item reads: "ftp-main: path /out/sales.csv". */
export function exporterDestination(exporter: IExporter): string {
  return `${exporter.connector}: ${describeEntries(exporter.destination)}`;
}

/**
 * Where one export went: the file or table written, or (when nothing was written: queued,
 * running, failed) the exporter's destination, said so.
 */
export function runDestination(run: IExportRun, destination: string): string {
  if (run.location) {
    return run.location;
  }
  const pending = run.status === 'queued' || run.status === 'running';
  return `${destination} (${pending ? 'not written yet' : 'nothing written'})`;
}

/**
 * "started 2026-12-04 14:41, finished 14:41 (3.0 s)": 24-hour ISO times like the rest of the
 * UI (the finishing day is written only when it differs), as far as the run got.
 */
export function describeRunTimes(run: IExportRun): string {
  const parts: string[] = [];
  const start = run.started_at ?? run.created_at;
  const started = formatDateTime(start);
  parts.push(`${run.started_at ? 'started' : 'queued'} ${started}`);
  if (run.finished_at) {
    const finished = formatDateTime(run.finished_at);
    const sameDay = finished.slice(0, 10) === started.slice(0, 10);
    const took = run.duration_seconds !== null ? ` (${run.duration_seconds.toFixed(1)} s)` : '';
    parts.push(`finished ${sameDay ? finished.slice(11) : finished}${took}`);
  }
  return parts.join(', ');
}
