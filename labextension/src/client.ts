import { ServerConnection } from '@jupyterlab/services';

import { apiUrl, requestAPI } from './request';
import type {
  DownloadFormat,
  IColumnStatistics,
  IComputeEmbeddings,
  IConnector,
  IConnectorKind,
  IConnectorTest,
  ICreateConnector,
  ICreateDatasource,
  ICreateExporter,
  IDataset,
  IDatasetSample,
  IDatasetStatistics,
  IDatasource,
  IDatasourcePreview,
  IEmbeddingsMap,
  IFeatureOptions,
  IImagePreview,
  IPreviewQuery,
  ISetFeatureOptions,
  ITensorView,
  IExportRun,
  IExporter,
  IImageFolder,
  IImportDatasource,
  IJob,
  IListConnectorKindsResponse,
  IListDatasetsQuery,
  IListDatasetsResponse,
  IListRejectedRowsResponse,
  IListExportRunsResponse,
  IListImageFoldersResponse,
  IListImagesQuery,
  IListImagesResponse,
  IListProjectsResponse,
  INeighborsResponse,
  IPipeline,
  IPipelineRun,
  IPipelineValidation,
  IIdentity,
  IProject,
  IRunStepLog,
  IUpdateConnector,
  IRetryImport,
  IUpdateDataset,
  IUpdateDatasource,
  IUpdateExporter,
  OnBadRows
} from './types';
import { ISendFileOptions, sendFile, xsrfCookie } from './upload';

/** Typed access to the dataplane REST API: one method per endpoint. */
export class DataplaneClient {
  /** @param serverSettings the Jupyter server to talk to; the page's own by default */
  constructor(serverSettings?: ServerConnection.ISettings) {
    this.serverSettings = serverSettings ?? ServerConnection.makeSettings();
  }

  readonly serverSettings: ServerConnection.ISettings;

  /** `projects/{p}/connectors`; a delete is refused while datasources or exporters use one. */
  readonly connectors = new SourceResource<
    'connectors',
    IConnector,
    ICreateConnector,
    IUpdateConnector,
    IConnectorTest
  >(this, 'connectors');

  /**
   * `projects/{p}/datasources`; a test answers the schema and first rows, a delete leaves the
   * imported datasets.
   */
  readonly datasources = new SourceResource<
    'datasources',
    IDatasource,
    ICreateDatasource,
    IUpdateDatasource,
    IDatasourcePreview
  >(this, 'datasources');

  /**
   * `projects/{p}/exporters`, each with its last run; a test checks that the destination is
   * writable, a delete takes the exporter's history with it.
   */
  readonly exporters = new SourceResource<
    'exporters',
    IExporter,
    ICreateExporter,
    IUpdateExporter,
    IConnectorTest
  >(this, 'exporters');

  /** `GET projects` */
  /** `GET identity`: who the server takes the caller for, and the access mode. */
  getIdentity(): Promise<IIdentity> {
    return this._get<IIdentity>('identity');
  }

  async listProjects(): Promise<IProject[]> {
    const data = await this._get<IListProjectsResponse>('projects');
    return data.projects;
  }

  /** `GET projects/{name}/datasets`, optionally filtered. */
  async listDatasets(
    project: string,
    query: IListDatasetsQuery = {}
  ): Promise<IDataset[]> {
    const path = `projects/${encodeURIComponent(project)}/datasets`;
    const data = await this._get<IListDatasetsResponse>(
      path + toQueryString(query)
    );
    return data.datasets;
  }

  /** `GET jobs/{id}` */
  getJob(id: string): Promise<IJob> {
    return this._get<IJob>(`jobs/${encodeURIComponent(id)}`);
  }

  /** `GET openapi.json`: the OpenAPI document of the REST API. */
  openapi(): Promise<Record<string, unknown>> {
    return this._get<Record<string, unknown>>('openapi.json');
  }

  // --- datasets (actions, upload, import from a datasource, export)

  /** `PATCH projects/{p}/datasets/{d}` with `{name}`: rename a dataset (by name or id). */
  renameDataset(
    project: string,
    dataset: string,
    name: string
  ): Promise<IDataset> {
    const body: IUpdateDataset = { name };
    return this._send<IDataset>(
      'PATCH',
      projectPath(project, 'datasets', dataset),
      body
    );
  }

  /** `GET projects/{p}/datasets/{d}/retry`: what a retry of a failed import starts from. */
  retryOptions(project: string, dataset: string): Promise<IRetryImport> {
    return this._get<IRetryImport>(projectPath(project, 'datasets', dataset, 'retry'));
  }

  /** `POST projects/{p}/datasets/{d}/retry`: import a failed dataset again with these options. */
  retryImport(project: string, dataset: string, options: IRetryImport): Promise<IDataset> {
    return this._send<IDataset>('POST', projectPath(project, 'datasets', dataset, 'retry'), options);
  }

  /** `DELETE projects/{p}/datasets/{d}`: the dataset and its stored files. */
  deleteDataset(project: string, dataset: string): Promise<void> {
    return this._delete(projectPath(project, 'datasets', dataset));
  }

  /**
   * `POST projects/{p}/datasets/upload?filename=`: the file streamed as the raw body; resolves
   * with the new dataset (status `copying`) once the server has stored the file.
   */
  uploadDataset(
    project: string,
    file: File,
    options: ISendFileOptions & { replace?: boolean } = {},
    onBadRows: OnBadRows = 'repair'
  ): Promise<IDataset> {
    const url = apiUrl(this.serverSettings, projectPath(project, 'datasets', 'upload'), {
      filename: file.name,
      on_bad_rows: onBadRows,
      ...(options.replace ? { replace: 'true' } : {})
    });
    return sendFile<IDataset>(url, file, this.serverSettings, options);
  }

  /** `GET .../rejected-rows`: the rows the import set aside, verbatim (a page). */
  getRejectedRows(
    project: string,
    dataset: string,
    limit = 100
  ): Promise<IListRejectedRowsResponse> {
    const path = projectPath(project, 'datasets', dataset, 'rejected-rows');
    return this._get<IListRejectedRowsResponse>(`${path}?limit=${encodeURIComponent(limit)}`);
  }

  /** URL of the rejected rows as CSV, followable by a plain browser navigation. */
  rejectedRowsDownloadUrl(project: string, dataset: string): string {
    return this._downloadUrl(
      projectPath(project, 'datasets', dataset, 'rejected-rows', 'download'),
      {}
    );
  }

  /**
   * URL of `GET projects/{p}/datasets/{d}/download?format=` that a plain browser navigation
   * can follow: it carries the `_xsrf` cookie's value, as JupyterLab's own file downloads do.
   */
  datasetDownloadUrl(
    project: string,
    dataset: string,
    format: DownloadFormat
  ): string {
    return this._downloadUrl(projectPath(project, 'datasets', dataset, 'download'), {
      format
    });
  }

  // --- dataset details (statistics, columns, sample, embeddings)

  /** `GET projects/{project}/datasets/{dataset}` (by id or name). */
  describeDataset(project: string, dataset: string): Promise<IDataset> {
    return this._get<IDataset>(projectPath(project, 'datasets', dataset));
  }

  /** `GET .../statistics`: complete, or partial while they are being computed. */
  getStatistics(project: string, dataset: string): Promise<IDatasetStatistics> {
    return this._get<IDatasetStatistics>(
      projectPath(project, 'datasets', dataset, 'statistics')
    );
  }

  /** `GET .../columns/{column}`: the drill-down of one column. */
  getColumnStatistics(
    project: string,
    dataset: string,
    column: string
  ): Promise<IColumnStatistics> {
    return this._get<IColumnStatistics>(
      projectPath(project, 'datasets', dataset, 'columns', column)
    );
  }

  // --- image and tensor features (feature options, previews, tensor views)

  /**
   * `GET .../columns/{column}/feature-options` of a dataset's image column, or
   * `GET .../image-folders/{folder}/feature-options` when `column` is null.
   */
  getFeatureOptions(project: string, owner: IFeatureOwner): Promise<IFeatureOptions> {
    return this._get<IFeatureOptions>(featurePath(project, owner, 'feature-options'));
  }

  /** `PUT .../feature-options`: a new version with the given fields changed. */
  setFeatureOptions(
    project: string,
    owner: IFeatureOwner,
    changes: ISetFeatureOptions
  ): Promise<IFeatureOptions> {
    return this._send<IFeatureOptions>(
      'PUT',
      featurePath(project, owner, 'feature-options'),
      changes
    );
  }

  /** `GET .../preview`: original vs transformed thumbnails; query options are tried, not saved. */
  previewImages(
    project: string,
    owner: IFeatureOwner,
    query: IPreviewQuery = {}
  ): Promise<IImagePreview> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') {
        params.set(key, String(value));
      }
    }
    const text = params.toString();
    return this._get<IImagePreview>(
      featurePath(project, owner, 'preview') + (text ? `?${text}` : '')
    );
  }

  /** `GET .../columns/{column}/tensor?row=&index=`: one row drawn by its dimensions. */
  getTensorView(
    project: string,
    dataset: string,
    column: string,
    row = 0,
    index: number[] = []
  ): Promise<ITensorView> {
    const params = new URLSearchParams({ row: String(row) });
    if (index.length > 0) {
      params.set('index', index.join(','));
    }
    return this._get<ITensorView>(
      `${projectPath(project, 'datasets', dataset, 'columns', column, 'tensor')}?${params}`
    );
  }

  /**
   * `POST projects/{p}/datasets/upload-files`: several .npy files as one dataset, their bytes
   * one after the other (a Blob of the files, never read into memory here), with each name and
   * size in the query.
   */
  uploadFiles(
    project: string,
    files: readonly File[],
    options: ISendFileOptions = {}
  ): Promise<IDataset> {
    const params = new URLSearchParams();
    for (const file of files) {
      params.append('filename', file.name);
      params.append('size', String(file.size));
    }
    const url = `${apiUrl(this.serverSettings, projectPath(project, 'datasets', 'upload-files'))}?${params}`;
    return sendFile<IDataset>(url, new Blob([...files]), this.serverSettings, options);
  }

  /** `GET .../sample?n=`: the first `n` rows (1 to 1000). */
  getSample(project: string, dataset: string, n = 20): Promise<IDatasetSample> {
    const path = projectPath(project, 'datasets', dataset, 'sample');
    return this._get<IDatasetSample>(`${path}?n=${encodeURIComponent(n)}`);
  }

  /** `POST .../embeddings`: start computing the map of the rows; the job is returned at once. */
  computeEmbeddings(
    project: string,
    dataset: string,
    options: IComputeEmbeddings = {}
  ): Promise<IJob> {
    const path = projectPath(project, 'datasets', dataset, 'embeddings');
    return this._send<IJob>('POST', path, options);
  }

  /** `GET .../embeddings?color=`: the computed map, with `color`'s values when given. */
  getEmbeddings(
    project: string,
    dataset: string,
    color?: string | null
  ): Promise<IEmbeddingsMap> {
    const path = projectPath(project, 'datasets', dataset, 'embeddings');
    const query = color ? `?color=${encodeURIComponent(color)}` : '';
    return this._get<IEmbeddingsMap>(path + query);
  }

  /** `GET .../embeddings/neighbors?row=&k=`: the `k` rows nearest to `row`. */
  getNeighbors(
    project: string,
    dataset: string,
    row: number,
    k = 5
  ): Promise<INeighborsResponse> {
    const path = projectPath(project, 'datasets', dataset, 'embeddings', 'neighbors');
    return this._get<INeighborsResponse>(`${path}?row=${row}&k=${k}`);
  }

  /** `POST .../embeddings/selection`: a new dataset holding the given rows. */
  saveSelection(
    project: string,
    dataset: string,
    name: string,
    rows: number[]
  ): Promise<IDataset> {
    const path = projectPath(project, 'datasets', dataset, 'embeddings', 'selection');
    return this._send<IDataset>('POST', path, { name, rows });
  }

  // --- connectors and datasources

  /** `GET connector-kinds`: every kind with the fields of its forms. */
  async listConnectorKinds(): Promise<IConnectorKind[]> {
    const data = await this._get<IListConnectorKindsResponse>('connector-kinds');
    return data.kinds;
  }

  /** `POST projects/{p}/datasets/from-datasource`: starts the import, answers the new dataset. */
  importDatasource(project: string, body: IImportDatasource): Promise<IDataset> {
    return this._send(
      'POST',
      projectPath(project, 'datasets', 'from-datasource'),
      body
    );
  }

  // --- exporters and export runs

  /** `GET projects/{p}/exporters/{e}/runs`: the exporter's history, newest first. */
  async listExportRuns(project: string, exporter: string): Promise<IExportRun[]> {
    const data = await this._get<IListExportRunsResponse>(
      projectPath(project, 'exporters', exporter, 'runs')
    );
    return data.runs;
  }

  /** `POST projects/{p}/datasets/{d}/export`: starts the export, answers its run. */
  exportDataset(project: string, dataset: string, exporter: string): Promise<IExportRun> {
    return this._send('POST', projectPath(project, 'datasets', dataset, 'export'), {
      exporter
    });
  }

  /** `GET projects/{p}/export-runs/{r}` */
  getExportRun(project: string, run: string): Promise<IExportRun> {
    return this._get<IExportRun>(projectPath(project, 'export-runs', run));
  }

  // --- image folders

  /** `GET projects/{name}/image-folders/{id}`: one folder, by id or name. */
  getImageFolder(project: string, id: string): Promise<IImageFolder> {
    return this._get<IImageFolder>(projectPath(project, 'image-folders', id));
  }

  /** `GET projects/{name}/image-folders`, newest first. */
  async listImageFolders(project: string): Promise<IImageFolder[]> {
    const data = await this._get<IListImageFoldersResponse>(
      projectPath(project, 'image-folders')
    );
    return data.image_folders;
  }

  /**
   * `POST projects/{name}/image-folders/upload`: the zip as the raw body, with upload progress.
   * Resolves once the server has stored the zip; the folder is then `copying`.
   */
  uploadImageFolder(
    project: string,
    file: Blob & { name: string },
    name: string,
    options: ISendFileOptions = {}
  ): Promise<IImageFolder> {
    const url = apiUrl(
      this.serverSettings,
      projectPath(project, 'image-folders', 'upload'),
      { filename: file.name, name }
    );
    return sendFile<IImageFolder>(url, file, this.serverSettings, options);
  }

  /** `PATCH projects/{name}/image-folders/{id}` with a new name. */
  renameImageFolder(
    project: string,
    id: string,
    name: string
  ): Promise<IImageFolder> {
    return this._send<IImageFolder>(
      'PATCH',
      projectPath(project, 'image-folders', id),
      { name }
    );
  }

  /** `DELETE projects/{name}/image-folders/{id}`: the folder and its stored images. */
  deleteImageFolder(project: string, id: string): Promise<void> {
    return this._delete(projectPath(project, 'image-folders', id));
  }

  /** `GET projects/{name}/image-folders/{id}/images`: one page, optionally one category. */
  listImages(
    project: string,
    id: string,
    query: IListImagesQuery = {}
  ): Promise<IListImagesResponse> {
    const params = new URLSearchParams();
    if (query.category !== undefined) {
      params.set('category', query.category);
    }
    for (const key of ['offset', 'limit'] as const) {
      if (query[key] !== undefined) {
        params.set(key, String(query[key]));
      }
    }
    const text = params.toString();
    return this._get<IListImagesResponse>(
      projectPath(project, 'image-folders', id, 'images') +
        (text ? `?${text}` : '')
    );
  }

  /**
   * The thumbnail (`kind` "thumbnail") or the original bytes (`kind` "image") of one image, as
   * a Blob; the browser may cache them (the server allows an hour).
   */
  async fetchImage(
    project: string,
    id: string,
    path: string,
    kind: 'thumbnail' | 'image'
  ): Promise<Blob> {
    const url = apiUrl(
      this.serverSettings,
      projectPath(project, 'image-folders', id, kind),
      { path }
    );
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(
        url,
        { method: 'GET', cache: 'default' },
        this.serverSettings
      );
    } catch (error) {
      throw new ServerConnection.NetworkError(error as TypeError);
    }
    if (!response.ok) {
      const data = await response.json().catch(() => null);
      throw new ServerConnection.ResponseError(
        response,
        data?.message ?? (response.statusText || `HTTP ${response.status}`)
      );
    }
    return response.blob();
  }

  /**
   * URL of `GET projects/{name}/image-folders/{id}/download` for the browser to navigate to:
   * the zip streams to disk instead of through memory. Authenticated by the login cookie,
   * like JupyterLab's own file downloads (with the `_xsrf` value they add).
   */
  imageFolderDownloadUrl(project: string, id: string): string {
    return this._downloadUrl(projectPath(project, 'image-folders', id, 'download'));
  }

  /** A URL the browser can navigate to: the `_xsrf` value rides in the query. */
  private _downloadUrl(path: string, query: Record<string, string> = {}): string {
    const xsrf = xsrfCookie();
    return apiUrl(this.serverSettings, path, xsrf === undefined ? query : { ...query, _xsrf: xsrf });
  }

  // --- pipelines and their runs

  /** `GET projects/{p}/pipelines`, each with its last run. */
  async listPipelines(project: string): Promise<IPipeline[]> {
    const data = await this._get<{ pipelines: IPipeline[] }>(projectPath(project, 'pipelines'));
    return data.pipelines;
  }

  /** `GET projects/{p}/pipelines/{name}` */
  getPipeline(project: string, pipeline: string): Promise<IPipeline> {
    return this._get<IPipeline>(projectPath(project, 'pipelines', pipeline));
  }

  /** `POST projects/{p}/pipelines` from a YAML document (422 names the step and field). */
  createPipeline(project: string, name: string, yaml: string): Promise<IPipeline> {
    return this._send('POST', projectPath(project, 'pipelines'), { name, yaml });
  }

  /** `PATCH projects/{p}/pipelines/{name}` with new steps as YAML (a new version). */
  updatePipeline(project: string, pipeline: string, yaml: string): Promise<IPipeline> {
    return this._send('PATCH', projectPath(project, 'pipelines', pipeline), { yaml });
  }

  /** `POST projects/{p}/pipelines/validate`: every problem of a YAML document, nothing saved. */
  validatePipeline(project: string, yaml: string): Promise<IPipelineValidation> {
    return this._send('POST', projectPath(project, 'pipelines', 'validate'), { steps: yaml });
  }

  /** `DELETE projects/{p}/pipelines/{name}` (its datasets stay). */
  deletePipeline(project: string, pipeline: string): Promise<void> {
    return this._delete(projectPath(project, 'pipelines', pipeline));
  }

  /** `POST projects/{p}/pipelines/{name}/runs`: starts a run, answers it at once. */
  runPipeline(project: string, pipeline: string): Promise<IPipelineRun> {
    return this._send('POST', projectPath(project, 'pipelines', pipeline, 'runs'), {});
  }

  /** `GET projects/{p}/pipelines/{name}/runs`, newest first. */
  async listPipelineRuns(project: string, pipeline: string): Promise<IPipelineRun[]> {
    const data = await this._get<{ runs: IPipelineRun[] }>(
      projectPath(project, 'pipelines', pipeline, 'runs') + '?limit=20'
    );
    return data.runs;
  }

  /** `POST projects/{p}/pipeline-runs/{r}/cancel` */
  cancelPipelineRun(project: string, run: string): Promise<IPipelineRun> {
    return this._send('POST', projectPath(project, 'pipeline-runs', run, 'cancel'), {});
  }

  /** `POST projects/{p}/pipeline-runs/{r}/retry`: a new run from the failed step. */
  retryPipelineRun(project: string, run: string): Promise<IPipelineRun> {
    return this._send('POST', projectPath(project, 'pipeline-runs', run, 'retry'), {});
  }

  /** `GET projects/{p}/pipeline-runs/{r}/steps/{s}/log` */
  stepLog(project: string, run: string, step: string): Promise<IRunStepLog> {
    return this._get<IRunStepLog>(projectPath(project, 'pipeline-runs', run, 'steps', step, 'log'));
  }

  /** A request to the REST API; `body`, when given, is sent as JSON. */
  request<T>(method: string, endPoint: string, body?: unknown): Promise<T> {
    return requestAPI<T>(
      endPoint,
      body === undefined
        ? { method }
        : { method, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } },
      this.serverSettings
    );
  }

  private _get<T>(endPoint: string): Promise<T> {
    return this.request<T>('GET', endPoint);
  }

  /** A JSON request with a body (POST, PUT, PATCH). */
  protected _send<T>(method: 'POST' | 'PUT' | 'PATCH', endPoint: string, body: unknown): Promise<T> {
    return this.request<T>(method, endPoint, body);
  }

  protected _delete(endPoint: string): Promise<void> {
    return this.request<void>('DELETE', endPoint);
  }
}

/**
 * The routes of one kind of a project's sources (connectors, datasources, exporters), which
 * all follow the same pattern: `projects/{p}/<collection>` lists and creates,
 * `.../<collection>/{name}` updates and deletes, `.../<collection>/test` tests an unsaved
 * object and `.../<collection>/{name}/test` a saved one.
 */
export class SourceResource<
  Collection extends 'connectors' | 'datasources' | 'exporters',
  Item,
  Create,
  Update,
  Test
> {
  constructor(
    private readonly client: DataplaneClient,
    readonly collection: Collection
  ) {}

  /** `GET projects/{p}/<collection>`: the answer lists them under the collection's name. */
  async list(project: string): Promise<Item[]> {
    const data = await this.client.request<Record<Collection, Item[]>>(
      'GET',
      projectPath(project, this.collection)
    );
    return data[this.collection];
  }

  /** `POST projects/{p}/<collection>` */
  create(project: string, body: Create): Promise<Item> {
    return this.client.request('POST', projectPath(project, this.collection), body);
  }

  /** `PATCH projects/{p}/<collection>/{name}`: a connector's secrets left out keep their value. */
  update(project: string, name: string, body: Update): Promise<Item> {
    return this.client.request('PATCH', projectPath(project, this.collection, name), body);
  }

  /** `DELETE projects/{p}/<collection>/{name}` */
  remove(project: string, name: string): Promise<void> {
    return this.client.request('DELETE', projectPath(project, this.collection, name));
  }

  /** `POST projects/{p}/<collection>/test`: try an object before saving it. */
  testNew(project: string, body: Create): Promise<Test> {
    return this.client.request('POST', projectPath(project, this.collection, 'test'), body);
  }

  /** `POST projects/{p}/<collection>/{name}/test`: try a saved object. */
  test(project: string, name: string): Promise<Test> {
    return this.client.request('POST', projectPath(project, this.collection, name, 'test'), {});
  }
}

/** Whose images: a dataset's image column, or an image folder (column null). */
export interface IFeatureOwner {
  /** Dataset id or name, or image folder id or name. */
  id: string;
  /** The dataset's image column; null for an image folder. */
  column: string | null;
}

function featurePath(project: string, owner: IFeatureOwner, leaf: string): string {
  return owner.column === null
    ? projectPath(project, 'image-folders', owner.id, leaf)
    : projectPath(project, 'datasets', owner.id, 'columns', owner.column, leaf);
}

/** `projects/{project}/<rest>` with every segment URL-encoded. */
export function projectPath(project: string, ...rest: string[]): string {
  return ['projects', project, ...rest].map(encodeURIComponent).join('/');
}

/** `?origin=a&origin=b&search=s&status=ready`; repeated keys for lists, empty values dropped. */
function toQueryString(query: IListDatasetsQuery): string {
  const params = new URLSearchParams();
  for (const origin of query.origin ?? []) {
    params.append('origin', origin);
  }
  if (query.search) {
    params.append('search', query.search);
  }
  if (query.status) {
    params.append('status', query.status);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
