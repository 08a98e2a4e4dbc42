import * as React from 'react';

import { SourcesModel } from '../sourcesModel';
import { IDatasource, IDatasourcePreview } from '../types';
import { PreviewTable } from './preview';
import { LocatorForm } from './sourceForm';

/**
 * Create or edit a datasource: a connector, then what to read through it (table, query, path,
 * bucket + path, dataset + table). "Test" shows the columns and first rows before saving.
 */
export class DatasourceForm extends LocatorForm<IDatasource> {
  /**
   * @param sources the state of the current project (connectors, kinds, the client)
   * @param saved the datasource to edit, or undefined to create one
   */
  constructor(sources: SourcesModel, saved?: IDatasource) {
    super(sources, saved, 'datasource', saved?.locator ?? {}, {
      testLabel: 'Test datasource',
      noConnectors: 'A datasource reads through a connector: create a connector first.'
    });
  }

  protected async create(project: string, name: string): Promise<unknown> {
    return this.sources.client.datasources.create(project, {
      name,
      connector: this.connector,
      locator: this.locator()
    });
  }

  protected async edit(
    project: string,
    saved: IDatasource,
    name: string | null
  ): Promise<unknown> {
    return this.sources.client.datasources.update(project, saved.name, {
      name,
      locator: this.locator()
    });
  }

  /** The connector stays: a datasource is edited within its connector. */
  protected renderFields(): JSX.Element {
    return this.renderLocator(true);
  }

  protected renderTested(): JSX.Element | null {
    return this._preview && <PreviewTable preview={this._preview} />;
  }

  /** Reads the first rows; they show under "Test" with its outcome. */
  protected async testRequest(project: string): Promise<IDatasourcePreview> {
    const preview = await this.sources.client.datasources.testNew(project, {
      name: this.name.trim() || 'unsaved',
      connector: this.connector,
      locator: this.locator()
    });
    this._preview = preview.ok ? preview : null;
    return preview;
  }

  protected resetTest(): void {
    super.resetTest();
    this._preview = null;
  }

  private _preview: IDatasourcePreview | null = null;
}
