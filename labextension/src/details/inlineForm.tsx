import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

/** Props of {@link InlineForm}. */
export interface IInlineFormProps {
  /** Class of the form besides `jp-Dataplane-inline`. */
  className?: string;
  /** Runs on submit (the page does not navigate). */
  onSubmit: () => void;
  /** Text of the submit button. */
  submit: React.ReactNode;
  /** Class of the submit button besides `jp-mod-styled jp-mod-accept`. */
  submitClass?: string;
  /** Whether the submit button is the small one. */
  small?: boolean;
  /** Whether the submit button is disabled. */
  disabled: boolean;
  /** The fields, before the submit button. */
  children: React.ReactNode;
  /** Shown after the submit button (a message on the fields). */
  after?: React.ReactNode;
}

/** A form on one line: its fields, then an accept button that submits it. */
export function InlineForm(props: IInlineFormProps): JSX.Element {
  const join = (...names: (string | undefined)[]) => names.filter(name => name).join(' ');
  return (
    <form
      className={join('jp-Dataplane-inline', props.className)}
      onSubmit={event => {
        event.preventDefault();
        props.onSubmit();
      }}
    >
      {props.children}
      <Button
        type="submit"
        className={join('jp-mod-styled jp-mod-accept', props.submitClass)}
        disabled={props.disabled}
        small={props.small}
      >
        {props.submit}
      </Button>
      {props.after}
    </form>
  );
}
