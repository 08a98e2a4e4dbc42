/**
 * The name a timestamped export gets, as the server makes it (connectors/base.py `stamped`):
 * tables `preds_20261203_195533`, files `preds_2026-12-03T19:55:33.csv` (24-hour time).
 */
export function stampedExample(
  destination: Record<string, unknown>,
  fileFormat: string,
  now: Date = new Date()
): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const [y, mo, d, h, mi, s] = [
    now.getFullYear(),
    pad(now.getMonth() + 1),
    pad(now.getDate()),
    pad(now.getHours()),
    pad(now.getMinutes()),
    pad(now.getSeconds())
  ];
  const path = typeof destination.path === 'string' ? destination.path : '';
  if (!path && typeof destination.table === 'string') {
    const table = destination.table || 'table';
    return `the time is added to the table name: ${table}_YYYYMMDD_HHMMSS, e.g. ${table}_${y}${mo}${d}_${h}${mi}${s}`;
  }
  const base = !path || path.endsWith('/') ? `${path}DATASET.${fileFormat}` : path;
  const dot = base.lastIndexOf('.');
  const slash = base.lastIndexOf('/');
  const [stem, ext] = dot > slash + 1 ? [base.slice(0, dot), base.slice(dot)] : [base, ''];
  return (
    `the time is added to the file name: ${stem}_YYYY-MM-DDTHH:MM:SS${ext}, ` +
    `e.g. ${stem}_${y}-${mo}-${d}T${h}:${mi}:${s}${ext}`
  );
}
