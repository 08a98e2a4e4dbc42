import { describe, expect, it } from 'vitest';

import { dagSteps, layoutDag } from '../src/pipelines/dag';
import { problemLine, stepsToYaml } from '../src/pipelines/yaml';

const STEPS = [
  { name: 'sales', kind: 'read', dataset: 'sales' },
  { name: 'big', kind: 'sql', query: 'select * from sales where units > 2' },
  { name: 'scored', kind: 'predict', input: 'big', model: 'm.joblib' },
  { name: 'out', kind: 'export', input: 'scored', exporter: 'wh' }
];

describe('pipeline YAML', () => {
  it('writes steps as block YAML with JSON values', () => {
    expect(stepsToYaml(STEPS.slice(0, 2))).toBe(
      '- name: "sales"\n  kind: "read"\n  dataset: "sales"\n' +
        '- name: "big"\n  kind: "sql"\n  query: "select * from sales where units > 2"\n'
    );
  });

  it('finds the line of the step a problem names, else of its index', () => {
    const yaml = '# steps\n- {name: sales, kind: read}\n- name: big\n  kind: sql\n';
    expect(problemLine(yaml, { index: 1, step: 'big', field: 'query', message: '' })).toBe(3);
    expect(problemLine(yaml, { index: 0, step: 'sales', field: 'kind', message: '' })).toBe(2);
    expect(problemLine(yaml, { index: 1, step: null, field: 'name', message: '' })).toBe(3);
    expect(problemLine(yaml, { index: null, step: null, field: 'steps', message: '' })).toBeNull();
  });
});

describe('pipeline DAG', () => {
  it('reads inputs from input fields and SQL queries, and lays steps out by depth', () => {
    const steps = dagSteps(STEPS);
    expect(steps.map(s => s.inputs)).toEqual([[], ['sales'], ['big'], ['scored']]);
    const positions = layoutDag(steps);
    expect(['sales', 'big', 'scored', 'out'].map(n => positions.get(n)?.col)).toEqual([0, 1, 2, 3]);
  });
});
