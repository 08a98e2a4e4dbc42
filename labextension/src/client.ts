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
// datasets section
import { URLExt } from '@jupyterlab/coreutils';
import { API_BASE } from './request';
import { DownloadFormat, IUpdateDataset } from './types';
import { ISendFileOptions, sendFile, xsrfCookie } from './upload';

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
    options: ISendFileOptions = {}
  ): Promise<IDataset> {
    const path = projectPath(project, 'datasets', 'upload');
    const query = new URLSearchParams({ filename: file.name });
    const url = URLExt.join(this.serverSettings.baseUrl, API_BASE, path);
    return sendFile<IDataset>(`${url}?${query}`, file, this.serverSettings, options);
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
    const path = projectPath(project, 'datasets', dataset, 'download');
    const query = new URLSearchParams({ format });
    const xsrf = xsrfCookie();
    if (xsrf !== undefined) {
      query.append('_xsrf', xsrf);
    }
    const url = URLExt.join(this.serverSettings.baseUrl, API_BASE, path);
    return `${url}?${query}`;
  }

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
