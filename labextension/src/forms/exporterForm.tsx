import * as React from 'react';

import { SourcesModel } from '../sourcesModel';
import { ExportMode, IConnectorTest, IExporter } from '../types';
import { SelectRow } from './common';
import { LocatorForm } from './sourceForm';
import { stampedExample } from './stamped';

/** The platform's overwrite options, in its words. */
export const EXPORT_MODES: { value: ExportMode; label: string; help: string }[] = [
  {
    value: 'timestamp',
    label: 'Add a timestamp',
    help: 'the time of the export is added to the file or table name'
  },
  {
    value: 'cancel',
    label: 'Cancel export',
    help: 'if the file or table already exists, nothing is written'
  },
  {
    value: 'overwrite',
    label: 'Overwrite',
    help: 'the file or table is replaced if it exists'
  }
];

/** Label of an overwrite mode, or the mode itself when unknown. */
export function exportModeLabel(mode: string): string {
  return EXPORT_MODES.find(m => m.value === mode)?.label ?? mode;
}

const FILE_FORMATS = [
  { value: 'csv', label: 'CSV' },
  { value: 'parquet', label: 'Parquet' }
];

/**
 * Create or edit an exporter: a connector, the destination (table, path, bucket + path,
 * dataset + table), what to do when it exists, and the file format for file destinations.
 */
export class ExporterForm extends LocatorForm<IExporter> {
  /**
   * @param sources the state of the current project (connectors, kinds, the client)
   * @param saved the exporter to edit, or undefined to create one
   */
  constructor(sources: SourcesModel, saved?: IExporter) {
    super(sources, saved, 'exporter', saved?.destination ?? {}, {
      testLabel: 'Test destination',
      noConnectors: 'An exporter writes through a connector: create a connector first.'
    });
    this._exportMode = saved?.mode ?? 'timestamp';
    this._fileFormat = saved?.file_format ?? 'csv';
  }

  protected async create(project: string, name: string): Promise<unknown> {
    return this.sources.client.exporters.create(project, { ...this._body(), name });
  }

  protected async edit(
    project: string,
    saved: IExporter,
    name: string | null
  ): Promise<unknown> {
    return this.sources.client.exporters.update(project, saved.name, { ...this._body(), name });
  }

  protected renderFields(): JSX.Element {
    const mode = EXPORT_MODES.find(m => m.value === this._exportMode);
    return (
      <>
        {this.renderLocator(false)}
        <SelectRow
          label="When the destination exists"
          name="mode"
          value={this._exportMode}
          options={EXPORT_MODES.map(m => ({ label: m.label, value: m.value }))}
          help={
            this._exportMode === 'timestamp'
              ? stampedExample(this.locator(), this._fileFormat)
              : mode?.help
          }
          onChange={value => this.set(() => (this._exportMode = value))}
        />
        <SelectRow
          label="File format"
          name="file_format"
          value={this._fileFormat}
          options={FILE_FORMATS}
          help="for file destinations; tables ignore it"
          onChange={value => this.set(() => (this._fileFormat = value))}
        />
      </>
    );
  }

  /** Checks that the destination as typed is writable (the server writes and removes a probe). */
  protected testRequest(project: string): Promise<IConnectorTest> {
    return this.sources.client.exporters.testNew(project, {
      name: this.name.trim() || 'unsaved',
      ...this._body()
    });
  }

  /** The exporter's settings but its name. */
  private _body() {
    return {
      connector: this.connector,
      destination: this.locator(),
      mode: this._exportMode,
      file_format: this._fileFormat
    };
  }

  private _exportMode: string;
  private _fileFormat: string;
}
