import { URLExt } from '@jupyterlab/coreutils';

import { DataplaneClient, projectPath } from '../client';
import { API_BASE } from '../request';

/**
 * Address of `GET .../download?format=`. The browser fetches it itself (streamed to disk, never
 * held in memory), authenticated by the Jupyter login cookie; the `_xsrf` value is added as
 * JupyterLab does for its own file downloads.
 */
export function downloadURL(
  client: DataplaneClient,
  project: string,
  dataset: string,
  format: 'csv' | 'parquet'
): string {
  const path = URLExt.join(
    client.serverSettings.baseUrl,
    API_BASE,
    projectPath(project, 'datasets', dataset, 'download')
  );
  const url = new URL(path, window.location.href);
  url.searchParams.append('format', format);
  const xsrf = document.cookie.match('\\b_xsrf=([^;]*)\\b');
  if (xsrf) {
    url.searchParams.append('_xsrf', xsrf[1]);
  }
  return url.href;
}

/** Let the browser download a URL (the server names the file). */
export function startDownload(url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = '';
  document.body.appendChild(link);
  link.click();
  link.remove();
}
