import * as React from 'react';

import { notifySuccess } from '../notifications';
import { SourcesModel } from '../sourcesModel';
import { IConnectorKind, IField } from '../types';
import {
  FormError,
  FormWidget,
  IDLE,
  ITestVerdict,
  SelectRow,
  TestRow,
  TestState,
  TextRow,
  capitalize,
  testOutcome
} from './common';
import {
  FieldValue,
  FieldValues,
  ILocatorMode,
  LocatorPurpose,
  createPayload,
  guessMode,
  initialValues,
  locatorModes,
  modeFields,
  validateValues
} from './fields';
import { ISubmittable } from './formDialog';
import { LocatorInputs } from './locatorInputs';

/** How a source form names itself. */
export interface ISourceFormOptions {
  /** What the form saves (the form's class is `jp-Dataplane-<what>Form`). */
  what: 'connector' | LocatorPurpose;
  /** Label of the "Test" button. */
  testLabel: string;
  /** The form's error when no kind can be told. */
  pickKind: string;
}

/**
 * Base of the connector, datasource and exporter forms: a name, then the fields of a connector
 * kind. "Test" asks the server about the form as typed; saving creates the object, or edits
 * `saved` (renaming it when the name changed).
 */
export abstract class SourceForm<T extends { name: string }>
  extends FormWidget
  implements ISubmittable
{
  /**
   * @param sources the state of the current project (kinds, connectors, the client, refresh)
   * @param saved the object to edit, or undefined to create one
   */
  constructor(
    protected readonly sources: SourcesModel,
    protected readonly saved: T | undefined,
    private readonly _options: ISourceFormOptions
  ) {
    super(`jp-Dataplane-${_options.what}Form`);
    this.name = saved?.name ?? '';
  }

  async submit(): Promise<boolean> {
    const problem = this.problem();
    if (problem) {
      return this.fail(problem);
    }
    const project = this.sources.project as string;
    const name = this.name.trim();
    const saved = this.saved;
    const sent = await this.send(() =>
      saved
        ? this.edit(project, saved, name === saved.name ? null : name)
        : this.create(project, name)
    );
    if (sent) {
      notifySuccess(`${capitalize(this._options.what)} '${name}' saved`);
      void this.sources.refresh();
    }
    return sent;
  }

  protected render(): JSX.Element {
    return (
      <>
        <TextRow
          label="Name"
          name="name"
          value={this.name}
          onChange={value => this.set(() => (this.name = value))}
        />
        {this.renderFields()}
        <TestRow
          label={this._options.testLabel}
          state={this.test}
          onTest={() => void this.runTest()}
        />
        {this.renderTested()}
        <FormError message={this.error} />
      </>
    );
  }

  /** The connector kind whose fields the form shows, once one is picked. */
  protected abstract get kindInfo(): IConnectorKind | undefined;

  /** The fields the form shows and sends. */
  protected abstract get fields(): readonly IField[];

  /** Secret fields the server holds a value for (empty means "keep it"). */
  protected get kept(): readonly string[] {
    return [];
  }

  /** Create the object named `name`. */
  protected abstract create(project: string, name: string): Promise<unknown>;

  /** Edit the saved object; `name` is its new name, or null to keep it. */
  protected abstract edit(project: string, saved: T, name: string | null): Promise<unknown>;

  /** Ask the server about the form as typed. */
  protected abstract testRequest(project: string): Promise<ITestVerdict>;

  /** The rows between the name and "Test". */
  protected abstract renderFields(): JSX.Element;

  /** What the form shows of a test beyond its outcome; nothing by default. */
  protected renderTested(): JSX.Element | null {
    return null;
  }

  /** Why "Test" cannot ask the server (shown as its outcome), or null. */
  protected untestable(): TestState | null {
    const problem = this.valuesProblem();
    return problem ? { status: 'failed', message: problem } : null;
  }

  /** Forget the last test's outcome (the fields it tested changed). */
  protected resetTest(): void {
    this.test = IDLE;
  }

  protected setValue(name: string, value: FieldValue): void {
    this.set(() => {
      this.values = { ...this.values, [name]: value };
      this.resetTest();
    });
  }

  private problem(): string | null {
    return this.name.trim() ? this.valuesProblem() : 'Name is required.';
  }

  private valuesProblem(): string | null {
    return this.kindInfo
      ? validateValues(this.fields, this.values, this.kept)
      : this._options.pickKind;
  }

  private async runTest(): Promise<void> {
    const untestable = this.untestable();
    if (untestable) {
      this.set(() => (this.test = untestable));
      return;
    }
    this.set(() => {
      this.resetTest();
      this.test = { status: 'running' };
    });
    const outcome = await testOutcome(() => this.testRequest(this.sources.project as string));
    this.set(() => (this.test = outcome));
  }

  /** The object's name as typed. */
  protected name: string;
  /** The outcome of the last "Test". */
  protected test: TestState = IDLE;
  /** The kind's fields as typed. */
  protected values: FieldValues = {};
}

/**
 * Base of the datasource and exporter forms: a connector, then where the data is through it
 * (the way of pointing at it when the connector's kind has several, and its fields).
 */
export abstract class LocatorForm<
  T extends { name: string; connector: string }
> extends SourceForm<T> {
  /**
   * @param purpose reading (a datasource) or writing (an exporter)
   * @param locator where the saved object points (empty for a new one)
   * @param texts the "Test" button's label, and what the form says when the project has no
   *   connector
   */
  constructor(
    sources: SourcesModel,
    saved: T | undefined,
    private readonly _purpose: LocatorPurpose,
    locator: Record<string, unknown>,
    texts: { testLabel: string; noConnectors: string }
  ) {
    super(sources, saved, {
      what: _purpose,
      testLabel: texts.testLabel,
      pickKind: 'Pick a connector.'
    });
    this._noConnectors = texts.noConnectors;
    this.connector = saved?.connector ?? sources.connectors[0]?.name ?? '';
    this.reset(locator);
  }

  protected render(): JSX.Element {
    if (this.sources.connectors.length === 0) {
      return <p className="jp-Dataplane-empty">{this._noConnectors}</p>;
    }
    return super.render();
  }

  protected get kindInfo(): IConnectorKind | undefined {
    const connector = this.sources.connector(this.connector);
    return connector ? this.sources.kind(connector.kind) : undefined;
  }

  protected get fields(): readonly IField[] {
    const kind = this.kindInfo;
    return kind && this._mode ? modeFields(kind, this._mode, this._purpose) : [];
  }

  /** Where the data is, as the server takes it. */
  protected locator(): Record<string, unknown> {
    return createPayload(this.fields, this.values);
  }

  /** The connector choice (fixed while editing when `fixed`), then where the data is. */
  protected renderLocator(fixed: boolean): JSX.Element {
    const kind = this.kindInfo;
    return (
      <>
        <SelectRow
          label="Connector"
          name="connector"
          value={this.connector}
          disabled={fixed && this.saved !== undefined}
          options={this.sources.connectors.map(c => ({
            label: `${c.name} (${this.sources.kind(c.kind)?.label ?? c.kind})`,
            value: c.name
          }))}
          onChange={value => this.set(() => ((this.connector = value), this.reset({})))}
        />
        {kind && this._mode && (
          <LocatorInputs
            kind={kind}
            purpose={this._purpose}
            mode={this._mode}
            values={this.values}
            // the outcome of the last test goes, what else it showed (a preview) stays
            onMode={mode => this.set(() => ((this._mode = mode), (this.test = IDLE)))}
            onChange={(name, value) => this.setValue(name, value)}
          />
        )}
      </>
    );
  }

  private reset(locator: Record<string, unknown>): void {
    const kind = this.kindInfo;
    this.values = initialValues(kind?.locator_fields ?? [], locator);
    this._mode = kind ? guessMode(locatorModes(kind, this._purpose), locator) : null;
    this.resetTest();
  }

  /** The name of the connector the data goes through. */
  protected connector: string;
  private _mode: ILocatorMode | null = null;
  private _noConnectors: string;
}
