import { Button, HTMLSelect, ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

/** Where a form's "Test" stands: running, or its outcome in the server's words. */
export type TestState =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'ok' | 'failed' | 'info'; message: string };

/** The idle test state. */
export const IDLE: TestState = { status: 'idle' };

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

/** A labelled text input outside the kind's fields (the object's name, a dataset name). */
export function TextRow(props: {
  label: string;
  name: string;
  value: string;
  placeholder?: string;
  onChange: (value: string) => void;
}): JSX.Element {
  return (
    <label className="jp-Dataplane-field">
      <span className="jp-Dataplane-fieldLabel">{props.label}</span>
      <input
        className="jp-mod-styled"
        name={props.name}
        autoComplete="off"
        spellCheck={false}
        placeholder={props.placeholder}
        value={props.value}
        onChange={event => props.onChange(event.target.value)}
      />
    </label>
  );
}

/** A labelled choice among options. */
export function SelectRow(props: {
  label: string;
  name: string;
  value: string;
  options: { label: string; value: string }[];
  disabled?: boolean;
  help?: string;
  onChange: (value: string) => void;
}): JSX.Element {
  return (
    <label className="jp-Dataplane-field">
      <span className="jp-Dataplane-fieldLabel">{props.label}</span>
      <HTMLSelect
        name={props.name}
        value={props.value}
        disabled={props.disabled}
        options={props.options}
        onChange={event => props.onChange(event.target.value)}
      />
      {props.help && <span className="jp-Dataplane-fieldHelp">{props.help}</span>}
    </label>
  );
}

/**
 * Base of the dialog forms: holds the form's own error and re-renders after each change of its
 * fields.
 */
export abstract class FormWidget extends ReactWidget {
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

  /** Validation message or the server's refusal, shown above the dialog's buttons. */
  protected error: string | null = null;
}
