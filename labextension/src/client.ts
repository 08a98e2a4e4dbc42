import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from './request';
import {
  IDataset,
  IJob,
  IListDatasetsQuery,
  IListDatasetsResponse,
  IListProjectsResponse,
  IProject
} from './types';
import type {
  IColumnStatistics,
  IComputeEmbeddings,
  IDatasetSample,
  IDatasetStatistics,
  IEmbeddingsMap,
  INeighborsResponse
} from './types';

/** Typed access to the dataplane REST API: one method per endpoint. */
export class DataplaneClient {
  /** @param serverSettings the Jupyter server to talk to; the page's own by default */
  constructor(serverSettings?: ServerConnection.ISettings) {
    this.serverSettings = serverSettings ?? ServerConnection.makeSettings();
  }

  readonly serverSettings: ServerConnection.ISettings;

  /** `GET projects` */
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

  // --- exporters and export runs

  // --- image folders

  private _get<T>(endPoint: string): Promise<T> {
    return requestAPI<T>(endPoint, { method: 'GET' }, this.serverSettings);
  }

  /** A JSON request with a body (POST, PUT, PATCH). */
  protected _send<T>(
    method: 'POST' | 'PUT' | 'PATCH',
    endPoint: string,
    body: unknown
  ): Promise<T> {
    return requestAPI<T>(
      endPoint,
      {
        method,
        body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json' }
      },
      this.serverSettings
    );
  }

  protected _delete(endPoint: string): Promise<void> {
    return requestAPI<void>(endPoint, { method: 'DELETE' }, this.serverSettings);
  }
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
