import { describe, expect, it } from 'vitest';

import { sidebarHint, wordHints } from '../src/hints';

describe('hints worded for the sidebar', () => {
  it('names the form field and the value instead of the Python keyword', () => {
    const message = 'x.csv: line 9 is not valid UTF-8 (give the file\'s encoding, e.g. encoding="cp1252")';
    const hints = [{ option: 'encoding', value: 'cp1252', text: 'encoding="cp1252"' }];
    expect(wordHints(message, hints)).toBe(
      'x.csv: line 9 is not valid UTF-8 (give the file\'s encoding, e.g. set “Encoding” to cp1252)'
    );
  });

  it('words switches, choices and tabs as the forms show them', () => {
    expect(sidebarHint({ option: 'on_bad_rows', value: 'repair', text: 'on_bad_rows="repair"' })).toBe(
      'untick “Strict: refuse files with bad rows”'
    );
    expect(sidebarHint({ option: 'header', value: false, text: 'header=False' })).toBe(
      'set “First line” to “is data (no header)”'
    );
    expect(sidebarHint({ option: 'separator', value: '\t', text: 'separator="\\t"' })).toBe(
      'set “Separator” to \\t'
    );
    expect(sidebarHint({ option: 'header_rows', value: 1, text: 'header_rows=1' })).toBe('set “Header lines” to 1');
  });

  it('leaves a message without hints as it is', () => {
    expect(wordHints('separator is ;', undefined)).toBe('separator is ;');
    expect(wordHints('separator is ;', [])).toBe('separator is ;');
  });
});
