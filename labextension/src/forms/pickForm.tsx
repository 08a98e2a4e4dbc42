import * as React from 'react';

import { DataplaneClient } from '../client';
import { FormError, FormWidget, SelectRow, capitalize } from './common';
import { ISubmittable } from './formDialog';

/**
 * Base of the import and export forms: pick one of the project's datasources or exporters (the
 * first, or the one preselected); submitting starts the job with it (`R`: what it starts).
 */
export abstract class PickForm<T extends { name: string }, R>
  extends FormWidget
  implements ISubmittable
{
  /**
   * @param className the form's own class
   * @param what what the form picks
   * @param choices the project's objects of that kind
   * @param preselected name of the one to start with
   */
  constructor(
    className: string,
    protected readonly client: DataplaneClient,
    protected readonly project: string,
    private readonly _what: 'datasource' | 'exporter',
    protected readonly choices: readonly T[],
    preselected?: string
  ) {
    super(className);
    const known = choices.some(choice => choice.name === preselected);
    this.picked = known ? (preselected as string) : (choices[0]?.name ?? '');
  }

  async submit(): Promise<boolean> {
    if (!this.picked) {
      const article = /^[aeiou]/.test(this._what) ? 'an' : 'a';
      return this.fail(`Pick ${article} ${this._what}.`);
    }
    return this.send(async () => {
      this._started = await this.start(this.picked);
    });
  }

  /** What `submit` started. */
  get started(): R | null {
    return this._started;
  }

  protected render(): JSX.Element {
    const what = this._what;
    if (this.choices.length === 0) {
      return (
        <p className="jp-Dataplane-empty">
          {`Project '${this.project}' has no ${what}s yet: create one in the ${capitalize(what)}s section.`}
        </p>
      );
    }
    return (
      <>
        <SelectRow
          label={capitalize(what)}
          name={what}
          value={this.picked}
          options={this.choices.map(choice => ({
            label: this.choiceLabel(choice),
            value: choice.name
          }))}
          onChange={value => this.set(() => (this.picked = value))}
        />
        {this.renderMore()}
        <FormError message={this.error} />
      </>
    );
  }

  /** Start the job with the picked object. */
  protected abstract start(name: string): Promise<R>;

  /** How an object reads among the choices. */
  protected abstract choiceLabel(choice: T): string;

  /** The rows under the choice. */
  protected abstract renderMore(): React.ReactNode;

  /** The name of the picked object. */
  protected picked: string;
  private _started: R | null = null;
}
