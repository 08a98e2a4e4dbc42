/**
 * Shapes of the dataplane REST API (`/dataplane/api/v1/`).
 *
 * `schema.ts` is generated from the server's OpenAPI document (`scripts/gen-api-types.sh`), so
 * these names follow the server's pydantic models one-to-one; a test fails when it is stale.
 * Add an alias here for each model the frontend uses; write a shape by hand only for replies the
 * server does not describe with a model.
 */
import type * as api from './schema';

export type DatasetOrigin = api.DatasetOrigin;
export type DatasetStatus = api.DatasetStatus;

/** Lifecycle of a job or an export run. */
export type JobStatus =
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled';

/** A project: the scope of every other noun. */
export type IProject = api.DescribeProject;

/** An immutable tabular snapshot stored by the catalog. */
export type IDataset = api.DescribeDataset;

/** Any long piece of work owned by the server. */
export type IJob = api.DescribeJob;

/** Response of `GET projects`. */
export type IListProjectsResponse = api.ListProjectsResponse;

/** Response of `GET projects/{name}/datasets`. */
export type IListDatasetsResponse = api.ListDatasetsResponse;

/** Body of every error response (4xx/5xx). */
export type IErrorResponse = api.ErrorResponse;

/** Filters of `GET projects/{name}/datasets` (query parameters, so not in the schemas). */
export interface IListDatasetsQuery {
  origin?: DatasetOrigin[];
  search?: string;
  status?: DatasetStatus;
}

// datasets section

/** Body of `PATCH projects/{name}/datasets/{dataset}` (rename). */
export type IUpdateDataset = api.UpdateDataset;

/** Formats of `GET projects/{name}/datasets/{dataset}/download?format=`. */
export type DownloadFormat = 'csv' | 'parquet';

/** A file being sent by `POST projects/{name}/datasets/upload` (not a server model). */
export interface IUploadProgress {
  /** Identifies the upload within the page. */
  id: number;
  fileName: string;
  /** Bytes sent so far. */
  loaded: number;
  /** Bytes to send. */
  total: number;
}
