/**
 * Import options that the server's messages suggest, worded for the sidebar.
 *
 * The core words a suggestion as the Python keyword (`separator=";"`); the REST reply carries
 * each one as data (`hints`: option, value and the exact `text` of the message). The sidebar
 * names the form field instead, with its label as the forms show it.
 */

/** One suggested option, as the REST reply carries it. */
export interface IOptionHint {
  option: string;
  value: string | number | boolean;
  text: string;
}

/** The label of each option's field in the sidebar's forms. */
export const HINT_LABELS: Record<string, string> = {
  separator: 'Separator',
  decimal: 'Decimal mark',
  encoding: 'Encoding',
  quotechar: 'Quote character',
  header: 'First line',
  escapechar: 'Escape character',
  skip_lines: 'Lines before the header',
  header_rows: 'Header lines',
  on_bad_rows: 'Strict: refuse files with bad rows'
};

/** A suggested option in the sidebar's words: the field's label and the value to give it. */
export function sidebarHint(hint: IOptionHint): string {
  const label = HINT_LABELS[hint.option] ?? hint.option;
  if (hint.option === 'on_bad_rows') {
    return `${hint.value === 'error' ? 'tick' : 'untick'} “${label}”`;
  }
  if (hint.option === 'header') {
    return `set “${label}” to “${hint.value ? 'names the columns' : 'is data (no header)'}”`;
  }
  const value = hint.value === '\t' ? '\\t' : String(hint.value);
  return `set “${label}” to ${value}`;
}

/** `message` with each suggested option worded for the sidebar. */
export function wordHints(message: string, hints: readonly IOptionHint[] | undefined): string {
  let out = message;
  for (const hint of hints ?? []) {
    out = out.replace(hint.text, sidebarHint(hint));
  }
  return out;
}
