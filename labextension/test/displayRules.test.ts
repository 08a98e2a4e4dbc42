import { readFileSync } from 'fs';
import { join } from 'path';
import { describe, expect, it } from 'vitest';

import { formatCell, statusClass, statusTone } from '../src/details/format';

/** The table the notebook panel is checked against too (tests/widgets/test_formatting.py). */
const RULES = JSON.parse(readFileSync(join(__dirname, '..', '..', 'tests', 'display_rules.json'), 'utf-8')) as {
  cells: { value: unknown; code_like?: boolean; shown: string }[];
  status_tones: Record<string, string>;
};

describe('one spelling in the sidebar and the notebook panel', () => {
  it.each(RULES.cells)('cell $value reads $shown', ({ value, code_like, shown }) => {
    expect(formatCell(value, code_like ?? false)).toBe(shown);
  });

  it('gives each status the tone of the notebook panel chips', () => {
    for (const [status, tone] of Object.entries(RULES.status_tones)) {
      expect(statusTone(status)).toBe(tone);
      expect(statusClass(status)).toBe(`jp-Dataplane-status jp-Dataplane-status-${status} jp-mod-${tone}`);
    }
    expect(statusTone(null)).toBe('idle');
    expect(statusTone('toString')).toBe('idle');
  });
});
