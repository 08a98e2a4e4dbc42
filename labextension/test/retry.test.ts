import { describe, expect, it } from 'vitest';

import { RETRY_TEXT_FIELDS, retryBody, retryFields } from '../src/forms/retryFields';
import { HINT_LABELS } from '../src/hints';
import { actionFits, hasData, uploadDatasetName } from '../src/model';
import { IDataset } from '../src/types';
import { expectCases } from './cases';

function dataset(status: IDataset['status']): IDataset {
  return { name: 'ragged', status } as IDataset;
}

describe('retry of a failed import', () => {
  it('prefills the form with what the server gives and sends empty fields as "detect"', () => {
    const fields = retryFields({ separator: '\t', decimal: null, encoding: 'utf-8', quotechar: null, header: false, escapechar: null, skip_lines: null, header_rows: null, on_bad_rows: 'repair' });
    expect(fields).toEqual({
      separator: '\\t',
      decimal: '',
      encoding: 'utf-8',
      quotechar: '',
      escapechar: '',
      skip_lines: '',
      header_rows: '',
      header: 'no',
      strict: false,
      lenient: 'repair'
    });
    expect(retryBody({ ...fields, separator: ';', header: 'detect' })).toEqual({
      separator: ';',
      decimal: null,
      encoding: 'utf-8',
      quotechar: null,
      header: null,
      escapechar: null,
      skip_lines: null,
      header_rows: null,
      on_bad_rows: 'repair'
    });
    expect(retryBody(fields).separator).toBe('\t');
    expect(retryBody({ ...fields, header: 'yes' }).header).toBe(true);
  });

  it('has a field for every setting the import detects: escape, preamble, header lines, strict', () => {
    const fields = retryFields({ separator: ',', decimal: '.', encoding: 'utf-8', quotechar: '"', header: true, escapechar: '\\', skip_lines: 2, header_rows: 2, on_bad_rows: 'error' });
    expect(fields).toMatchObject({ escapechar: '\\', skip_lines: '2', header_rows: '2', strict: true });
    expect(retryBody({ ...fields, header_rows: '1', skip_lines: ' 0 ', strict: false })).toMatchObject({
      escapechar: '\\',
      skip_lines: 0,
      header_rows: 1,
      on_bad_rows: 'repair'
    });
    expect(retryBody(fields).on_bad_rows).toBe('error');
    // a skipping attempt stays skipping unless made strict
    const skipped = retryFields({ ...retryBody(fields), on_bad_rows: 'skip' });
    expect(retryBody(skipped).on_bad_rows).toBe('skip');
    expect(retryBody({ ...skipped, strict: true }).on_bad_rows).toBe('error');
    // not a whole number: sent as typed, for the server to name the field it refuses
    expect(retryBody({ ...fields, header_rows: 'two' }).header_rows).toBe('two');
    // every field is labelled as the hints name it
    for (const key of RETRY_TEXT_FIELDS) {
      expect(HINT_LABELS[key]).toBeTruthy();
    }
  });

  it('offers retry on failed datasets only, and no download, notebook or export without data', () => {
    const failed = dataset('failed');
    expect(actionFits('retry', failed)).toBe(true);
    for (const action of ['download', 'notebook', 'export']) {
      expect(actionFits(action, failed)).toBe(false);
      expect(actionFits(action, dataset('copying'))).toBe(false);
      expect(actionFits(action, dataset('ready'))).toBe(true);
      expect(actionFits(action, dataset('computing_statistics'))).toBe(true);
    }
    expect(actionFits('retry', dataset('ready'))).toBe(false);
    expect(actionFits('details', failed) && actionFits('delete', failed) && actionFits('rename', failed)).toBe(true);
    expect(hasData(failed)).toBe(false);
  });

  it('names an upload the way the server does, to ask before replacing', () => {
    expectCases(uploadDatasetName, {
      'sales.csv': 'sales',
      'sales.csv.gz': 'sales',
      'shapes.zip': 'shapes',
      'data.tsv': 'data',
      noext: 'noext'
    });
  });
});
