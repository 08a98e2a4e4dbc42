import * as React from 'react';

import { DataplaneClient } from '../client';
import { IExportRun, IExporter } from '../types';
import { FormError, FormWidget, SelectRow } from './common';
import { EXPORT_MODES } from './exporterForm';
import { ISubmittable } from './formDialog';

/**
 * Pick the exporter a dataset goes out with; submitting starts the export. The overwrite mode
 * belongs to the exporter (the export request carries only the exporter), so it is shown here
 * for the chosen exporter rather than picked.
 */
export class ExportForm extends FormWidget implements ISubmittable {
  constructor(
    private readonly client: DataplaneClient,
    private readonly project: string,
    private readonly datasetName: string,
    private readonly exporters: readonly IExporter[]
  ) {
    super('jp-Dataplane-exportForm');
    this._exporter = exporters[0]?.name ?? '';
  }

  /** The export started by `submit`. */
  get run(): IExportRun | null {
    return this._run;
  }

  async submit(): Promise<boolean> {
    if (!this._exporter) {
      return this.fail('Pick an exporter.');
    }
    return this.send(async () => {
      this._run = await this.client.exportDataset(this.project, this.datasetName, this._exporter);
    });
  }

  protected render(): JSX.Element {
    if (this.exporters.length === 0) {
      return (
        <p className="jp-Dataplane-empty">
          Project '{this.project}' has no exporters yet: create one in the Exporters section.
        </p>
      );
    }
    const exporter = this.exporters.find(x => x.name === this._exporter);
    const mode = EXPORT_MODES.find(m => m.value === exporter?.mode);
    return (
      <>
        <SelectRow
          label="Exporter"
          name="exporter"
          value={this._exporter}
          options={this.exporters.map(x => ({
            label: `${x.name} (${x.connector})`,
            value: x.name
          }))}
          onChange={value => this.set(() => (this._exporter = value))}
        />
        {exporter && (
          <dl className="jp-Dataplane-exportSummary">
            <dt>Destination</dt>
            <dd>
              {Object.entries(exporter.destination)
                .filter(([, v]) => v !== null && v !== '')
                .map(([k, v]) => `${k} ${String(v)}`)
                .join(', ')}
            </dd>
            <dt>When it exists</dt>
            <dd className="jp-Dataplane-exportMode" data-mode={exporter.mode}>
              {mode ? `${mode.label}: ${mode.help}` : exporter.mode}
              <span className="jp-Dataplane-fieldHelp">
                (set on the exporter; edit the exporter to change it)
              </span>
            </dd>
          </dl>
        )}
        <FormError message={this.error} />
      </>
    );
  }

  private _exporter: string;
  private _run: IExportRun | null = null;
}
