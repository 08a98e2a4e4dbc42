import { Dialog, InputDialog, showDialog } from '@jupyterlab/apputils';

/**
 * Ask for a dataset's new name, the current one preselected. Resolves with the new name, or
 * null when the user cancels or keeps the name.
 */
export async function askNewName(current: string): Promise<string | null> {
  const result = await InputDialog.getText({
    title: `Rename “${current}”`,
    label: 'New name',
    text: current,
    okLabel: 'Rename',
    required: true
  });
  const name = result.value?.trim() ?? '';
  return result.button.accept && name && name !== current ? name : null;
}

/** Ask before deleting a dataset; resolves true when the user confirms. */
export async function confirmDelete(dataset: string): Promise<boolean> {
  const result = await showDialog({
    title: 'Delete dataset',
    body:
      `Delete “${dataset}” and its stored files? This cannot be undone. ` +
      'A datasource it was imported from is left untouched.',
    buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: 'Delete' })]
  });
  return result.button.accept;
}
