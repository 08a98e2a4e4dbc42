import { ServerConnection } from '@jupyterlab/services';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { DataplaneClient } from '../src/client';
import { API_BASE, apiUrl } from '../src/request';
import { authHeaders, sendFile, xsrfCookie } from '../src/upload';

/** Just enough of `XMLHttpRequest` for `sendFile`; the test plays the server. */
class FakeXHR {
  static last: FakeXHR;
  constructor() {
    FakeXHR.last = this;
  }
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown = undefined;
  status = 0;
  statusText = '';
  responseText = '';
  upload: { onprogress?: (event: Partial<ProgressEvent>) => void } = {};
  onload?: () => void;
  onerror?: () => void;
  onabort?: () => void;
  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }
  send(body: unknown): void {
    this.body = body;
  }
  abort(): void {
    this.onabort?.();
  }
  answer(status: number, body: unknown, statusText = ''): void {
    this.status = status;
    this.statusText = statusText;
    this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
    this.onload?.();
  }
}

const settings = ServerConnection.makeSettings({
  baseUrl: 'http://127.0.0.1:8888/base/',
  token: 'secret'
});

beforeEach(() => {
  vi.stubGlobal('XMLHttpRequest', FakeXHR);
  vi.stubGlobal('document', { cookie: 'other=1; _xsrf=2|abc|def' });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('sendFile', () => {
  it('posts the raw file with the token and XSRF headers, reporting progress', async () => {
    const file = new Blob(['a,b\n1,2\n']);
    const progress: [number, number][] = [];
    const sent = sendFile<{ id: string }>('http://x/upload', file, settings, {
      onProgress: (loaded, total) => progress.push([loaded, total])
    });
    const xhr = FakeXHR.last;
    expect([xhr.method, xhr.url, xhr.body]).toEqual(['POST', 'http://x/upload', file]);
    expect(xhr.headers).toEqual({
      Authorization: 'token secret',
      'X-XSRFToken': '2|abc|def',
      'Content-Type': 'application/octet-stream'
    });
    xhr.upload.onprogress?.({ loaded: 3, total: 8, lengthComputable: true });
    xhr.upload.onprogress?.({ loaded: 5, total: 0, lengthComputable: false });
    expect(progress).toEqual([
      [3, 8],
      [5, file.size]
    ]);
    xhr.answer(201, { id: 'd1' });
    await expect(sent).resolves.toEqual({ id: 'd1' });
  });

  it("rejects with the server's message and status", async () => {
    const sent = sendFile('http://x/upload', new Blob(['x']), settings);
    FakeXHR.last.answer(422, { message: 'ragged.csv: line 3 has 1 fields' }, 'Unprocessable');
    const error = await sent.catch(e => e);
    expect(error).toBeInstanceOf(ServerConnection.ResponseError);
    expect(error.message).toBe('ragged.csv: line 3 has 1 fields');
    expect(error.response.status).toBe(422);
  });

  it('falls back to the status text, and reports network errors and aborts', async () => {
    const html = sendFile('http://x/upload', new Blob(['x']), settings);
    FakeXHR.last.answer(404, '<html>404</html>', 'Not Found');
    expect((await html.catch(e => e)).message).toBe('Not Found');

    const lost = sendFile('http://x/upload', new Blob(['x']), settings);
    FakeXHR.last.onerror?.();
    expect(await lost.catch(e => e)).toBeInstanceOf(ServerConnection.NetworkError);

    const controller = new AbortController();
    const aborted = sendFile('http://x/upload', new Blob(['x']), settings, {
      signal: controller.signal
    });
    controller.abort();
    expect((await aborted.catch(e => e)).name).toBe('AbortError');
  });
});

describe('credentials and URLs', () => {
  it('reads the XSRF cookie, and does without a document', () => {
    expect(xsrfCookie()).toBe('2|abc|def');
    vi.stubGlobal('document', undefined);
    expect(xsrfCookie()).toBeUndefined();
    expect(authHeaders(settings)).toEqual({ Authorization: 'token secret' });
  });

  it('builds API URLs with encoded queries', () => {
    expect(apiUrl(settings, 'projects/p/x', { path: 'a b/c.png' })).toBe(
      `http://127.0.0.1:8888/base/${API_BASE}/projects/p/x?path=a+b%2Fc.png`
    );
    expect(apiUrl(settings, 'projects')).toBe(`http://127.0.0.1:8888/base/${API_BASE}/projects`);
  });

  it('puts the XSRF value in download URLs', () => {
    const client = new DataplaneClient(settings);
    const base = `http://127.0.0.1:8888/base/${API_BASE}/projects/my%20p`;
    expect(client.datasetDownloadUrl('my p', 'sales', 'parquet')).toBe(
      `${base}/datasets/sales/download?format=parquet&_xsrf=2%7Cabc%7Cdef`
    );
    expect(client.imageFolderDownloadUrl('my p', 'f1')).toBe(
      `${base}/image-folders/f1/download?_xsrf=2%7Cabc%7Cdef`
    );
  });
});

describe('client uploads', () => {
  it('send datasets and image folders through the same upload', async () => {
    const client = new DataplaneClient(settings);
    const file = new File(['a\n1\n'], 'my data.csv');
    const dataset = client.uploadDataset('p', file);
    expect(FakeXHR.last.url).toBe(
      `http://127.0.0.1:8888/base/${API_BASE}/projects/p/datasets/upload?filename=my+data.csv&on_bad_rows=repair`
    );
    FakeXHR.last.answer(201, { name: 'my data' });
    await expect(dataset).resolves.toEqual({ name: 'my data' });

    const zip = new File(['PK'], 'pets.zip');
    const onProgress = vi.fn();
    const folder = client.uploadImageFolder('p', zip, 'pets 2', { onProgress });
    const xhr = FakeXHR.last;
    expect(xhr.url).toBe(
      `http://127.0.0.1:8888/base/${API_BASE}/projects/p/image-folders/upload?filename=pets.zip&name=pets+2`
    );
    expect(xhr.headers['Authorization']).toBe('token secret');
    xhr.upload.onprogress?.({ loaded: 2, total: 2, lengthComputable: true });
    expect(onProgress).toHaveBeenCalledWith(2, 2);
    xhr.answer(201, { id: 'f1', status: 'copying' });
    await expect(folder).resolves.toEqual({ id: 'f1', status: 'copying' });
  });
});
