import * as React from 'react';

import { DataplaneClient } from '../client';
import { IExportRun, IExporter } from '../types';
import { EXPORT_MODES } from './exporterForm';
import { PickForm } from './pickForm';

/**
 * Pick the exporter a dataset goes out with; submitting starts the export. The overwrite mode
 * belongs to the exporter (the export request carries only the exporter), so it is shown here
 * for the chosen exporter rather than picked.
 */
export class ExportForm extends PickForm<IExporter, IExportRun> {
  constructor(
    client: DataplaneClient,
    project: string,
    private readonly datasetName: string,
    exporters: readonly IExporter[]
  ) {
    super('jp-Dataplane-exportForm', client, project, 'exporter', exporters);
  }

  /** Starts the export; its run is `started`. */
  protected start(exporter: string): Promise<IExportRun> {
    return this.client.exportDataset(this.project, this.datasetName, exporter);
  }

  protected choiceLabel(exporter: IExporter): string {
    return `${exporter.name} (${exporter.connector})`;
  }

  protected renderMore(): React.ReactNode {
    const exporter = this.choices.find(x => x.name === this.picked);
    const mode = EXPORT_MODES.find(m => m.value === exporter?.mode);
    return (
      exporter && (
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
      )
    );
  }

}
