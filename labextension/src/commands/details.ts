import { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import { WidgetTracker } from '@jupyterlab/apputils';

import { projectReadOnly } from '../access';
import { DataplaneClient } from '../client';
import { notifyError } from '../notifications';
import { isHTTPStatus } from '../request';
import { IDataset } from '../types';
import { datasetDetailsIcon } from '../details/icon';
import { DETAILS_TABS, DatasetDetailsWidget, DetailsTab } from '../details/widget';

/** Id of the command that opens a dataset's details in the main area. */
export const OPEN_DATASET_DETAILS = 'dataplane:open-dataset-details';

/** Arguments of {@link OPEN_DATASET_DETAILS}. */
export interface IOpenDatasetDetailsArgs {
  project: string;
  /** Dataset name or id. */
  dataset: string;
  /**
   * The tab to show, case-insensitive: general, columns, sample or embeddings (which opens on
   * the map when the embeddings are computed). An open details tab switches to it.
   */
  tab?: string;
  /** Set when the layout restorer reopens a tab of the last session. */
  restoring?: boolean;
}

/** The details tab named by the command's `tab` argument, if it names one. */
export function detailsTabNamed(name: unknown): DetailsTab | undefined {
  return typeof name === 'string'
    ? DETAILS_TABS.find(tab => tab.toLowerCase() === name.toLowerCase())
    : undefined;
}

/** What the command needs besides the application. */
export interface IDetailsCommandOptions {
  client: DataplaneClient;
  restorer?: ILayoutRestorer | null;
}

/**
 * Add `dataplane:open-dataset-details`: it opens a dataset's details as a main-area tab, or
 * brings back the tab already showing that dataset. Open tabs are restored on reload and
 * redrawn in the new colours when the theme changes.
 */
export function addDatasetDetailsCommand(
  app: JupyterFrontEnd,
  options: IDetailsCommandOptions
): WidgetTracker<DatasetDetailsWidget> {
  const tracker = new WidgetTracker<DatasetDetailsWidget>({
    namespace: 'dataplane-dataset-details'
  });
  app.commands.addCommand(OPEN_DATASET_DETAILS, {
    label: args => (args.dataset ? 'Open Details' : 'Open Dataset Details'),
    caption: 'Show the summary, columns, sample and embeddings of a dataset',
    icon: datasetDetailsIcon,
    execute: async args => {
      const { project, dataset, restoring } = args as unknown as IOpenDatasetDetailsArgs;
      const tab = detailsTabNamed(args.tab);
      if (!project || !dataset) {
        throw new Error(`${OPEN_DATASET_DETAILS} needs a project and a dataset.`);
      }
      let record: IDataset;
      try {
        record = await options.client.describeDataset(project, dataset);
      } catch (error) {
        // A tab of a dataset deleted since the page was last open just does not come back.
        if (!(restoring && isHTTPStatus(error, 404))) {
          notifyError(`Could not open dataset ${dataset}`, error);
        }
        throw error;
      }
      const open = tracker.find(
        widget => widget.project === project && widget.datasetId === record.id
      );
      if (open) {
        if (tab) {
          open.content.showTab(tab);
        }
        app.shell.activateById(open.id);
        return open;
      }
      const widget = new DatasetDetailsWidget({
        client: options.client,
        project,
        record,
        tab,
        openDataset: (inProject, name) =>
          void app.commands.execute(OPEN_DATASET_DETAILS, { project: inProject, dataset: name })
      });
      widget.id = `dataplane-details-${++opened}-${Date.now()}`;
      // a viewer is not offered what needs an editor (compute, save a selection, feature options)
      void projectReadOnly(options.client, project).then(readOnly =>
        widget.toggleClass('jp-mod-readOnly', readOnly)
      );
      await tracker.add(widget);
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      return widget;
    }
  });
  // Keyed by id: the name may change, and a restored layout needs the same key as the saved one.
  options.restorer?.restore(tracker, {
    command: OPEN_DATASET_DETAILS,
    args: widget => ({ project: widget.project, dataset: widget.datasetId, restoring: true }),
    name: widget => `${widget.project}/${widget.datasetId}`
  });
  followTheme(() => tracker.forEach(widget => widget.content.themeChanged()));
  return tracker;
}

let opened = 0;

/**
 * Call `changed` after each theme change. JupyterLab marks the page's body with the theme's
 * name once its CSS is loaded; watching that needs no dependency on the theme manager.
 */
function followTheme(changed: () => void): void {
  const observer = new MutationObserver(changed);
  observer.observe(document.body, {
    attributes: true,
    attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light']
  });
}
