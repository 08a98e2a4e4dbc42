import * as React from 'react';

import { errorMessage, notifySuccess } from '../notifications';
import { SourcesModel } from '../sourcesModel';
import { ExportMode, IConnectorKind, IConnectorTest, IExporter } from '../types';
import { FormError, FormWidget, IDLE, SelectRow, TestRow, TestState, TextRow } from './common';
import { stampedExample } from './stamped';
import {
  FieldValue,
  FieldValues,
  ILocatorMode,
  createPayload,
  guessMode,
  initialValues,
  locatorModes,
  modeFields,
  validateValues
} from './fields';
import { ISubmittable } from './formDialog';
import { LocatorInputs } from './locatorInputs';

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
export class ExporterForm extends FormWidget implements ISubmittable {
  /**
   * @param sources the state of the current project (connectors, kinds, the client)
   * @param saved the exporter to edit, or undefined to create one
   */
  constructor(
    private readonly sources: SourcesModel,
    private readonly saved?: IExporter
  ) {
    super();
    this.addClass('jp-Dataplane-form');
    this.addClass('jp-Dataplane-exporterForm');
    this._name = saved?.name ?? '';
    this._connector = saved?.connector ?? sources.connectors[0]?.name ?? '';
    this._exportMode = saved?.mode ?? 'timestamp';
    this._fileFormat = saved?.file_format ?? 'csv';
    this._reset(saved?.destination ?? {});
  }

  private get kindInfo(): IConnectorKind | undefined {
    const connector = this.sources.connector(this._connector);
    return connector ? this.sources.kind(connector.kind) : undefined;
  }

  async submit(): Promise<boolean> {
    const problem = this._problem();
    if (problem) {
      return this.fail(problem);
    }
    const project = this.sources.project as string;
    const name = this._name.trim();
    const body = {
      connector: this._connector,
      destination: this._destination(),
      mode: this._exportMode,
      file_format: this._fileFormat
    };
    try {
      if (this.saved) {
        await this.sources.client.updateExporter(project, this.saved.name, {
          ...body,
          name: name === this.saved.name ? null : name
        });
      } else {
        await this.sources.client.createExporter(project, { ...body, name });
      }
    } catch (error) {
      return this.fail(errorMessage(error));
    }
    notifySuccess(`Exporter '${name}' saved`);
    void this.sources.refresh();
    return true;
  }

  protected render(): JSX.Element {
    if (this.sources.connectors.length === 0) {
      return (
        <p className="jp-Dataplane-empty">
          An exporter writes through a connector: create a connector first.
        </p>
      );
    }
    const kind = this.kindInfo;
    const mode = EXPORT_MODES.find(m => m.value === this._exportMode);
    return (
      <>
        <TextRow
          label="Name"
          name="name"
          value={this._name}
          onChange={value => this.set(() => (this._name = value))}
        />
        <SelectRow
          label="Connector"
          name="connector"
          value={this._connector}
          options={this.sources.connectors.map(c => ({
            label: `${c.name} (${this.sources.kind(c.kind)?.label ?? c.kind})`,
            value: c.name
          }))}
          onChange={value => this._setConnector(value)}
        />
        {kind && this._mode && (
          <LocatorInputs
            kind={kind}
            purpose="exporter"
            mode={this._mode}
            values={this._values}
            onMode={m => this.set(() => ((this._mode = m), (this._test = IDLE)))}
            onChange={(name, value) => this._setValue(name, value)}
          />
        )}
        <SelectRow
          label="When the destination exists"
          name="mode"
          value={this._exportMode}
          options={EXPORT_MODES.map(m => ({ label: m.label, value: m.value }))}
          help={
            this._exportMode === 'timestamp'
              ? stampedExample(this._destination(), this._fileFormat)
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
        <TestRow
          label="Test destination"
          state={this._test}
          onTest={() => void this._runTest()}
        />
        <FormError message={this.error} />
      </>
    );
  }

  private _fields() {
    const kind = this.kindInfo;
    return kind && this._mode ? modeFields(kind, this._mode, 'exporter') : [];
  }

  private _destination(): Record<string, unknown> {
    return createPayload(this._fields(), this._values);
  }

  private _problem(): string | null {
    if (!this._name.trim()) {
      return 'Name is required.';
    }
    if (!this.kindInfo) {
      return 'Pick a connector.';
    }
    return validateValues(this._fields(), this._values);
  }

  /** Checks that the destination as typed is writable (the server writes and removes a probe). */
  private async _runTest(): Promise<void> {
    const problem = this.kindInfo
      ? validateValues(this._fields(), this._values)
      : 'Pick a connector.';
    if (problem) {
      this.set(() => (this._test = { status: 'failed', message: problem }));
      return;
    }
    this.set(() => (this._test = { status: 'running' }));
    let result: IConnectorTest;
    try {
      result = await this.sources.client.testNewExporter(this.sources.project as string, {
        name: this._name.trim() || 'unsaved',
        connector: this._connector,
        destination: this._destination(),
        mode: this._exportMode,
        file_format: this._fileFormat
      });
    } catch (error) {
      result = { ok: false, message: errorMessage(error) };
    }
    this.set(
      () => (this._test = { status: result.ok ? 'ok' : 'failed', message: result.message })
    );
  }

  private _reset(destination: Record<string, unknown>): void {
    const kind = this.kindInfo;
    this._values = initialValues(kind?.locator_fields ?? [], destination);
    this._mode = kind ? guessMode(locatorModes(kind, 'exporter'), destination) : null;
    this._test = IDLE;
  }

  private _setConnector(name: string): void {
    this.set(() => {
      this._connector = name;
      this._reset({});
    });
  }

  private _setValue(name: string, value: FieldValue): void {
    this.set(() => {
      this._values = { ...this._values, [name]: value };
      this._test = IDLE;
    });
  }

  private _connector: string;
  private _exportMode: string;
  private _fileFormat: string;
  private _mode: ILocatorMode | null = null;
  private _name: string;
  private _test: TestState = IDLE;
  private _values: FieldValues = {};
}
