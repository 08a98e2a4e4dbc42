import { describe, expect, it } from 'vitest';

import { IChartTheme } from '../src/charts';
import { columnStatisticsRows, defaultColorColumn, drilledColumn, missingPercent } from '../src/details/columnStats';
import { cellClass, formatCell, isCodeLike } from '../src/details/format';
import {
  colorGroups,
  embeddingsFigure,
  isNumericColor,
  MAX_COLOR_GROUPS,
  MISSING_LABEL,
  OTHER_LABEL,
  rowOfPoint
} from '../src/details/embeddingsFigure';
import { formatBytes, formatNumber, formatPercent, formatValue } from '../src/details/format';
import type { IEmbeddingsMap } from '../src/types';
import { COUNTRY } from './fixtures';

const THEME: IChartTheme = {
  paper: '#fff',
  font: '#000',
  mutedFont: '#666',
  grid: '#ddd',
  accent: '#1976d2',
  fontFamily: 'sans-serif',
  fontSize: 13
};

describe('format', () => {
  it('writes numbers, sizes and percentages', () => {
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(formatNumber(5.408326913195984)).toBe('5.40833');
    expect(formatNumber(null)).toBe('—');
    expect(formatBytes(760)).toBe('760 B');
    expect(formatBytes(1294)).toBe('1.3 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatPercent(12.345)).toBe('12.3%');
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
    expect(formatValue(true)).toBe('true');
  });
});

describe('column statistics', () => {
  it('derives the missing share from partial statistics', () => {
    expect(missingPercent({ name: 'a', type: 'numeric', missing: 3 }, 12)).toBe(25);
    expect(missingPercent({ name: 'a', type: 'numeric', missing: null }, 12)).toBeNull();
    expect(missingPercent({ name: 'a', type: 'numeric', missing: 3, missing_pct: 20 }, 12)).toBe(20);
  });

  it('lists statistics in the notebook panel order', () => {
    const rows = columnStatisticsRows({
      ...COUNTRY,
      quantiles: null,
      top: [
        { value: 'DE', count: 7 },
        { value: 'FR', count: 5 }
      ],
      text_length: { min: 2, max: 2, mean: 2 }
    });
    expect(rows).toEqual([
      ['type', 'categorical'],
      ['values present', '12'],
      ['missing values', '0'],
      ['missing share', '0.0%'],
      ['distinct values', '2'],
      ['text length min', '2'],
      ['text length max', '2'],
      ['text length mean', '2'],
      ['top 1: DE', '7'],
      ['top 2: FR', '5']
    ]);
  });

  it('says plain words: distinct values with exact or estimate, no grouping for years', () => {
    const rows = columnStatisticsRows({
      name: 'year',
      type: 'numeric',
      distinct: 12,
      distinct_exact: true,
      mean: 1979.5,
      min: 1952,
      max: 2007,
      quantiles: { '0.5': 1979.5 },
      quantiles_exact: false
    } as never);
    expect(rows).toContainEqual(['distinct values', '12 (exact)']);
    expect(rows).toContainEqual(['mean', '1979.5']);
    expect(rows).toContainEqual(['min', '1952']);
    expect(rows).toContainEqual(['quantile 0.5', '≈ 1979.5']);
    expect(rows.map(row => row[0])).not.toContain('distinct exact');
  });

  it('keeps the drill-down on a column the filter shows', () => {
    const columns = [{ name: 'country' }, { name: 'year' }] as never[];
    expect(drilledColumn(columns, 'year')).toBe('year');
    expect(drilledColumn(columns.slice(0, 1), 'year')).toBe('country');
    expect(drilledColumn([], 'year')).toBeNull();
  });

  it('marks figures from sketches with ≈ and leaves exact ones alone', () => {
    const rows = columnStatisticsRows({
      name: 'amount',
      type: 'numeric',
      missing: 0,
      distinct: 9876543,
      distinct_exact: false,
      distinct_error: 0.0081,
      quantiles_exact: false,
      quantiles_error: 0.0014,
      quantiles: { '0.5': 12.5 }
    });
    const byLabel = Object.fromEntries(rows);
    expect(byLabel['distinct values']).toBe(`≈ ${formatValue(9876543)}`);
    expect(byLabel['quantile 0.5']).toBe(`≈ ${formatValue(12.5)}`);
    const exact = Object.fromEntries(
      columnStatisticsRows({ name: 'k', type: 'numeric', missing: 0, distinct: 3, distinct_exact: true })
    );
    expect(exact['distinct values']).toBe('3 (exact)');
  });

  it('lists the byte lengths of a binary column', () => {
    const rows = columnStatisticsRows({
      name: 'raw',
      type: 'binary',
      missing: 0,
      byte_length: { min: 2, max: 5, mean: 3.5 }
    });
    expect(rows.slice(-3)).toEqual([
      ['bytes min', '2'],
      ['bytes max', '5'],
      ['bytes mean', '3.5']
    ]);
  });
});

const MAP: IEmbeddingsMap = {
  info: { status: 'ready', method: 'pca' },
  rows: [0, 2, 5, 7],
  x: [0.1, 0.2, 0.3, 0.4],
  y: [1, 2, 3, 4],
  z: [5, 6, 7, 8],
  color: null
};

describe('embeddings figure', () => {
  it('draws one 2-D trace with the row in each point', () => {
    const figure = embeddingsFigure(MAP, { dims: 2, webgl: false }, THEME);
    expect(figure.data).toHaveLength(1);
    const trace = figure.data[0] as { type: string; customdata: unknown[][]; z?: number[] };
    expect(trace.type).toBe('scatter');
    expect(trace.z).toBeUndefined();
    expect(trace.customdata.map(point => point[0])).toEqual([0, 2, 5, 7]);
    expect(figure.layout.dragmode).toBe('lasso');
    expect(figure.layout.title).toEqual({ text: 'Embeddings of 4 rows · PCA' });
  });

  it('draws 3-D with z', () => {
    const trace = embeddingsFigure(MAP, { dims: 3, webgl: true }, THEME).data[0] as {
      type: string;
      z: number[];
    };
    expect(trace.type).toBe('scatter3d');
    expect(trace.z).toEqual([5, 6, 7, 8]);
  });

  it('colours numbers on a scale, missing ones included', () => {
    const map = { ...MAP, color: { column: 'price', values: [1.5, null, 3, 4] } };
    const figure = embeddingsFigure(map, { dims: 2, webgl: false }, THEME);
    expect(figure.data).toHaveLength(1);
    const trace = figure.data[0] as { marker: { color: number[] }; customdata: unknown[][]; hovertemplate: string };
    expect(trace.marker.color).toEqual([1.5, NaN, 3, 4]);
    expect(trace.customdata[1]).toEqual([2, MISSING_LABEL]);
    expect(trace.hovertemplate).toContain('price: %{customdata[1]}');
  });

  it('gives each category its own trace', () => {
    const map = { ...MAP, color: { column: 'region', values: ['n', 's', 'n', null] } };
    const figure = embeddingsFigure(map, { dims: 2, webgl: false }, THEME);
    const traces = figure.data as { name: string; customdata: unknown[][] }[];
    expect(traces.map(trace => trace.name)).toEqual(['n', 's', MISSING_LABEL]);
    expect(traces[0].customdata).toEqual([
      [0, 'n'],
      [5, 'n']
    ]);
    expect(figure.layout.showlegend).toBe(true);
    expect(figure.layout.legend?.title).toEqual({ text: 'region' });
  });

  it('groups rare categories, most frequent first', () => {
    const values = Array.from({ length: 30 }, (_, i) => `c${i % (MAX_COLOR_GROUPS + 2)}`);
    const groups = colorGroups(values);
    expect(groups).toHaveLength(MAX_COLOR_GROUPS + 1);
    expect(groups[MAX_COLOR_GROUPS][0]).toBe(OTHER_LABEL);
    expect(groups.flatMap(([, members]) => members).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 30 }, (_, i) => i)
    );
  });

  it('rings a clicked row and its neighbours above the points', () => {
    const highlight = { row: 5, neighbours: [0, 7, 99] };
    const figure = embeddingsFigure(MAP, { dims: 2, webgl: false, highlight }, THEME);
    const [, neighbours, clicked] = figure.data as { x: number[]; customdata: unknown[][]; hoverinfo: string }[];
    expect(neighbours.customdata.map(point => point[0])).toEqual([0, 7]); // 99 is not on the map
    expect(clicked.x).toEqual([0.3]);
    expect(clicked.hoverinfo).toBe('skip');
  });

  it('tells numeric colour columns from text ones', () => {
    expect(isNumericColor([1, null, 2])).toBe(true);
    expect(isNumericColor([1, 'a'])).toBe(false);
    expect(isNumericColor([null])).toBe(false);
  });

  it('reads the row of a point', () => {
    expect(rowOfPoint({ customdata: [12, 'x'] as unknown as number })).toBe(12);
  });
});

describe('values formatted by column', () => {
  it('groups amounts but not years, ids or codes; shows midnight timestamps as dates', () => {
    expect(isCodeLike('year', [1952, 2007])).toBe(true);
    expect(isCodeLike('pop', [1952, 2007])).toBe(true); // every value a year
    expect(isCodeLike('pop', [8425333, 1952])).toBe(false);
    expect(isCodeLike('customer_id', [10452, 99871])).toBe(true);
    expect(isCodeLike('price', [1.5, 2007])).toBe(false);
    expect(formatCell(1952, true)).toBe('1952');
    expect(formatCell(1979.5, true)).toBe('1979.5');
    expect(formatCell(8425333, false)).toBe('8,425,333');
    expect(formatCell('2024-02-16T00:00:00.000')).toBe('2024-02-16');
    expect(formatCell('2024-02-16T13:05:00.000')).toBe('2024-02-16T13:05:00.000');
    expect(cellClass(3)).toBe('jp-Dataplane-number');
    expect(cellClass('a')).toBeUndefined();
  });
});

describe('embeddings map colour', () => {
  it('defaults to the most evenly spread low-cardinality column', () => {
    const column = (name: string, type: string, counts: number[]) =>
      ({ name, type, distinct: counts.length, top: counts.map((count, k) => ({ value: `v${k}`, count })) }) as never;
    expect(
      defaultColorColumn([
        { name: 'sepal_length', type: 'numeric', distinct: 35 } as never,
        column('flag', 'boolean', [149, 1]),
        column('species', 'categorical', [50, 50, 50]),
        column('country', 'categorical', Array.from({ length: 142 }, () => 12))
      ])
    ).toBe('species');
    expect(defaultColorColumn([{ name: 'x', type: 'numeric', distinct: 3 } as never])).toBeNull();
  });
});

describe('rows of a first look', () => {
  it('shows an estimated row count with ≈ and an exact one plainly', async () => {
    const { rowsLabel } = await import('../src/details/summary');
    const look = { rows: 999544, rows_estimated: true, columns_count: 1, columns: [], partial: true };
    expect(rowsLabel(look, null)).toBe('≈ ' + formatNumber(999544));
    expect(rowsLabel({ ...look, rows_estimated: undefined, partial: false }, null)).toBe(formatNumber(999544));
  });
});
