import { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  InputDialog,
  WidgetTracker,
  showDialog
} from '@jupyterlab/apputils';
import {
  SidePanel,
  deleteIcon,
  downloadIcon,
  editIcon,
  fileUploadIcon,
  imageIcon
} from '@jupyterlab/ui-components';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { ImageFoldersModel } from '../imageFolders/model';
import { ImageFolderViewer } from '../imageFolders/viewer';
import { DataplaneModel } from '../model';
import { notifyError, notifySuccess } from '../notifications';
import { ImageFoldersSection, plural } from '../sections/imageFolders';
import { IImageFolder } from '../types';

/**
 * Commands on image folders; all but `upload` take `{ id }` (the folder's id), `open` also
 * `{ project }` (default: the sidebar's).
 */
export namespace ImageFolderCommandIDs {
  export const upload = 'dataplane:upload-image-folder';
  export const open = 'dataplane:open-image-folder';
  export const rename = 'dataplane:rename-image-folder';
  export const download = 'dataplane:download-image-folder';
  export const remove = 'dataplane:delete-image-folder';
}

/**
 * Image folders in JupyterLab: the sidebar section, the commands that upload, open, rename,
 * download and delete folders, a main-area viewer per opened folder, and a notification when
 * an upload's import ends.
 *
 * @param app the application
 * @param data the data sidebar's model (its client and current project)
 * @param sidebar the data sidebar, which gets the section
 * @param palette the command palette, which gets the upload command
 * @param restorer reopens the viewers that were open when the page was left
 * @returns the model of the section
 */
export function activateImageFolders(
  app: JupyterFrontEnd,
  data: DataplaneModel,
  sidebar: SidePanel,
  palette: ICommandPalette | null = null,
  restorer: ILayoutRestorer | null = null
): ImageFoldersModel {
  const model = new ImageFoldersModel(data);
  const viewers = new WidgetTracker<ImageFolderViewer>({
    namespace: 'dataplane-image-folder'
  });
  void restorer?.restore(viewers, {
    command: ImageFolderCommandIDs.open,
    args: viewer => ({ id: viewer.folderId, project: viewer.project }),
    name: viewer => `${viewer.project}/${viewer.folderId}`
  });
  const uploadFiles = (files: File[]) => void upload(model, files);
  const section = new ImageFoldersSection(model, {
    commands: app.commands,
    openCommand: ImageFolderCommandIDs.open,
    menuCommands: [
      ImageFolderCommandIDs.open,
      ImageFolderCommandIDs.rename,
      ImageFolderCommandIDs.download,
      ImageFolderCommandIDs.remove
    ],
    onFiles: uploadFiles
  });
  sidebar.addWidget(section);

  const folderOf = (args: ReadonlyPartialJSONObject) =>
    model.find(String(args.id ?? ''));
  const isReady = (args: ReadonlyPartialJSONObject) =>
    folderOf(args)?.status === 'ready';

  app.commands.addCommand(ImageFolderCommandIDs.upload, {
    label: 'Upload Image Folder (zip)…',
    caption: 'Make an image folder from a zip of jpg, png or gif images',
    icon: fileUploadIcon,
    isEnabled: () => model.project !== null,
    execute: () => {
      app.shell.activateById(sidebar.id);
      section.chooseFiles();
    }
  });
  app.commands.addCommand(ImageFolderCommandIDs.open, {
    label: 'Open',
    caption: 'Show the thumbnails of the folder in a tab',
    icon: imageIcon,
    isEnabled: isReady,
    execute: async args => {
      const project = String(args.project ?? model.project ?? '');
      const id = String(args.id ?? '');
      const open = viewers.find(v => v.folderId === id && v.project === project);
      if (open !== undefined) {
        app.shell.activateById(open.id);
        return;
      }
      try {
        // A viewer restored with the page opens before the sidebar has listed anything.
        const folder =
          project === model.project && model.find(id)
            ? model.find(id)!
            : await model.client.getImageFolder(project, id);
        const viewer = new ImageFolderViewer(model.client, project, folder);
        app.shell.add(viewer, 'main');
        await viewers.add(viewer);
        app.shell.activateById(viewer.id);
      } catch (error) {
        notifyError('Could not open the image folder', error);
      }
    }
  });
  app.commands.addCommand(ImageFolderCommandIDs.rename, {
    label: 'Rename…',
    icon: editIcon,
    isEnabled: args => folderOf(args) !== undefined,
    execute: args => rename(model, folderOf(args))
  });
  app.commands.addCommand(ImageFolderCommandIDs.download, {
    label: 'Download as zip',
    icon: downloadIcon,
    isEnabled: isReady,
    execute: args => {
      const folder = folderOf(args);
      if (folder !== undefined && model.project !== null) {
        const link = document.createElement('a');
        link.href = model.client.imageFolderDownloadUrl(model.project, folder.id);
        link.download = `${folder.name}.zip`;
        link.click();
      }
    }
  });
  app.commands.addCommand(ImageFolderCommandIDs.remove, {
    label: 'Delete…',
    icon: deleteIcon,
    isEnabled: args => folderOf(args) !== undefined,
    execute: async args => {
      const folder = folderOf(args);
      if (folder !== undefined && (await remove(model, folder))) {
        viewers
          .filter(v => v.folderId === folder.id && v.project === model.project)
          .forEach(v => v.dispose());
      }
    }
  });
  palette?.addItem({ command: ImageFolderCommandIDs.upload, category: 'Dataplane' });

  model.changed.connect(() => {
    const current = viewers.filter(v => v.project === model.project);
    if (model.loading || model.error !== null) {
      return;
    }
    for (const viewer of current) {
      const folder = model.find(viewer.folderId);
      if (folder !== undefined) {
        viewer.showFolder(folder);
      } else {
        // Deleted elsewhere (a notebook, the CLI): its images are gone.
        viewer.dispose();
      }
    }
  });
  model.importEnded.connect((_, folder) => reportImport(folder));
  return model;
}

/** Ask a name for each zip, then upload them (side by side). */
async function upload(model: ImageFoldersModel, files: File[]): Promise<void> {
  for (const file of files) {
    const name = await askName(model, file);
    if (name !== null) {
      model.upload(file, name).catch(error =>
        notifyError(`Uploading ${file.name} failed`, error)
      );
    }
  }
}

/**
 * The name of the folder a zip makes, or null when the user cancels. A name already taken in
 * the project is asked again before any byte is sent (the server would refuse it only after
 * the whole zip arrived).
 */
async function askName(model: ImageFoldersModel, file: File): Promise<string | null> {
  const taken = (name: string) =>
    model.folders.some(folder => folder.name === name) ||
    model.uploads.some(upload => upload.name === name);
  let label = `Name of the image folder made from ${file.name}`;
  let text = file.name.replace(/\.zip$/i, '');
  for (;;) {
    const result = await InputDialog.getText({
      title: 'Upload Image Folder',
      label,
      text,
      okLabel: 'Upload'
    });
    const name = result.value?.trim() ?? '';
    if (!result.button.accept || !name) {
      return null;
    }
    if (!taken(name)) {
      return name;
    }
    label = `An image folder named ${name} already exists in ${model.project}: choose another name for ${file.name}`;
    text = name;
  }
}

async function rename(
  model: ImageFoldersModel,
  folder: IImageFolder | undefined
): Promise<void> {
  if (folder === undefined) {
    return;
  }
  const result = await InputDialog.getText({
    title: 'Rename Image Folder',
    label: 'New name',
    text: folder.name,
    okLabel: 'Rename'
  });
  const name = result.value?.trim();
  if (!result.button.accept || !name || name === folder.name) {
    return;
  }
  try {
    await model.rename(folder.id, name);
  } catch (error) {
    notifyError(`Renaming ${folder.name} failed`, error);
  }
}

/** Delete after the user confirmed; true when deleted. */
async function remove(
  model: ImageFoldersModel,
  folder: IImageFolder
): Promise<boolean> {
  const images =
    folder.n_images === null ? 'its images' : `its ${plural(folder.n_images, 'image')}`;
  const result = await showDialog({
    title: 'Delete Image Folder',
    body: `Delete "${folder.name}" and ${images}? This cannot be undone.`,
    buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: 'Delete' })]
  });
  if (!result.button.accept) {
    return false;
  }
  try {
    await model.remove(folder.id);
    notifySuccess(`Deleted image folder ${folder.name}.`);
    return true;
  } catch (error) {
    notifyError(`Deleting ${folder.name} failed`, error);
    return false;
  }
}

function reportImport(folder: IImageFolder): void {
  if (folder.status === 'failed') {
    notifyError(
      `Image folder ${folder.name} could not be imported`,
      folder.error ?? folder.status_label
    );
  } else {
    notifySuccess(
      `Image folder ${folder.name} is ready: ${plural(folder.n_images ?? 0, 'image')}.`
    );
  }
}
