// Test data shared by the test files (this file holds no tests).
import type { IColumnStatistics } from '../src/types';

// Entries as `Dataset.statistics()` stores them (from a 12-row CSV).
export const COUNTRY: IColumnStatistics = {
  name: 'country',
  type: 'categorical',
  count: 12,
  missing: 0,
  missing_pct: 0,
  distinct: 2,
  histogram: null,
  top: [
    { value: 'DE', count: 6 },
    { value: 'FR', count: 6 }
  ],
  warnings: []
};
