import { Notification, showErrorMessage } from '@jupyterlab/apputils';

/** The server's message of a failed request (`requestAPI` puts it on the error), else the text. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/**
 * Tell the user that `what` failed: a short toast, with the full message one click away
 * ("Show details") so that long server messages (file, row, column) stay readable.
 */
export function notifyError(
  what: string,
  error: unknown,
  actions: { label: string; callback: () => void }[] = []
): void {
  const details = errorMessage(error);
  Notification.error(what, {
    autoClose: 10000,
    actions: [
      {
        label: 'Show details',
        callback: () => void showErrorMessage(what, details)
      },
      ...actions
    ]
  });
}

/** A short confirmation that disappears on its own. */
export function notifySuccess(message: string): void {
  Notification.success(message, { autoClose: 4000 });
}
