/**
 * Shapes of the dataplane REST API (`/dataplane/api/v1/`).
 *
 * `schema.ts` is generated from the server's OpenAPI document (`scripts/gen-api-types.sh`), so
 * these names follow the server's pydantic models one-to-one; a test fails when it is stale.
 * Add an alias here for each model the frontend uses; write a shape by hand only for what is not
 * a server model (query strings, browser-side state).
 */
import type * as api from './schema';

export type DatasetOrigin = api.DatasetOrigin;
export type DatasetStatus = api.DatasetStatus;

/** Lifecycle of a job or an export run. */
export type JobStatus = api.JobStatus;

/** A project: the scope of every other noun. */
export type IProject = api.DescribeProject;
export type IIdentity = api.DescribeIdentity;

/** An immutable tabular snapshot stored by the catalog. */
export type IDataset = api.DescribeDataset;

/** Any long piece of work owned by the server. */
export type IJob = api.DescribeJob;

/** Response of `GET projects`. */
export type IListProjectsResponse = api.ListProjectsResponse;

/** Response of `GET projects/{name}/datasets`. */
export type IListDatasetsResponse = api.ListDatasetsResponse;

/** A row an import set aside: first line, raw text verbatim, reason. */
export type IRejectedRow = api.RejectedRow;

/** Response of `GET projects/{p}/datasets/{d}/rejected-rows`. */
export type IListRejectedRowsResponse = api.ListRejectedRowsResponse;

/** What the import does with a row that does not parse like the rest of the file. */
export type OnBadRows = NonNullable<api.RetryImport['on_bad_rows']>;

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
/** How to read the file at the next attempt of a failed import (null: detect it). */
export type IRetryImport = api.RetryImport;

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

// dataset details

/** Counts per bin; `edges` has one more entry than `counts` (ISO text for datetime columns). */
export type IHistogram = api.DescribeHistogram;

/** One of a column's most frequent values. */
export type ITopValue = api.DescribeTopValue;

/**
 * Statistics of one column: an entry of `columns` in `GET .../statistics`, and the reply of
 * `GET .../columns/{column}`. While statistics are partial only name, type, dtype, missing,
 * min and max are known.
 */
export type IColumnStatistics = api.DescribeColumnStatistics;

/** Pearson correlation of the numeric columns (`null` where undefined). */
export type ICorrelation = api.DescribeCorrelation;

/** Dataset-level figures of complete statistics. */
export type IStatisticsSummary = api.DescribeStatisticsSummary;

/**
 * Reply of `GET .../statistics`. With `partial: true` (statistics still computing) only rows,
 * columns_count, size_bytes and the footer figures of each column are there.
 */
export type IDatasetStatistics = api.DescribeStatistics;

/** Reply of `GET .../sample` (a DataFrame in pandas' "split" orientation, without index). */
export type IDatasetSample = api.DescribeSample;

/** The dataset record's `embeddings` (how they were computed; `job_id` while computing). */
export type IEmbeddingsRecord = api.EmbeddingsRecord;

/** Body of `POST .../embeddings` (every field has a server default). */
export type IComputeEmbeddings = Partial<api.ComputeEmbeddings>;

/** Reply of `GET .../embeddings?color=`: the 3-D map, one entry per embedded row. */
export type IEmbeddingsMap = api.DescribeEmbeddings;

/** One of a row's nearest neighbours. */
export type INeighbor = api.DescribeNeighbor;

/** Reply of `GET .../embeddings/neighbors?row=&k=`: nearest first. */
export type INeighborsResponse = api.ListNeighborsResponse;

/** A pipeline: its current version's steps and its last run. */
export type IPipeline = api.DescribePipeline;

/** One execution of a pipeline version, with its steps. */
export type IPipelineRun = api.DescribePipelineRun;

/** One step of a pipeline run. */
export type IRunStep = api.DescribeRunStep;

/** Result of `POST projects/{p}/pipelines/validate`. */
export type IPipelineValidation = api.PipelineValidation;

/** One problem of a pipeline definition (step index and name, field, message). */
export type IPipelineProblem = api.DescribeProblem;

/** Response of `GET .../pipeline-runs/{r}/steps/{s}/log`. */
export type IRunStepLog = api.DescribeRunStepLog;

/** Transformation / Color mode of an image column (the stored version, else the defaults). */
export type IFeatureOptions = api.DescribeFeatureOptions;

/** Body of `PUT .../feature-options`: the fields to change. */
export type ISetFeatureOptions = api.SetFeatureOptions;

/** Original vs transformed thumbnails of a few rows. */
export type IImagePreview = api.ImagePreview;

/** One row of an {@link IImagePreview}. */
export type IImagePreviewItem = api.ImagePreviewItem;

/** One row of a tensor column drawn by its dimensions, with mean and spread across rows. */
export type ITensorView = api.TensorView;

/** Options tried in a preview without saving them (query parameters). */
export interface IPreviewQuery {
  rows?: number;
  offset?: number;
  transformation?: string;
  size?: string;
  color_mode?: string;
  fill?: string;
}
