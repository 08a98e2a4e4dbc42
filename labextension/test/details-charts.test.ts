import { describe, expect, it } from 'vitest';

import {
  distributionFigure,
  distributionsFigure,
  distributionTrace,
  formatG,
  IChartTheme,
  isoToMillis,
  TOP_OF_MANY,
  levelsNote,
  millisToPlotlyDate,
  themedLayout
} from '../src/charts';
import { clusterOrder, correlationFigure, mostCorrelated } from '../src/details/correlationFigure';
import type { IColumnStatistics, ICorrelation } from '../src/types';
import { COUNTRY } from './fixtures';

const THEME: IChartTheme = {
  paper: '#111111',
  font: '#eeeeee',
  mutedFont: '#999999',
  grid: '#333333',
  accent: '#42a5f5',
  fontFamily: 'Inter',
  fontSize: 13
};

// Entries as `Dataset.statistics()` stores them (from a 12-row CSV; COUNTRY is in fixtures.ts).
const ID: IColumnStatistics = {
  name: 'id',
  type: 'numeric',
  count: 12,
  missing: 0,
  mean: 5.5,
  min: 0,
  max: 11,
  histogram: {
    edges: [0, 2.75, 5.5, 8.25, 11],
    counts: [3, 3, 3, 3]
  }
};

const SIGNUP: IColumnStatistics = {
  name: 'signup',
  type: 'datetime',
  count: 12,
  missing: 0,
  histogram: {
    edges: ['2026-01-01T00:00:00', '2026-01-01T13:12:00', '2026-01-02T02:24:00'],
    counts: [1, 1]
  }
};

describe('distributionTrace', () => {
  it('draws a numeric histogram as bars spanning each bin', () => {
    const trace = distributionTrace(ID, '#123456')!;
    expect(trace.type).toBe('bar');
    expect(trace.x).toEqual([1.375, 4.125, 6.875, 9.625]);
    expect(trace.width).toEqual([2.75, 2.75, 2.75, 2.75]);
    expect(trace.y).toEqual([3, 3, 3, 3]);
    expect(trace.customdata).toEqual(['0 – 2.75', '2.75 – 5.5', '5.5 – 8.25', '8.25 – 11']);
    expect(trace.marker).toEqual({ color: '#123456' });
  });

  it('reads datetime edges as UTC and widths in milliseconds', () => {
    const trace = distributionTrace(SIGNUP, 'blue')!;
    expect(trace.x).toEqual(['2026-01-01 06:36:00', '2026-01-01 19:48:00']);
    expect(trace.width).toEqual([13.2 * 3600 * 1000, 13.2 * 3600 * 1000]);
    expect((trace.customdata as string[])[0]).toBe('2026-01-01 00:00 – 2026-01-01 13:12');
  });

  it('draws top values as horizontal bars', () => {
    const trace = distributionTrace(COUNTRY, 'blue')!;
    expect(trace.orientation).toBe('h');
    expect(trace.y).toEqual(['DE', 'FR']);
    expect(trace.x).toEqual([6, 6]);
  });

  it('sums what the top values leave out as "(other values)" while a column has few levels', () => {
    const top = Array.from({ length: 12 }, (_, i) => ({ value: `v${i}`, count: 2 }));
    const trace = distributionTrace(
      { name: 'c', type: 'categorical', missing: 0, count: 30, distinct: 14, top },
      'blue'
    )!;
    const labels = trace.y as string[];
    expect(labels).toHaveLength(13);
    expect(labels[12]).toBe('(other values)');
    expect((trace.x as number[])[12]).toBe(6); // 30 rows - 24 listed
  });

  it('says "142 levels, each 0.7 %" instead of an (other values) bar dwarfing the rest', () => {
    const top = Array.from({ length: 50 }, (_, i) => ({ value: `country ${i}`, count: 12 }));
    const column = { name: 'country', type: 'categorical', missing: 0, count: 1704, distinct: 142, top };
    const trace = distributionTrace(column, 'blue')!;
    expect(trace.y).toHaveLength(TOP_OF_MANY);
    expect(trace.y as string[]).not.toContain('(other values)');
    expect(levelsNote(column)).toBe('142 levels, each 0.7 %');
    const figure = distributionFigure(column, THEME);
    expect((figure.layout.title as { text: string }).text).toContain('142 levels, each 0.7 %');
    expect((figure.layout.yaxis as { dtick?: number }).dtick).toBe(1); // every label drawn
    const uneven = { ...column, top: [{ value: 'a', count: 500 }, ...top.slice(1)] };
    expect(levelsNote(uneven)).toBe('142 levels: the 10 most frequent (35.7 % of rows)');
    expect(levelsNote({ ...column, distinct: 15, top: top.slice(0, 15) })).toBeNull();
  });

  it('uses image widths and tensor shapes of media columns', () => {
    const image = distributionTrace(
      {
        name: 'photo',
        type: 'image',
        missing: 0,
        media: { width: { min: 10, max: 30, mean: 20, histogram: { edges: [10, 20, 30], counts: [4, 1] } } }
      },
      'blue'
    )!;
    expect(image.name).toBe('photo width (px)');
    expect(image.y).toEqual([4, 1]);
    const tensor = distributionTrace(
      { name: 't', type: 'tensor', missing: 0, count: 3, media: { shapes: { '[2, 2]': 3 } } },
      'blue'
    )!;
    expect(tensor.y).toEqual(['[2, 2]']);
  });

  it('has nothing to draw for partial statistics', () => {
    expect(distributionTrace({ name: 'x', type: 'numeric', missing: 0, min: 1, max: 2 }, 'b')).toBeNull();
  });
});

describe('figures', () => {
  it('titles a distribution and reverses category order', () => {
    const figure = distributionFigure(COUNTRY, THEME);
    expect(figure.layout.title).toEqual({ text: 'country (categorical)' });
    expect(figure.layout.yaxis?.autorange).toBe('reversed');
    expect(figure.layout.paper_bgcolor).toBe('#111111');
  });

  it('says so when a column has nothing to draw', () => {
    const figure = distributionFigure({ name: 'x', type: 'text', missing: 3 }, THEME);
    expect(figure.data).toEqual([]);
    expect(figure.layout.annotations?.[0].text).toBe('x (text): no values to draw');
  });

  it('lays small multiples out three to a row, each on its own axes', () => {
    const figure = distributionsFigure([ID, COUNTRY, SIGNUP, ID], THEME);
    expect(figure.data).toHaveLength(4);
    expect(figure.data.map(trace => (trace as { xaxis: string }).xaxis)).toEqual(['x', 'x2', 'x3', 'x4']);
    const layout = figure.layout as Record<string, { domain: number[] }>;
    expect(layout.xaxis4.domain[0]).toBeCloseTo(layout.xaxis.domain[0]);
    expect(layout.yaxis4.domain[1]).toBeLessThan(layout.yaxis.domain[0]);
    expect(figure.layout.height).toBe(2 * 190 + 60 + 24 + 30);
    // The first row starts at the top of the plot area, under a margin just tall enough for
    // its titles: no blank band under the "Feature distributions" heading.
    expect(layout.yaxis.domain[1]).toBe(1);
    expect(figure.layout.margin?.t).toBeLessThanOrEqual(24);
    expect(layout.yaxis4.domain[0]).toBeCloseTo(0);
    // Between rows: room for the tick labels above and the titles below (60 px).
    const area = (figure.layout.height as number) - 24 - 30;
    expect((layout.yaxis.domain[0] - layout.yaxis4.domain[1]) * area).toBeCloseTo(60);
    const titles = (figure.layout.annotations ?? []).map(note => note.text);
    expect(titles).toEqual(['id (numeric)', 'country (categorical)', 'signup (datetime)', 'id (numeric)']);
  });

  it('themes every axis', () => {
    const layout = themedLayout(THEME, { xaxis: { title: { text: 'rows' } } });
    expect(layout.xaxis).toMatchObject({ gridcolor: '#333333', title: { text: 'rows' } });
    expect(layout.font).toEqual({ color: '#eeeeee', family: 'Inter', size: 13 });
  });
});

const CORRELATION: ICorrelation = {
  method: 'pearson',
  columns: ['a', 'b', 'c'],
  matrix: [
    [1, 0.9, null],
    [0.9, 1, 0.1],
    [null, 0.1, 1]
  ]
};

describe('correlation', () => {
  it('draws the stored matrix between -1 and 1', () => {
    const figure = correlationFigure(CORRELATION, THEME);
    const text = figure.data[0] as { texttemplate?: string; hovertemplate?: string };
    expect(text.texttemplate).toBe('%{z:.2f}'); // the r value in each cell, few columns
    expect(text.hovertemplate).toContain('%{y} and %{x}');
    const heatmap = figure.data[0] as { z: (number | null)[][]; x: string[]; zmin: number; zmax: number };
    expect(heatmap.z).toEqual(CORRELATION.matrix);
    expect(heatmap.x).toEqual(['a', 'b', 'c']);
    expect([heatmap.zmin, heatmap.zmax]).toEqual([-1, 1]);
    expect(figure.layout.title).toEqual({ text: 'Pearson correlation (3 columns)' });
  });

  it('restricts the matrix to picked columns', () => {
    const figure = correlationFigure(CORRELATION, THEME, ['c', 'b']);
    const heatmap = figure.data[0] as { z: (number | null)[][] };
    expect(heatmap.z).toEqual([
      [1, 0.1],
      [0.1, 1]
    ]);
    expect(() => correlationFigure(CORRELATION, THEME, ['a', 'zz'])).toThrow('zz');
  });

  it('needs two numeric columns', () => {
    const one = { method: 'pearson', columns: ['a'], matrix: [[1]] };
    expect(correlationFigure(one, THEME).data).toEqual([]);
  });

  it('groups correlated columns together, as the notebook does', () => {
    // a and c go together, b and d go together
    const matrix = [
      [1, 0.1, 0.9, 0],
      [0.1, 1, 0.2, -0.8],
      [0.9, 0.2, 1, 0.1],
      [0, -0.8, 0.1, 1]
    ];
    expect(clusterOrder(matrix)).toEqual([0, 2, 1, 3]);
    const figure = correlationFigure(
      { method: 'pearson', columns: ['a', 'b', 'c', 'd'], matrix },
      THEME,
      undefined,
      true
    );
    expect((figure.data[0] as { x: string[] }).x).toEqual(['a', 'c', 'b', 'd']);
    expect(clusterOrder([])).toEqual([]);
  });

  it('orders a random matrix as widgets/figures.py cluster_order does', () => {
    // numpy default_rng(1) uniform(-1, 1, (9, 9)), symmetrised, unit diagonal, rounded to 3 places
    const matrix = [
      [1.0, -0.022, -0.652, 0.226, -0.649, -0.067, 0.019, 0.129, 0.444],
      [-0.022, 1.0, -0.2, -0.51, 0.317, -0.186, -0.465, -0.03, -0.174],
      [-0.652, -0.2, 1.0, 0.25, -0.055, 0.734, 0.817, 0.007, 0.131],
      [0.226, -0.51, 0.25, 1.0, -0.822, -0.229, 0.638, -0.172, -0.058],
      [-0.649, 0.317, -0.055, -0.822, 1.0, 0.672, 0.469, -0.101, 0.513],
      [-0.067, -0.186, 0.734, -0.229, 0.672, 1.0, 0.259, -0.003, 0.721],
      [0.019, -0.465, 0.817, 0.638, 0.469, 0.259, 1.0, -0.029, 0.473],
      [0.129, -0.03, 0.007, -0.172, -0.101, -0.003, -0.029, 1.0, 0.368],
      [0.444, -0.174, 0.131, -0.058, 0.513, 0.721, 0.473, 0.368, 1.0]
    ];
    expect(clusterOrder(matrix)).toEqual([0, 3, 4, 2, 6, 5, 8, 1, 7]);
  });

  it('keeps the most correlated columns in their stored order', () => {
    expect(mostCorrelated(CORRELATION, 2)).toEqual(['a', 'b']);
    expect(mostCorrelated(CORRELATION, 5)).toEqual(['a', 'b', 'c']);
  });
});

describe('number and date helpers', () => {
  it('formats like Python {:.4g}', () => {
    expect(formatG(2.75)).toBe('2.75');
    expect(formatG(0.9166666)).toBe('0.9167');
    expect(formatG(12345.6)).toBe('1.235e+04');
    expect(formatG(0.00001234)).toBe('1.234e-05');
    expect(formatG(0)).toBe('0');
  });

  it('reads zone-less ISO times as UTC', () => {
    expect(isoToMillis('1970-01-01T00:00:01')).toBe(1000);
    expect(isoToMillis('1970-01-01T00:00:01+01:00')).toBe(1000 - 3600 * 1000);
    expect(millisToPlotlyDate(1500)).toBe('1970-01-01 00:00:01.500');
  });
});
