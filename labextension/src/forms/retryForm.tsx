import * as React from 'react';

import { wordHints } from '../hints';
import { errorMessage } from '../notifications';
import { IDataset, IRetryImport } from '../types';
import { IRetryFields, retryBody, retryFields } from './retryFields';
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
    super();
    this.addClass('jp-Dataplane-form');
    this.addClass('jp-Dataplane-retryForm');
    this._fields = retryFields(options);
  }

  async submit(): Promise<boolean> {
    try {
      await this.retry(retryBody(this._fields));
    } catch (error) {
      return this.fail(errorMessage(error));
    }
    return true;
  }

  protected render(): JSX.Element {
    const fields = this._fields;
    const text = (key: Exclude<keyof IRetryFields, 'header'>, label: string, placeholder: string) => (
      <TextRow
        label={label}
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
        {text('separator', 'Separator', 'detect (e.g. ; or , or \\t)')}
        {text('decimal', 'Decimal mark', 'detect (. or ,)')}
        {text('encoding', 'Encoding', 'detect (e.g. utf-8, cp1252)')}
        {text('quotechar', 'Quote character', 'detect (usually ")')}
        <SelectRow
          label="First line"
          name="header"
          value={fields.header}
          options={[
            { label: 'detect', value: 'detect' },
            { label: 'names the columns', value: 'yes' },
            { label: 'is data (no header)', value: 'no' }
          ]}
          onChange={value => this.set(() => (fields.header = value as IRetryFields['header']))}
        />
        <FormError message={this.error} />
      </>
    );
  }

  private _fields: IRetryFields;
}
