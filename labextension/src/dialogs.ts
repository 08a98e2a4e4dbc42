import { Dialog, InputDialog, showDialog } from '@jupyterlab/apputils';

/**
 * Ask for a new name, the current one preselected. Resolves with the new name, or null when
 * the user cancels or keeps the name.
 *
 * @param title the dialog's title, e.g. `Rename “sales”`
 * @param current the name now
 */
export async function askNewName(title: string, current: string): Promise<string | null> {
  const result = await InputDialog.getText({
    title,
    label: 'New name',
    text: current,
    okLabel: 'Rename',
    required: true
  });
  const name = result.value?.trim() ?? '';
  return result.button.accept && name && name !== current ? name : null;
}

/**
 * Ask before deleting something; resolves true when the user confirms.
 *
 * @param title the dialog's title, e.g. "Delete dataset"
 * @param body what goes, and what stays
 */
export async function confirmDelete(title: string, body: string): Promise<boolean> {
  const result = await showDialog({
    title,
    body,
    buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: 'Delete' })]
  });
  return result.button.accept;
}
