import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { API_BASE } from '../request';

/** Bytes sent so far out of the total, as the browser reports them. */
export type UploadProgress = (loaded: number, total: number) => void;

/**
 * POST a file as the raw request body, reporting upload progress, and parse the JSON answer.
 *
 * `fetch` cannot report upload progress, so this uses `XMLHttpRequest` with the same
 * credentials `ServerConnection` sends: the token header when the page has a token, and the
 * `_xsrf` cookie as `X-XSRFToken`. A non-2xx answer rejects with an `Error` carrying the
 * server's `message`; a lost connection with a `ServerConnection.NetworkError`.
 *
 * @param url absolute URL, query string included
 * @param body the file, streamed by the browser
 * @param settings server settings that hold the token
 * @param onProgress called as bytes leave the browser
 */
export function postWithProgress<T>(
  url: string,
  body: Blob,
  settings: ServerConnection.ISettings,
  onProgress?: UploadProgress
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [name, value] of Object.entries(authHeaders(settings))) {
      xhr.setRequestHeader(name, value);
    }
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = event => {
      onProgress?.(event.loaded, event.lengthComputable ? event.total : body.size);
    };
    xhr.onload = () => {
      const data = parseBody(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(data as T);
      } else {
        reject(new Error(serverMessage(data, xhr)));
      }
    };
    xhr.onerror = () =>
      reject(new ServerConnection.NetworkError(new TypeError(`Upload to ${url} failed`)));
    xhr.send(body);
  });
}

/**
 * Absolute URL of a REST API path (already encoded), with query parameters.
 *
 * @param settings server settings that hold the base URL
 * @param path path relative to `dataplane/api/v1`
 * @param query parameters, URL-encoded here
 */
export function apiUrl(
  settings: ServerConnection.ISettings,
  path: string,
  query: Record<string, string> = {}
): string {
  const url = URLExt.join(settings.baseUrl, API_BASE, path);
  const text = new URLSearchParams(query).toString();
  return text ? `${url}?${text}` : url;
}

/** The credentials `ServerConnection.makeRequest` adds to every request. */
export function authHeaders(
  settings: ServerConnection.ISettings
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (settings.token) {
    headers['Authorization'] = `token ${settings.token}`;
  }
  const xsrf = cookie('_xsrf');
  if (xsrf !== undefined) {
    headers['X-XSRFToken'] = xsrf;
  }
  return headers;
}

function cookie(name: string): string | undefined {
  if (typeof document === 'undefined') {
    return undefined;
  }
  const match = document.cookie.match('\\b' + name + '=([^;]*)\\b');
  return match ? match[1] : undefined;
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function serverMessage(data: unknown, xhr: XMLHttpRequest): string {
  if (typeof data === 'object' && data !== null && 'message' in data) {
    return String((data as { message: unknown }).message);
  }
  return xhr.statusText || `HTTP ${xhr.status}`;
}
