import * as React from 'react';

import { errorMessage, notifySuccess } from '../notifications';
import { SourcesModel } from '../sourcesModel';
import { IConnector, IConnectorKind, IConnectorTest } from '../types';
import {
  FormError,
  FormWidget,
  IDLE,
  SelectRow,
  TestRow,
  TestState,
  TextRow
} from './common';
import { FieldInputs } from './fieldInputs';
import {
  FieldValue,
  FieldValues,
  createPayload,
  editTestTarget,
  initialValues,
  updatePayload,
  validateValues
} from './fields';
import { ISubmittable } from './formDialog';

/**
 * Create or edit a connector: its name, its kind, then the kind's fields. Secrets start empty
 * and, on edit, an empty secret keeps the saved one.
 */
export class ConnectorForm extends FormWidget implements ISubmittable {
  /**
   * @param sources the state of the current project (kinds, the client, refresh)
   * @param saved the connector to edit, or undefined to create one
   */
  constructor(
    private readonly sources: SourcesModel,
    private readonly saved?: IConnector
  ) {
    super();
    this.addClass('jp-Dataplane-form');
    this.addClass('jp-Dataplane-connectorForm');
    this._name = saved?.name ?? '';
    this._kind = saved?.kind ?? sources.kinds[0]?.kind ?? '';
    this._values = initialValues(this.kindInfo?.fields ?? [], saved?.config);
  }

  private get kindInfo(): IConnectorKind | undefined {
    return this.sources.kind(this._kind);
  }

  private get kept(): readonly string[] {
    return this.saved?.secrets_set ?? [];
  }

  async submit(): Promise<boolean> {
    const problem = this._problem();
    if (problem) {
      return this.fail(problem);
    }
    const project = this.sources.project as string;
    const client = this.sources.client;
    const fields = this.kindInfo?.fields ?? [];
    try {
      if (this.saved) {
        await client.updateConnector(project, this.saved.name, {
          name: this._name.trim() === this.saved.name ? null : this._name.trim(),
          fields: updatePayload(fields, this._values, this.saved)
        });
      } else {
        await client.createConnector(project, {
          name: this._name.trim(),
          kind: this._kind,
          fields: createPayload(fields, this._values)
        });
      }
    } catch (error) {
      return this.fail(errorMessage(error));
    }
    notifySuccess(`Connector '${this._name.trim()}' saved`);
    void this.sources.refresh();
    return true;
  }

  protected render(): JSX.Element {
    const kind = this.kindInfo;
    return (
      <>
        <TextRow
          label="Name"
          name="name"
          value={this._name}
          onChange={value => this.set(() => (this._name = value))}
        />
        <SelectRow
          label="Kind"
          name="kind"
          value={this._kind}
          disabled={this.saved !== undefined}
          options={this.sources.kinds.map(k => ({ label: k.label, value: k.kind }))}
          onChange={value => this._setKind(value)}
        />
        {kind && (
          <FieldInputs
            key={kind.kind}
            fields={kind.fields}
            values={this._values}
            kept={this.kept}
            onChange={(name, value) => this._setValue(name, value)}
          />
        )}
        <TestRow label="Test connection" state={this._test} onTest={() => void this._runTest()} />
        <FormError message={this.error} />
      </>
    );
  }

  private _problem(): string | null {
    if (!this._name.trim()) {
      return 'Name is required.';
    }
    if (!this.kindInfo) {
      return 'Pick a kind.';
    }
    return validateValues(this.kindInfo.fields, this._values, this.kept);
  }

  private async _runTest(): Promise<void> {
    const fields = this.kindInfo?.fields ?? [];
    const problem = validateValues(fields, this._values, this.kept);
    if (problem) {
      this.set(() => (this._test = { status: 'failed', message: problem }));
      return;
    }
    const target = this.saved
      ? editTestTarget(fields, this._values, this.saved)
      : 'unsaved';
    if (target === 'needs-secrets') {
      this.set(
        () =>
          (this._test = {
            status: 'info',
            message:
              'Type the secret fields again to test your changes, or save them first: the saved secrets are not sent back to the browser.'
          })
      );
      return;
    }
    this.set(() => (this._test = { status: 'running' }));
    const project = this.sources.project as string;
    const client = this.sources.client;
    let result: IConnectorTest;
    try {
      result =
        target === 'saved' && this.saved
          ? await client.testConnector(project, this.saved.name)
          : await client.testNewConnector(project, {
              name: this._name.trim() || 'unsaved',
              kind: this._kind,
              fields: createPayload(fields, this._values)
            });
    } catch (error) {
      result = { ok: false, message: errorMessage(error) };
    }
    this.set(
      () =>
        (this._test = {
          status: result.ok ? 'ok' : 'failed',
          message: result.message
        })
    );
  }

  private _setKind(kind: string): void {
    this.set(() => {
      this._kind = kind;
      this._values = initialValues(this.kindInfo?.fields ?? []);
      this._test = IDLE;
    });
  }

  private _setValue(name: string, value: FieldValue): void {
    this.set(() => {
      this._values = { ...this._values, [name]: value };
      this._test = IDLE;
    });
  }

  private _kind: string;
  private _name: string;
  private _test: TestState = IDLE;
  private _values: FieldValues;
}
