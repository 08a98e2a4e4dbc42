import * as React from 'react';

import { DataplaneClient } from '../client';
import { IDataset, IDatasource } from '../types';
import { TextRow } from './common';
import { PickForm } from './pickForm';

/** Pick a datasource and a name for the new dataset; submitting starts the import. */
export class ImportForm extends PickForm<IDatasource, IDataset> {
  /**
   * @param datasources the project's datasources
   * @param preselected name of the datasource to start with
   */
  constructor(
    client: DataplaneClient,
    project: string,
    datasources: readonly IDatasource[],
    preselected?: string
  ) {
    super('jp-Dataplane-importForm', client, project, 'datasource', datasources, preselected);
  }

  /** Starts the import; the dataset it creates is `started`. */
  protected start(datasource: string): Promise<IDataset> {
    return this.client.importDatasource(this.project, {
      datasource,
      name: this._name.trim() || null
    });
  }

  protected choiceLabel(datasource: IDatasource): string {
    return datasource.name;
  }

  protected renderMore(): JSX.Element {
    return (
      <TextRow
        label="Dataset name"
        name="dataset"
        value={this._name}
        placeholder="the datasource's name and the time when empty"
        onChange={value => this.set(() => (this._name = value))}
      />
    );
  }

  private _name = '';
}
