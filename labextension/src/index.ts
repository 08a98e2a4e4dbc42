import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';

import { activateDatasetCommands } from './commands/datasets';
import { addDatasetDetailsCommand } from './commands/details';
import { activateImageFolders } from './commands/imageFolders';
import { activateSources } from './commands/sources';
import { dataplaneIcon } from './icons';
import { DataplaneModel } from './model';
import { activatePipelines } from './pipelines/section';
import { DataplaneSidebar, SIDEBAR_ID } from './sidebar';

export { DataplaneClient } from './client';
export { DataplaneModel } from './model';
export { requestAPI } from './request';
export * from './types';

namespace CommandIDs {
  export const openSidebar = 'dataplane:open-sidebar';
}

/** Adds the "Data" sidebar to the left area and a palette command that opens it. */
const plugin: JupyterFrontEndPlugin<void> = {
  id: 'dataplane-jupyter:plugin',
  description: 'The data sidebar: projects and datasets of the dataplane catalog.',
  autoStart: true,
  optional: [ICommandPalette, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null
  ): void => {
    const model = new DataplaneModel();
    const sidebar = new DataplaneSidebar(model, app.commands);
    app.shell.add(sidebar, 'left', { rank: 600 });
    restorer?.add(sidebar, SIDEBAR_ID);
    activateSources(app, model, sidebar);
    activatePipelines(app, model, sidebar);

    app.commands.addCommand(CommandIDs.openSidebar, {
      label: 'Dataplane: Open data panel',
      caption: 'Show the projects and datasets of the data catalog',
      icon: dataplaneIcon,
      execute: () => app.shell.activateById(SIDEBAR_ID)
    });
    palette?.addItem({ command: CommandIDs.openSidebar, category: 'Dataplane' });
    activateImageFolders(app, model, sidebar, palette, restorer);
    activateDatasetCommands(app, model, sidebar, palette);
    addDatasetDetailsCommand(app, { client: model.client, restorer });
  }
};

export default plugin;
