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
