import { JupyterFrontEnd } from '@jupyterlab/application';
import { Widget } from '@lumino/widgets';

/** JupyterLab's notebook commands used here (from @jupyterlab/notebook-extension). */
const NotebookCommandIDs = {
  createNew: 'notebook:create-new',
  insertBelow: 'notebook:insert-cell-below',
  replaceSelection: 'notebook:replace-selection'
};

/**
 * The few members of a `NotebookPanel` this module reads. @jupyterlab/notebook is not a
 * dependency of this package, so a notebook is recognised by its class name instead of a type.
 */
interface INotebookPanelLike extends Widget {
  readonly revealed?: Promise<void>;
  readonly content?: {
    readonly activeCell?: { readonly ready?: Promise<void> } | null;
  };
}

/** Python that loads a dataset of the catalog into a pandas DataFrame. */
export function loadDatasetCode(project: string, dataset: string): string {
  return [
    'import dataplane_jupyter as dp',
    '',
    `df = dp.project(${pythonString(project)}).datasets[${pythonString(dataset)}].to_pandas()`,
    'df.head()'
  ].join('\n');
}

/**
 * Put `code` in a new code cell below the active cell of the notebook in the main area, or in
 * the first cell of a new notebook when none is active. Nothing is run.
 */
export async function insertCodeCell(
  app: JupyterFrontEnd,
  code: string
): Promise<void> {
  let panel = currentNotebook(app);
  if (panel) {
    await app.commands.execute(NotebookCommandIDs.insertBelow);
  } else {
    panel = (await app.commands.execute(NotebookCommandIDs.createNew, {
      kernelName: await defaultKernelName(app)
    })) as INotebookPanelLike;
    await panel.revealed;
  }
  // A cell's editor exists only once the cell is attached; replacing before would be a no-op.
  await panel.content?.activeCell?.ready;
  await app.commands.execute(NotebookCommandIDs.replaceSelection, { text: code });
  app.shell.activateById(panel.id);
}

/**
 * The server's default kernel, so that a new notebook starts it without asking; the empty
 * string (ask the user) when the server names none.
 */
async function defaultKernelName(app: JupyterFrontEnd): Promise<string> {
  const kernelspecs = app.serviceManager.kernelspecs;
  await kernelspecs.ready;
  return kernelspecs.specs?.default ?? '';
}

/** The notebook shown in the main area, if the current widget is one. */
export function currentNotebook(app: JupyterFrontEnd): INotebookPanelLike | null {
  const widget = app.shell.currentWidget;
  return widget && widget.hasClass('jp-NotebookPanel') ? (widget as INotebookPanelLike) : null;
}

/**
 * A Python string literal for `text`. JSON's escapes (\\n, \\", \\uXXXX) mean the same in
 * Python, so a JSON string is a valid Python literal.
 */
export function pythonString(text: string): string {
  return JSON.stringify(text);
}
