import { IRetryImport } from '../types';

/** Options of a retry as the form edits them: text fields, and the header as a choice. */
export interface IRetryFields {
  separator: string;
  decimal: string;
  encoding: string;
  quotechar: string;
  header: 'detect' | 'yes' | 'no';
}

/** The form's fields from the server's options (given before, else detected). */
export function retryFields(options: IRetryImport): IRetryFields {
  const text = (value: string | null | undefined) => (value === '\t' ? '\\t' : (value ?? ''));
  return {
    separator: text(options.separator),
    decimal: text(options.decimal),
    encoding: text(options.encoding),
    quotechar: text(options.quotechar),
    header: options.header === true ? 'yes' : options.header === false ? 'no' : 'detect'
  };
}

/** The request body from the form's fields: an empty field means "detect it". */
export function retryBody(fields: IRetryFields): IRetryImport {
  const text = (value: string) => (value === '\\t' ? '\t' : value === '' ? null : value);
  return {
    separator: text(fields.separator),
    decimal: text(fields.decimal),
    encoding: text(fields.encoding),
    quotechar: text(fields.quotechar),
    header: fields.header === 'detect' ? null : fields.header === 'yes',
    escapechar: null,
    skip_lines: null,
    header_rows: null,
    on_bad_rows: null
  };
}
