import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { IOptionHint, wordHints } from './hints';

/** Path of the REST API under the Jupyter server's base URL. */
export const API_BASE = 'dataplane/api/v1';

/**
 * Call the dataplane REST API and parse its JSON answer.
 *
 * Authentication (token, XSRF cookie) is handled by `ServerConnection`. A non-2xx answer is
 * thrown as a `ServerConnection.ResponseError` carrying the server's `message`.
 *
 * @param endPoint path relative to `dataplane/api/v1`, query string included
 * @param init fetch options (method, body, ...)
 * @param settings server settings; the page's own by default
 */
export async function requestAPI<T>(
  endPoint = '',
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url = URLExt.join(settings.baseUrl, API_BASE, endPoint);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new ServerConnection.NetworkError(error as TypeError);
  }
  const text = await response.text();
  const data = parseJSON(text);
  if (!response.ok) {
    const message =
      typeof data === 'object' && data !== null && 'message' in data
        ? wordHints(
            String((data as { message: unknown }).message),
            (data as { hints?: IOptionHint[] }).hints
          )
        : response.statusText || `HTTP ${response.status}`;
    throw new ServerConnection.ResponseError(response, message);
  }
  return data as T;
}

/**
 * Absolute URL of a REST API path (already encoded), with query parameters: for requests that
 * do not go through `requestAPI` (uploads, images, browser downloads).
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

/** Whether an error thrown by `requestAPI` is an HTTP answer with the given status. */
export function isHTTPStatus(error: unknown, status: number): boolean {
  return (
    error instanceof ServerConnection.ResponseError &&
    error.response.status === status
  );
}

function parseJSON(text: string): unknown {
  if (text.length === 0) {
    return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: e.g. the Jupyter server's HTML 404 page when the extension is missing.
    return text;
  }
}
