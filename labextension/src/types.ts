/**
 * Shapes of the dataplane REST API (`/dataplane/api/v1/`), mirrored one-to-one from the
 * server's JSON responses.
 */

/** Where a dataset came from. */
export type DatasetOrigin =
  | 'upload'
  | 'datasource'
  | 'pipeline_output'
  | 'pipeline_intermediate';

/** The three platform steps of a dataset, plus failure. */
export type DatasetStatus =
  | 'copying'
  | 'computing_statistics'
  | 'ready'
  | 'failed';

/** Lifecycle of a job or an export run. */
export type JobStatus =
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled';

/** A project: the scope of every other noun. */
export interface IProject {
  id: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}

/** An immutable tabular snapshot stored by the catalog. */
export interface IDataset {
  id: string;
  name: string;
  origin: DatasetOrigin;
  status: DatasetStatus;
  error: string | null;
  progress: number | null;
  rows: number | null;
  columns: number | null;
  size_bytes: number | null;
  created_at: string;
  updated_at: string;
  warnings: string[];
  job_id: string | null;
  datasource_id: string | null;
}

/** Any long piece of work owned by the server. */
export interface IJob {
  id: string;
  kind: string;
  status: JobStatus;
  progress: number | null;
  message: string | null;
  error: string | null;
  [key: string]: unknown;
}

/** Response of `GET projects`. */
export interface IListProjectsResponse {
  projects: IProject[];
}

/** Filters of `GET projects/{name}/datasets`. */
export interface IListDatasetsQuery {
  origin?: DatasetOrigin[];
  search?: string;
  status?: DatasetStatus;
}

/** Response of `GET projects/{name}/datasets`. */
export interface IListDatasetsResponse {
  datasets: IDataset[];
}

/** Body of every error response (4xx/5xx). */
export interface IErrorResponse {
  message: string;
}
