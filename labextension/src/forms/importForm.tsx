import * as React from 'react';

import { DataplaneClient } from '../client';
import { IDataset, IDatasource } from '../types';
import { FormError, FormWidget, SelectRow, TextRow } from './common';
import { ISubmittable } from './formDialog';

/** Pick a datasource and a name for the new dataset; submitting starts the import. */
export class ImportForm extends FormWidget implements ISubmittable {
  /**
   * @param datasources the project's datasources
   * @param preselected name of the datasource to start with
   */
  constructor(
    private readonly client: DataplaneClient,
    private readonly project: string,
    private readonly datasources: readonly IDatasource[],
    preselected?: string
  ) {
    super('jp-Dataplane-importForm');
    const known = datasources.some(d => d.name === preselected);
    this._datasource = known ? (preselected as string) : (datasources[0]?.name ?? '');
  }

  /** The dataset the import creates, once submitted. */
  get imported(): IDataset | null {
    return this._dataset;
  }

  async submit(): Promise<boolean> {
    if (!this._datasource) {
      return this.fail('Pick a datasource.');
    }
    return this.send(async () => {
      this._dataset = await this.client.importDatasource(this.project, {
        datasource: this._datasource,
        name: this._name.trim() || null
      });
    });
  }

  protected render(): JSX.Element {
    if (this.datasources.length === 0) {
      return (
        <p className="jp-Dataplane-empty">
          Project '{this.project}' has no datasources yet: create one in the Datasources section.
        </p>
      );
    }
    return (
      <>
        <SelectRow
          label="Datasource"
          name="datasource"
          value={this._datasource}
          options={this.datasources.map(d => ({ label: d.name, value: d.name }))}
          onChange={value => this.set(() => (this._datasource = value))}
        />
        <TextRow
          label="Dataset name"
          name="dataset"
          value={this._name}
          placeholder="the datasource's name and the time when empty"
          onChange={value => this.set(() => (this._name = value))}
        />
        <FormError message={this.error} />
      </>
    );
  }

  private _dataset: IDataset | null = null;
  private _datasource: string;
  private _name = '';
}
