import { Button, HTMLSelect, ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { errorMessage } from '../notifications';

/** Where a form's "Test" stands: running, or its outcome in the server's words. */
export type TestState =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'ok' | 'failed' | 'info'; message: string };

/** The idle test state. */
export const IDLE: TestState = { status: 'idle' };

/** What the server answers to a "Test": its verdict, in its words. */
export interface ITestVerdict {
  ok: boolean;
  message: string;
}

/** The outcome of a "Test" request: the server's verdict, or its refusal as a failed test. */
export async function testOutcome(test: () => Promise<ITestVerdict>): Promise<TestState> {
  try {
    const verdict = await test();
    return { status: verdict.ok ? 'ok' : 'failed', message: verdict.message };
  } catch (error) {
    return { status: 'failed', message: errorMessage(error) };
  }
}

/** The "Test" button and, next to it, the outcome of the last test. */
export function TestRow(props: {
  label: string;
  state: TestState;
  onTest: () => void;
}): JSX.Element {
  const { state } = props;
  const outcome = React.useRef<HTMLDivElement>(null);
  // The outcome appears below the fields: bring it into the dialog's view.
  React.useEffect(() => {
    outcome.current?.scrollIntoView({ block: 'nearest' });
  }, [state]);
  return (
    <div className="jp-Dataplane-testRow">
      <Button
        className="jp-Dataplane-testButton"
        disabled={state.status === 'running'}
        onClick={props.onTest}
      >
        {state.status === 'running' ? 'Testing…' : props.label}
      </Button>
      {state.status !== 'idle' && state.status !== 'running' && (
        <div
          ref={outcome}
          className={`jp-Dataplane-testResult jp-mod-${state.status}`}
          role="status"
        >
          {state.message}
        </div>
      )}
    </div>
  );
}

/** The form's own error (validation or the server's refusal), shown above the buttons. */
export function FormError(props: { message: string | null }): JSX.Element | null {
  if (!props.message) {
    return null;
  }
  return (
    <div className="jp-Dataplane-formError" role="alert">
      {props.message}
    </div>
  );
}

/** A form row: its label above the control, then the control's help when it has one. */
export function Labelled(props: {
  label: React.ReactNode;
  help?: string;
  children: React.ReactNode;
}): JSX.Element {
  return (
    <label className="jp-Dataplane-field">
      <span className="jp-Dataplane-fieldLabel">{props.label}</span>
      {props.children}
      {props.help && <span className="jp-Dataplane-fieldHelp">{props.help}</span>}
    </label>
  );
}

/** What a labelled row outside the kind's fields edits: one named string value. */
interface IRowProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
}

/** A labelled text input outside the kind's fields (the object's name, a dataset name). */
export function TextRow(props: IRowProps & { placeholder?: string }): JSX.Element {
  return (
    <Labelled label={props.label}>
      <input
        className="jp-mod-styled"
        name={props.name}
        autoComplete="off"
        spellCheck={false}
        placeholder={props.placeholder}
        value={props.value}
        onChange={event => props.onChange(event.target.value)}
      />
    </Labelled>
  );
}

/** A labelled choice among options. */
export function SelectRow(
  props: IRowProps & {
    options: { label: string; value: string }[];
    disabled?: boolean;
    help?: string;
  }
): JSX.Element {
  return (
    <Labelled label={props.label} help={props.help}>
      <HTMLSelect
        name={props.name}
        value={props.value}
        disabled={props.disabled}
        options={props.options}
        onChange={event => props.onChange(event.target.value)}
      />
    </Labelled>
  );
}

/**
 * Base of the dialog forms: holds the form's own error and re-renders after each change of its
 * fields.
 */
export abstract class FormWidget extends ReactWidget {
  /** @param className the form's own class, beside `jp-Dataplane-form` */
  constructor(className: string) {
    super();
    this.addClass('jp-Dataplane-form');
    this.addClass(className);
  }

  /** Apply `change` to the form's fields, then re-render. */
  protected set(change: () => void): void {
    change();
    this.update();
  }

  /** Show `message` as the form's error; false, so that a submit can `return this.fail(...)`. */
  protected fail(message: string): false {
    this.set(() => (this.error = message));
    return false;
  }

  /** Send the form with `request`: true once it is done, else false with the refusal shown. */
  protected async send(request: () => Promise<unknown>): Promise<boolean> {
    try {
      await request();
    } catch (error) {
      return this.fail(errorMessage(error));
    }
    return true;
  }

  /** Validation message or the server's refusal, shown above the dialog's buttons. */
  protected error: string | null = null;
}

/** "connector" → "Connector". */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
