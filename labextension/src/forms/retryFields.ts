import { IRetryImport } from '../types';

/**
 * Options of a retry as the form edits them: text fields (empty: detect it), the header as a
 * choice, and the "Strict" switch (refuse the file on bad rows instead of repairing or setting
 * them aside).
 */
export interface IRetryFields {
  separator: string;
  decimal: string;
  encoding: string;
  quotechar: string;
  escapechar: string;
  skip_lines: string;
  header_rows: string;
  header: 'detect' | 'yes' | 'no';
  strict: boolean;
  /** What a bad row gets when not strict: as the failed attempt said (skip), else repaired. */
  lenient: 'repair' | 'skip';
}

/** The text fields of the form, in the order it shows them. */
export const RETRY_TEXT_FIELDS = [
  'separator',
  'decimal',
  'encoding',
  'quotechar',
  'escapechar',
  'skip_lines',
  'header_rows'
] as const;

/** The form's fields from the server's options (given before, else detected). */
export function retryFields(options: IRetryImport): IRetryFields {
  const text = (value: string | null | undefined) => (value === '\t' ? '\\t' : (value ?? ''));
  const count = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));
  return {
    separator: text(options.separator),
    decimal: text(options.decimal),
    encoding: text(options.encoding),
    quotechar: text(options.quotechar),
    escapechar: text(options.escapechar),
    skip_lines: count(options.skip_lines),
    header_rows: count(options.header_rows),
    header: options.header === true ? 'yes' : options.header === false ? 'no' : 'detect',
    strict: options.on_bad_rows === 'error',
    lenient: options.on_bad_rows === 'skip' ? 'skip' : 'repair'
  };
}

/**
 * The request body from the form's fields: an empty field means "detect it"; a count that is
 * not a whole number is sent as typed, for the server to name the field it refuses.
 */
export function retryBody(fields: IRetryFields): IRetryImport {
  const text = (value: string) => (value === '\\t' ? '\t' : value === '' ? null : value);
  const count = (value: string): number | null => {
    const trimmed = value.trim();
    if (trimmed === '') {
      return null;
    }
    return /^\d+$/.test(trimmed) ? Number(trimmed) : (trimmed as unknown as number);
  };
  return {
    separator: text(fields.separator),
    decimal: text(fields.decimal),
    encoding: text(fields.encoding),
    quotechar: text(fields.quotechar),
    header: fields.header === 'detect' ? null : fields.header === 'yes',
    escapechar: text(fields.escapechar),
    skip_lines: count(fields.skip_lines),
    header_rows: count(fields.header_rows),
    on_bad_rows: fields.strict ? 'error' : fields.lenient
  };
}
