import * as React from 'react';

import { SourcesModel } from '../sourcesModel';
import { IConnector, IConnectorKind, IConnectorTest, IField } from '../types';
import { SelectRow, TestState } from './common';
import { FieldInputs } from './fieldInputs';
import {
  EditTestTarget,
  createPayload,
  editTestTarget,
  initialValues,
  updatePayload,
  validateValues
} from './fields';
import { SourceForm } from './sourceForm';

/**
 * Create or edit a connector: its name, its kind, then the kind's fields. Secrets start empty
 * and, on edit, an empty secret keeps the saved one.
 */
export class ConnectorForm extends SourceForm<IConnector> {
  /**
   * @param sources the state of the current project (kinds, the client, refresh)
   * @param saved the connector to edit, or undefined to create one
   */
  constructor(sources: SourcesModel, saved?: IConnector) {
    super(sources, saved, {
      what: 'connector',
      testLabel: 'Test connection',
      pickKind: 'Pick a kind.'
    });
    this._kind = saved?.kind ?? sources.kinds[0]?.kind ?? '';
    this.values = initialValues(this.fields, saved?.config);
  }

  protected get kindInfo(): IConnectorKind | undefined {
    return this.sources.kind(this._kind);
  }

  protected get fields(): readonly IField[] {
    return this.kindInfo?.fields ?? [];
  }

  protected get kept(): readonly string[] {
    return this.saved?.secrets_set ?? [];
  }

  protected async create(project: string, name: string): Promise<unknown> {
    return this.sources.client.connectors.create(project, {
      name,
      kind: this._kind,
      fields: createPayload(this.fields, this.values)
    });
  }

  protected async edit(
    project: string,
    saved: IConnector,
    name: string | null
  ): Promise<unknown> {
    return this.sources.client.connectors.update(project, saved.name, {
      name,
      fields: updatePayload(this.fields, this.values, saved)
    });
  }

  protected renderFields(): JSX.Element {
    const kind = this.kindInfo;
    return (
      <>
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
            values={this.values}
            kept={this.kept}
            onChange={(name, value) => this.setValue(name, value)}
          />
        )}
      </>
    );
  }

  /**
   * An edited connector is tested as saved when nothing changed; a change that blanks a saved
   * secret cannot be tested, as the browser never gets the saved secrets back.
   */
  protected untestable(): TestState | null {
    const problem = validateValues(this.fields, this.values, this.kept);
    if (problem) {
      return { status: 'failed', message: problem };
    }
    if (this._testTarget() === 'needs-secrets') {
      return {
        status: 'info',
        message:
          'Type the secret fields again to test your changes, or save them first: the saved secrets are not sent back to the browser.'
      };
    }
    return null;
  }

  protected testRequest(project: string): Promise<IConnectorTest> {
    const client = this.sources.client;
    return this._testTarget() === 'saved' && this.saved
      ? client.connectors.test(project, this.saved.name)
      : client.connectors.testNew(project, {
          name: this.name.trim() || 'unsaved',
          kind: this._kind,
          fields: createPayload(this.fields, this.values)
        });
  }

  private _testTarget(): EditTestTarget {
    return this.saved ? editTestTarget(this.fields, this.values, this.saved) : 'unsaved';
  }

  private _setKind(kind: string): void {
    this.set(() => {
      this._kind = kind;
      this.values = initialValues(this.fields);
      this.resetTest();
    });
  }

  private _kind: string;
}
