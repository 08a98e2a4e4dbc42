import * as React from 'react';

import { errorMessage, notifySuccess } from '../notifications';
import { SourcesModel } from '../sourcesModel';
import { IConnectorKind, IDatasource, IDatasourcePreview } from '../types';
import { FormError, FormWidget, IDLE, SelectRow, TestRow, TestState, TextRow } from './common';
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
import { PreviewTable } from './preview';

/**
 * Create or edit a datasource: a connector, then what to read through it (table, query, path,
 * bucket + path, dataset + table). "Test" shows the columns and first rows before saving.
 */
export class DatasourceForm extends FormWidget implements ISubmittable {
  /**
   * @param sources the state of the current project (connectors, kinds, the client)
   * @param saved the datasource to edit, or undefined to create one
   */
  constructor(
    private readonly sources: SourcesModel,
    private readonly saved?: IDatasource
  ) {
    super();
    this.addClass('jp-Dataplane-form');
    this.addClass('jp-Dataplane-datasourceForm');
    this._name = saved?.name ?? '';
    this._connector = saved?.connector ?? sources.connectors[0]?.name ?? '';
    this._reset(saved?.locator ?? {});
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
    try {
      if (this.saved) {
        await this.sources.client.updateDatasource(project, this.saved.name, {
          name: name === this.saved.name ? null : name,
          locator: this._locator()
        });
      } else {
        await this.sources.client.createDatasource(project, {
          name,
          connector: this._connector,
          locator: this._locator()
        });
      }
    } catch (error) {
      return this.fail(errorMessage(error));
    }
    notifySuccess(`Datasource '${name}' saved`);
    void this.sources.refresh();
    return true;
  }

  protected render(): JSX.Element {
    const kind = this.kindInfo;
    if (this.sources.connectors.length === 0) {
      return (
        <p className="jp-Dataplane-empty">
          A datasource reads through a connector: create a connector first.
        </p>
      );
    }
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
          disabled={this.saved !== undefined}
          options={this.sources.connectors.map(c => ({
            label: `${c.name} (${this.sources.kind(c.kind)?.label ?? c.kind})`,
            value: c.name
          }))}
          onChange={value => this._setConnector(value)}
        />
        {kind && this._mode && (
          <LocatorInputs
            kind={kind}
            purpose="datasource"
            mode={this._mode}
            values={this._values}
            onMode={mode => this.set(() => ((this._mode = mode), (this._test = IDLE)))}
            onChange={(name, value) => this._setValue(name, value)}
          />
        )}
        <TestRow label="Test datasource" state={this._test} onTest={() => void this._runTest()} />
        {this._preview && <PreviewTable preview={this._preview} />}
        <FormError message={this.error} />
      </>
    );
  }

  private _fields() {
    const kind = this.kindInfo;
    return kind && this._mode ? modeFields(kind, this._mode, 'datasource') : [];
  }

  private _locator(): Record<string, unknown> {
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

  private async _runTest(): Promise<void> {
    const problem = this.kindInfo
      ? validateValues(this._fields(), this._values)
      : 'Pick a connector.';
    if (problem) {
      this.set(() => (this._test = { status: 'failed', message: problem }));
      return;
    }
    this.set(() => ((this._test = { status: 'running' }), (this._preview = null)));
    let result: IDatasourcePreview;
    try {
      result = await this.sources.client.testNewDatasource(this.sources.project as string, {
        name: this._name.trim() || 'unsaved',
        connector: this._connector,
        locator: this._locator()
      });
    } catch (error) {
      result = { ok: false, message: errorMessage(error) };
    }
    this.set(() => {
      this._test = { status: result.ok ? 'ok' : 'failed', message: result.message };
      this._preview = result.ok ? result : null;
    });
  }

  private _reset(locator: Record<string, unknown>): void {
    const kind = this.kindInfo;
    this._values = initialValues(kind?.locator_fields ?? [], locator);
    this._mode = kind ? guessMode(locatorModes(kind, 'datasource'), locator) : null;
    this._test = IDLE;
    this._preview = null;
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
      this._preview = null;
    });
  }

  private _connector: string;
  private _mode: ILocatorMode | null = null;
  private _name: string;
  private _preview: IDatasourcePreview | null = null;
  private _test: TestState = IDLE;
  private _values: FieldValues = {};
}
