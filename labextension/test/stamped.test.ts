import { describe, expect, it } from 'vitest';

import { stampedExample } from '../src/forms/stamped';

describe('the exporter form says the real timestamped name', () => {
  const now = new Date(2026, 11, 3, 19, 55, 33);
  it('for tables: name_YYYYMMDD_HHMMSS', () => {
    expect(stampedExample({ table: 'preds' }, 'csv', now)).toBe(
      'the time is added to the table name: preds_YYYYMMDD_HHMMSS, e.g. preds_20261203_195533'
    );
  });
  it('for files: 24-hour ISO time before the suffix; a folder names the file after the dataset', () => {
    expect(stampedExample({ path: 'out/sales.csv' }, 'csv', now)).toContain('e.g. out/sales_2026-12-03T19:55:33.csv');
    expect(stampedExample({ bucket: 'b', path: 'exports/' }, 'parquet', now)).toContain(
      'e.g. exports/DATASET_2026-12-03T19:55:33.parquet'
    );
  });
});
