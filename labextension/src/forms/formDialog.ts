import { Dialog } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

/** A dialog body that saves itself; it stays open while `submit` resolves to false. */
export interface ISubmittable extends Widget {
  /** Validate and send the form; true when it was saved. Shows its own errors. */
  submit(): Promise<boolean>;
}

/** Index of the accept button: buttons are [Cancel, accept]. */
const ACCEPT = 1;

/**
 * A dialog whose accept button (or Enter) runs the body's `submit()` and closes only when it
 * succeeds, so that a server error is shown next to the inputs instead of losing them.
 */
export class FormDialog extends Dialog<void> {
  constructor(options: FormDialog.IOptions) {
    super({
      title: options.title,
      body: options.body,
      buttons: [
        Dialog.cancelButton(),
        Dialog.okButton({ label: options.acceptLabel })
      ],
      defaultButton: ACCEPT,
      focusNodeSelector: 'input:not([type=hidden]), select, textarea'
    });
    this._form = options.body;
    this.addClass('jp-Dataplane-formDialog');
  }

  resolve(index?: number): void {
    const button = index ?? ACCEPT;
    if (button !== ACCEPT) {
      super.resolve(button);
      return;
    }
    if (this._submitting) {
      return;
    }
    this._submitting = true;
    void this._form
      .submit()
      .catch(() => false)
      .then(done => {
        this._submitting = false;
        if (done) {
          super.resolve(button);
        }
      });
  }

  private _form: ISubmittable;
  private _submitting = false;
}

/** Options of `FormDialog`. */
export namespace FormDialog {
  /** What the dialog shows and how its accept button reads. */
  export interface IOptions {
    title: string;
    body: ISubmittable;
    /** Label of the button that submits, e.g. "Save". */
    acceptLabel: string;
  }
}

/** Show a form in a dialog; true when it was submitted successfully. */
export async function showForm(options: FormDialog.IOptions): Promise<boolean> {
  const result = await new FormDialog(options).launch();
  return result.button.accept;
}
