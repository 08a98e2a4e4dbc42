import { ServerConnection } from '@jupyterlab/services';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { DataplaneClient, projectPath } from '../src/client';
import { API_BASE, isHTTPStatus, requestAPI } from '../src/request';

/** What the local server saw of one request. */
interface IRecorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * The query a request carried, without the cache buster that `ServerConnection` appends to
 * every `no-store` request (`?<milliseconds>`).
 */
function queryOf(url: string): URLSearchParams {
  const params = new URL(url, 'http://x').searchParams;
  for (const key of [...params.keys()]) {
    if (/^\d+$/.test(key) && params.get(key) === '') {
      params.delete(key);
    }
  }
  return params;
}

type Reply = (request: IRecorded, response: http.ServerResponse) => void;

const TOKEN = 'test-token';
let server: http.Server;
let settings: ServerConnection.ISettings;
let recorded: IRecorded[];
let reply: Reply;

function json(status: number, body: unknown): Reply {
  return (_request, response) => {
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body));
  };
}

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', chunk => chunks.push(chunk));
    request.on('end', () => {
      const seen: IRecorded = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8')
      };
      recorded.push(seen);
      reply(seen, response);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  settings = ServerConnection.makeSettings({
    baseUrl: `http://127.0.0.1:${port}/base/`,
    token: TOKEN
  });
});

afterAll(async () => {
  await new Promise<void>(resolve => server.close(() => resolve()));
});

beforeEach(() => {
  recorded = [];
  reply = json(200, {});
});

/** Exposes the client's protected JSON/DELETE helpers that endpoint methods build on. */
class TestClient extends DataplaneClient {
  send<T>(method: 'POST' | 'PUT' | 'PATCH', path: string, body: unknown) {
    return this._send<T>(method, path, body);
  }

  remove(path: string) {
    return this._delete(path);
  }
}

describe('projectPath', () => {
  it('encodes every segment', () => {
    expect(projectPath('churn', 'datasets')).toBe('projects/churn/datasets');
    expect(projectPath('my project', 'datasets', 'a/b?c#d')).toBe(
      'projects/my%20project/datasets/a%2Fb%3Fc%23d'
    );
    expect(projectPath('é')).toBe('projects/%C3%A9');
  });
});

describe('DataplaneClient', () => {
  it('lists datasets without a query string when there is no filter', async () => {
    reply = json(200, { datasets: [{ name: 'sales' }] });
    const client = new DataplaneClient(settings);
    const datasets = await client.listDatasets('my project');
    expect(datasets).toEqual([{ name: 'sales' }]);
    expect(recorded[0].method).toBe('GET');
    const url = new URL(recorded[0].url, 'http://x');
    expect(url.pathname).toBe(`/base/${API_BASE}/projects/my%20project/datasets`);
    expect(queryOf(recorded[0].url).toString()).toBe('');
  });

  it('repeats list filters, keeps the others once and drops empty ones', async () => {
    reply = json(200, { datasets: [] });
    const client = new DataplaneClient(settings);
    await client.listDatasets('p', {
      origin: ['upload', 'pipeline_output'],
      search: 'a&b c',
      status: 'ready'
    });
    await client.listDatasets('p', { origin: [], search: '' });
    const [first, second] = recorded.map(r => queryOf(r.url));
    expect([...first.entries()]).toEqual([
      ['origin', 'upload'],
      ['origin', 'pipeline_output'],
      ['search', 'a&b c'],
      ['status', 'ready']
    ]);
    expect(second.toString()).toBe('');
  });

  it('sends the token and JSON bodies', async () => {
    reply = json(201, { name: 'x' });
    const client = new TestClient(settings);
    const created = await client.send('POST', projectPath('p', 'things'), {
      name: 'x',
      n: 1
    });
    expect(created).toEqual({ name: 'x' });
    const [request] = recorded;
    expect(request.method).toBe('POST');
    expect(request.headers['authorization']).toBe(`token ${TOKEN}`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ name: 'x', n: 1 });
  });

  it('resolves a DELETE answered with an empty body', async () => {
    reply = (_request, response) => {
      response.writeHead(204);
      response.end();
    };
    const client = new TestClient(settings);
    await expect(client.remove('projects/p/things/x')).resolves.toBeNull();
    expect(recorded[0].method).toBe('DELETE');
  });
});

describe('requestAPI errors', () => {
  it("throws the server's message with the response attached", async () => {
    const message = "Row 3, column 'price': 'abc' is not a number";
    reply = json(422, { message, reason: 'invalid' });
    const error = await requestAPI('projects', {}, settings).catch(e => e);
    expect(error).toBeInstanceOf(ServerConnection.ResponseError);
    expect(error.message).toBe(message);
    expect(error.response.status).toBe(422);
    expect(isHTTPStatus(error, 422)).toBe(true);
    expect(isHTTPStatus(error, 404)).toBe(false);
  });

  it('falls back to the status text when the body is not our JSON', async () => {
    reply = (_request, response) => {
      response.writeHead(404, 'Not Found', { 'Content-Type': 'text/html' });
      response.end('<html><body>404: Not Found</body></html>');
    };
    const html = await requestAPI('projects', {}, settings).catch(e => e);
    expect(html.message).toBe('Not Found');
    expect(isHTTPStatus(html, 404)).toBe(true);

    reply = json(500, ['not', 'an', 'object']);
    const list = await requestAPI('projects', {}, settings).catch(e => e);
    expect(list.message).toBe('Internal Server Error');
  });

  it('reports an unreachable server as a network error', async () => {
    const closed = http.createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>(resolve => closed.close(() => resolve()));
    const unreachable = ServerConnection.makeSettings({
      baseUrl: `http://127.0.0.1:${port}/`
    });
    const error = await requestAPI('projects', {}, unreachable).catch(e => e);
    expect(error).toBeInstanceOf(ServerConnection.NetworkError);
    expect(isHTTPStatus(error, 404)).toBe(false);
  });
});

describe('the routes of connectors, datasources and exporters', () => {
  /** Method, path (after the API base, without the cache buster), content type and body. */
  function seen(): [string, string, string | undefined, string][] {
    return recorded.map(r => [
      r.method,
      new URL(r.url, 'http://x').pathname.replace(`/base/${API_BASE}/`, ''),
      r.headers['content-type'],
      r.body
    ]);
  }

  it('list, create, update, delete and test each kind', async () => {
    const client = new DataplaneClient(settings);
    const kinds = [
      ['connectors', client.connectors, { name: 'c', kind: 'ftp', fields: {} }],
      ['datasources', client.datasources, { name: 'd', connector: 'c', locator: {} }],
      ['exporters', client.exporters, { name: 'e', connector: 'c', destination: {} }]
    ] as const;
    for (const [collection, resource, body] of kinds) {
      recorded = [];
      reply = json(200, { [collection]: [{ name: 'x' }] });
      expect(await resource.list('my p')).toEqual([{ name: 'x' }]);
      reply = json(200, { name: 'x' });
      await resource.create('my p', body as never);
      await resource.update('my p', 'a/b', { name: 'y' });
      await resource.remove('my p', 'a/b');
      await resource.testNew('my p', body as never);
      await resource.test('my p', 'a/b');
      const json_ = 'application/json';
      const base = `projects/my%20p/${collection}`;
      expect(seen()).toEqual([
        ['GET', base, json_, ''],
        ['POST', base, json_, JSON.stringify(body)],
        ['PATCH', `${base}/a%2Fb`, json_, '{"name":"y"}'],
        ['DELETE', `${base}/a%2Fb`, json_, ''],
        ['POST', `${base}/test`, json_, JSON.stringify(body)],
        ['POST', `${base}/a%2Fb/test`, json_, '{}']
      ]);
      expect(recorded.every(r => r.headers['authorization'] === `token ${TOKEN}`)).toBe(true);
    }
  });
});
