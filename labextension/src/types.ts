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

// connectors, datasources, exporters

/** Credentials and address of an external system (secrets never included). */
export type IConnector = api.DescribeConnector;

/** Body of `POST projects/{p}/connectors` and of `.../connectors/test`. */
export type ICreateConnector = api.CreateConnector;

/** Body of `PATCH projects/{p}/connectors/{c}`: secrets left out keep their value. */
export type IUpdateConnector = api.UpdateConnector;

/** Answer of a connector, datasource or exporter test. */
export type IConnectorTest = api.ConnectorTest;

/** One connector kind with the form fields of its connectors and of their datasources. */
export type IConnectorKind = api.DescribeConnectorKind;

/** One form field of a connector kind or of its locator. */
export type IField = api.DescribeField;

/** A connector plus a locator (table, query, path, bucket + path, dataset + table). */
export type IDatasource = api.DescribeDatasource;

/** Body of `POST projects/{p}/datasources` and of `.../datasources/test`. */
export type ICreateDatasource = api.CreateDatasource;

/** Body of `PATCH projects/{p}/datasources/{d}`: the locator is replaced as a whole. */
export type IUpdateDatasource = api.UpdateDatasource;

/** Answer of a datasource test: schema and first rows, or the cause of the failure. */
export type IDatasourcePreview = api.DatasourcePreview;

/** Body of `POST projects/{p}/datasets/from-datasource`. */
export type IImportDatasource = api.ImportDatasource;

/** A connector plus a destination and an overwrite mode. */
export type IExporter = api.DescribeExporter;

/** Body of `POST projects/{p}/exporters` and of `.../exporters/test`. */
export type ICreateExporter = api.CreateExporter;

/** Body of `PATCH projects/{p}/exporters/{e}`. */
export type IUpdateExporter = api.UpdateExporter;

/** One use of an exporter on a dataset. */
export type IExportRun = api.DescribeExportRun;

/** What an exporter does when its destination exists. */
export type ExportMode = 'timestamp' | 'cancel' | 'overwrite';

/** Response of `GET connector-kinds`. */
export type IListConnectorKindsResponse = api.ListConnectorKindsResponse;

/** Response of `GET projects/{p}/connectors`. */
export type IListConnectorsResponse = api.ListConnectorsResponse;

/** Response of `GET projects/{p}/datasources`. */
export type IListDatasourcesResponse = api.ListDatasourcesResponse;

/** Response of `GET projects/{p}/exporters`. */
export type IListExportersResponse = api.ListExportersResponse;

/** Response of `GET projects/{p}/exporters/{e}/runs` and `.../datasets/{d}/exports`. */
export type IListExportRunsResponse = api.ListExportRunsResponse;

// image folders

/** Lifecycle of an image folder: `copying`, then `ready`, or `failed` with the reason. */
export type ImageFolderStatus = api.ImageFolderStatus;

/** A stored tree of images made from a zip upload. */
export type IImageFolder = api.DescribeImageFolder;

/** One stored image of a folder. */
export type IImage = api.DescribeImage;

/** Response of `GET projects/{name}/image-folders`. */
export type IListImageFoldersResponse = api.ListImageFoldersResponse;

/** Response of `GET projects/{name}/image-folders/{folder}/images`. */
export type IListImagesResponse = api.ListImagesResponse;

/** Body of `PATCH projects/{name}/image-folders/{folder}`. */
export type IUpdateImageFolder = api.UpdateImageFolder;

/** Filters and page of `GET projects/{name}/image-folders/{folder}/images`. */
export interface IListImagesQuery {
  category?: string;
  offset?: number;
  limit?: number;
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
