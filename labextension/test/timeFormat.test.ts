import { describe, expect, it } from 'vitest';

import { formatDateTime, formatInZone } from '../src/details/format';
import { describeRunTimes, exporterDestination, runDestination } from '../src/sections/exportRuns';
import type { IExportRun, IExporter } from '../src/types';

describe('formatInZone', () => {
  it('reads a UTC instant in the schedule zone, 24-hour ISO with the weekday', () => {
    expect(formatInZone('2026-12-07T05:00:00Z', 'Europe/Paris')).toBe('Mon 2026-12-07 06:00 (Europe/Paris)');
    expect(formatInZone('2026-07-06T04:00:00+00:00', 'Europe/Paris')).toBe('Mon 2026-07-06 06:00 (Europe/Paris)');
    expect(formatInZone('2026-12-07T23:30:00Z', 'UTC')).toBe('Mon 2026-12-07 23:30 (UTC)');
    expect(formatInZone('2026-12-07T05:00:00Z', 'Europe/Paris', false)).toBe('Mon 2026-12-07 06:00');
  });

  it('falls back to UTC for an unknown zone and says so; a dash for nothing', () => {
    expect(formatInZone('2026-12-07T05:00:00Z', 'Mars/Olympus')).toBe('Mon 2026-12-07 05:00 (UTC)');
    expect(formatInZone('2026-12-07T05:00:00Z', 'Mars/Olympus', false)).toBe('Mon 2026-12-07 05:00 (UTC)');
    expect(formatInZone(null, 'UTC')).toBe('—');
    expect(formatInZone('not a date', 'UTC')).toBe('not a date');
  });
});

describe('export history', () => {
  const run: IExportRun = {
    id: 'r1',
    exporter_id: 'e1',
    exporter: 'ftp-out',
    dataset_id: 'd1',
    dataset_name: 'sales',
    job_id: null,
    status: 'succeeded',
    location: 'ftp://127.0.0.1:2121/out/sales.csv',
    rows: 4,
    error: null,
    progress: 1,
    started_at: '2026-12-04T14:41:02Z',
    finished_at: '2026-12-04T14:41:05Z',
    duration_seconds: 3,
    pipeline_run_id: null,
    created_at: '2026-12-04T14:41:01Z'
  };

  it('writes times as 24-hour ISO, the finishing day only when it differs', () => {
    const started = formatDateTime(run.started_at);
    expect(started).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(describeRunTimes(run)).toBe(`started ${started}, finished ${formatDateTime(run.finished_at).slice(11)} (3.0 s)`);
    expect(describeRunTimes(run)).not.toMatch(/AM|PM/);
    const queued = { ...run, status: 'queued' as const, started_at: null, finished_at: null, duration_seconds: null };
    expect(describeRunTimes(queued)).toBe(`queued ${formatDateTime(run.created_at)}`);
    const long = { ...run, finished_at: '2026-12-06T14:41:05Z', duration_seconds: 172803 };
    expect(describeRunTimes(long)).toBe(
      `started ${started}, finished ${formatDateTime(long.finished_at)} (172803.0 s)`
    );
  });

  it('names the destination of every run, written or not', () => {
    const exporter = {
      connector: 'ftp-main',
      destination: { path: '/out/sales.csv', table: null }
    } as unknown as IExporter;
    const destination = exporterDestination(exporter);
    expect(destination).toBe('ftp-main: path /out/sales.csv');
    expect(runDestination(run, destination)).toBe('ftp://127.0.0.1:2121/out/sales.csv');
    const failed = { ...run, status: 'failed' as const, location: null, error: 'disk full' };
    expect(runDestination(failed, destination)).toBe('ftp-main: path /out/sales.csv (nothing written)');
    const running = { ...run, status: 'running' as const, location: null };
    expect(runDestination(running, destination)).toBe('ftp-main: path /out/sales.csv (not written yet)');
  });
});
