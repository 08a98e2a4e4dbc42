import { describe, expect, it } from 'vitest';

import { retryBody, retryFields } from '../src/forms/retryFields';
import { actionFits, hasData, uploadDatasetName } from '../src/model';
import { IDataset } from '../src/types';

function dataset(status: IDataset['status']): IDataset {
  return { name: 'ragged', status } as IDataset;
}

describe('retry of a failed import', () => {
  it('prefills the form with what the server gives and sends empty fields as "detect"', () => {
    const fields = retryFields({ separator: '\t', decimal: null, encoding: 'utf-8', quotechar: null, header: false, escapechar: null, skip_lines: null, on_bad_rows: null });
    expect(fields).toEqual({ separator: '\\t', decimal: '', encoding: 'utf-8', quotechar: '', header: 'no' });
    expect(retryBody({ ...fields, separator: ';', header: 'detect' })).toEqual({
      separator: ';',
      decimal: null,
      encoding: 'utf-8',
      quotechar: null,
      header: null,
      escapechar: null,
      skip_lines: null,
      header_rows: null,
      on_bad_rows: null
    });
    expect(retryBody(fields).separator).toBe('\t');
    expect(retryBody({ ...fields, header: 'yes' }).header).toBe(true);
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
    expect(uploadDatasetName('sales.csv')).toBe('sales');
    expect(uploadDatasetName('sales.csv.gz')).toBe('sales');
    expect(uploadDatasetName('shapes.zip')).toBe('shapes');
    expect(uploadDatasetName('data.tsv')).toBe('data');
    expect(uploadDatasetName('noext')).toBe('noext');
  });
});
