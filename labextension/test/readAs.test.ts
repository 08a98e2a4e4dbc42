import { describe, expect, it } from 'vitest';

import { describeFormat } from '../src/details/summary';

describe('how a CSV file was read, as the details summary says it', () => {
  it('names every setting the import used (given or detected)', () => {
    expect(
      describeFormat({
        encoding: 'utf-8',
        separator: ';',
        decimal: ',',
        quotechar: '"',
        header: true,
        escapechar: null,
        skip_lines: 2,
        record_delimiter: '\n',
        header_rows: 1
      })
    ).toBe('separator “;”, decimal “,”, encoding utf-8, quote “"”, header of 1 line, 2 lines skipped before it');
    expect(
      describeFormat({
        separator: '\t',
        encoding: 'cp1252',
        escapechar: '\\',
        header: true,
        header_rows: 2,
        record_delimiter: '\r\n'
      })
    ).toBe('separator “\\t”, encoding cp1252, escape “\\”, header of 2 lines, line ends “\\r\\n”');
    expect(describeFormat({ separator: ',', header: false })).toBe('separator “,”, no header');
    expect(describeFormat(undefined)).toBeNull();
    expect(describeFormat({})).toBeNull();
  });
});
