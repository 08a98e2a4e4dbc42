import { DataplaneClient } from '../client';

/** Props of a view that reads a project's data from the server. */
export interface IProjectViewProps {
  client: DataplaneClient;
  project: string;
}

/** Props of a view that reads one dataset of a project from the server. */
export interface IDatasetViewProps extends IProjectViewProps {
  /** Dataset id. */
  dataset: string;
}
