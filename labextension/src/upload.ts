import { ServerConnection } from '@jupyterlab/services';

/**
 * Files the server's dataset import reads: CSV-like text (compressed or not), a zip of CSV and
 * images or .npy files, or one .npy file.
 */
export const UPLOAD_ACCEPT = [
  '.csv',
  '.tsv',
  '.txt',
  '.csv.gz',
  '.tsv.gz',
  '.gz',
  '.bz2',
  '.xz',
  '.zip',
  '.npy'
].join(',');

/** Options of `sendFile`. */
export interface ISendFileOptions {
  /** Called as bytes leave the browser. */
  onProgress?: (loaded: number, total: number) => void;
  /** Aborts the upload. */
  signal?: AbortSignal;
}

/**
 * POST a file as the raw request body and parse the JSON answer.
 *
 * The browser streams the `File` from disk, so it is never read into memory here; unlike
 * `fetch`, `XMLHttpRequest` reports upload progress. Authentication is the one
 * `ServerConnection.makeRequest` uses (`authHeaders`). A non-2xx answer rejects with a
 * `ServerConnection.ResponseError` carrying the server's `message` (which names the file, row
 * or column at fault); a lost connection with a `ServerConnection.NetworkError`; an abort with
 * a DOMException named `AbortError`.
 *
 * @param url absolute URL, query string included
 * @param file the bytes to send
 * @param settings server settings that hold the token
 * @param options progress callback and abort signal
 */
export function sendFile<T>(
  url: string,
  file: Blob,
  settings: ServerConnection.ISettings,
  options: ISendFileOptions = {}
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [name, value] of Object.entries(authHeaders(settings))) {
      xhr.setRequestHeader(name, value);
    }
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = event =>
      options.onProgress?.(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => settle(xhr, resolve, reject);
    xhr.onerror = () =>
      reject(new ServerConnection.NetworkError(new TypeError('The upload could not reach the server.')));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(file);
  });
}

/** The credentials `ServerConnection.makeRequest` adds to every request: token and XSRF. */
export function authHeaders(settings: ServerConnection.ISettings): Record<string, string> {
  const headers: Record<string, string> = {};
  if (settings.token) {
    headers['Authorization'] = `token ${settings.token}`;
  }
  const xsrf = xsrfCookie();
  if (xsrf !== undefined) {
    headers['X-XSRFToken'] = xsrf;
  }
  return headers;
}

/** The `_xsrf` cookie the Jupyter server set, if any. */
export function xsrfCookie(): string | undefined {
  let cookie = '';
  try {
    cookie = document.cookie;
  } catch {
    // no document (unit tests) or a sandboxed page: no cookie to read
  }
  const match = cookie.match('\\b_xsrf=([^;]*)\\b');
  return match ? match[1] : undefined;
}

function settle<T>(
  xhr: XMLHttpRequest,
  resolve: (value: T) => void,
  reject: (reason: unknown) => void
): void {
  const data = parseJSON(xhr.responseText);
  if (xhr.status >= 200 && xhr.status < 300) {
    resolve(data as T);
    return;
  }
  const message =
    typeof data === 'object' && data !== null && 'message' in data
      ? String((data as { message: unknown }).message)
      : xhr.statusText || `HTTP ${xhr.status}`;
  const response = new Response(xhr.responseText || null, {
    status: xhr.status,
    statusText: xhr.statusText
  });
  reject(new ServerConnection.ResponseError(response, message));
}

function parseJSON(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}
