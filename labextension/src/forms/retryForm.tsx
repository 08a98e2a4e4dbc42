import * as React from 'react';

import { HINT_LABELS, wordHints } from '../hints';
import { IDataset, IRetryImport } from '../types';
import { IRetryFields, RETRY_TEXT_FIELDS, retryBody, retryFields } from './retryFields';
import { FormError, FormWidget, SelectRow, TextRow } from './common';
import { ISubmittable } from './formDialog';

/**
 * Retry a failed import with other options, prefilled with what the failed attempt was given
 * or detected; submitting starts the import again on the same dataset.
 */
export class RetryForm extends FormWidget implements ISubmittable {
  constructor(
    private readonly record: IDataset,
    options: IRetryImport,
    private readonly retry: (options: IRetryImport) => Promise<IDataset>
  ) {
    super('jp-Dataplane-retryForm');
    this._fields = retryFields(options);
  }

  async submit(): Promise<boolean> {
    return this.send(() => this.retry(retryBody(this._fields)));
  }

  protected render(): JSX.Element {
    const fields = this._fields;
    const text = (key: (typeof RETRY_TEXT_FIELDS)[number], placeholder: string) => (
      <TextRow
        label={HINT_LABELS[key]}
        name={key}
        value={fields[key]}
        placeholder={placeholder}
        onChange={value => this.set(() => (fields[key] = value))}
      />
    );
    return (
      <>
        <p className="jp-Dataplane-retryReason">
          {this.record.error ? wordHints(this.record.error, this.record.hints) : 'The import failed.'}
        </p>
        {text('separator', 'detect (e.g. ; or , or \\t)')}
        {text('decimal', 'detect (. or ,)')}
        {text('encoding', 'detect (e.g. utf-8, cp1252)')}
        {text('quotechar', 'detect (usually ")')}
        {text('escapechar', 'detect (e.g. \\ when quotes are written \\")')}
        {text('skip_lines', 'detect (a title or preamble above the header)')}
        <SelectRow
          label={HINT_LABELS.header}
          name="header"
          value={fields.header}
          options={[
            { label: 'detect', value: 'detect' },
            { label: 'names the columns', value: 'yes' },
            { label: 'is data (no header)', value: 'no' }
          ]}
          onChange={value => this.set(() => (fields.header = value as IRetryFields['header']))}
        />
        {text('header_rows', 'detect (2: a group row above the names)')}
        <label
          className="jp-Dataplane-field jp-Dataplane-checkField"
          title="Off: a row that does not parse like the rest of the file is repaired when the repair is unambiguous, else set aside in the dataset's rejected rows. On: the file is refused, naming the bad lines."
        >
          <input
            type="checkbox"
            name="on_bad_rows"
            checked={fields.strict}
            onChange={event => {
              const checked = event.currentTarget.checked;
              this.set(() => (fields.strict = checked));
            }}
          />
          <span>{HINT_LABELS.on_bad_rows}</span>
        </label>
        <FormError message={this.error} />
      </>
    );
  }

  private _fields: IRetryFields;
}
