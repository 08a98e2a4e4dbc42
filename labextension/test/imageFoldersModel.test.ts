import { ServerConnection } from '@jupyterlab/services';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { DataplaneClient } from '../src/client';
import { ImageFoldersModel } from '../src/imageFolders/model';
import { DataplaneModel } from '../src/model';

/** A folder as the REST API describes it. */
function folder(id: string, status: 'copying' | 'ready' | 'failed', progress = 0) {
  return {
    id,
    name: id,
    project_id: 'p',
    status,
    status_label: status,
    error: status === 'failed' ? `${id}.zip holds no jpg, png or gif image.` : null,
    progress,
    n_images: status === 'ready' ? 2 : null,
    size_bytes: null,
    categories: status === 'ready' ? { cats: 2 } : {},
    summary: {},
    warnings: [],
    job_id: null,
    created_at: '2026-11-22T06:00:00Z',
    updated_at: '2026-11-22T06:00:00Z'
  };
}

/**
 * A small dataplane REST API on 127.0.0.1: two projects, each with its image folders; what
 * `GET image-folders` answers is taken from `folders[project]` (a list of successive answers,
 * the last one repeated).
 */
const folders: Record<string, ReturnType<typeof folder>[][]> = {};
const requests: string[] = [];
let server: http.Server;
let client: DataplaneClient;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', chunk => chunks.push(chunk));
    request.on('end', () => {
      const path = new URL(request.url ?? '', 'http://x').pathname.replace(
        '/dataplane/api/v1/',
        ''
      );
      requests.push(`${request.method} ${path}`);
      const reply = (status: number, body?: unknown) => {
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(body === undefined ? '' : JSON.stringify(body));
      };
      const parts = path.split('/');
      if (path === 'identity') {
        return reply(200, { user: 'alice', access: 'open' });
      }
      if (path === 'projects') {
        return reply(200, { projects: [{ name: 'default' }, { name: 'churn' }] });
      }
      if (parts[2] === 'datasets') {
        return reply(200, { datasets: [] });
      }
      const answers = folders[parts[1]] ?? [[]];
      if (parts.length === 3 && request.method === 'GET') {
        const current = answers.length > 1 ? answers.shift()! : answers[0];
        return reply(200, { image_folders: current });
      }
      if (request.method === 'PATCH') {
        const { name } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        return reply(200, { ...folder(parts[3], 'ready'), name });
      }
      if (request.method === 'DELETE') {
        return reply(204);
      }
      reply(404, { message: `no route ${path}` });
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new DataplaneClient(
    ServerConnection.makeSettings({ baseUrl: `http://127.0.0.1:${port}/` })
  );
});

afterAll(async () => {
  await new Promise<void>(resolve => server.close(() => resolve()));
});

const models: { dispose(): void }[] = [];
afterEach(() => {
  models.splice(0).forEach(model => model.dispose());
  requests.length = 0;
  for (const key of Object.keys(folders)) {
    delete folders[key];
  }
});

function makeModels(options: ImageFoldersModel.IOptions = {}) {
  const data = new DataplaneModel({ client, refreshInterval: 60000 });
  // The sidebar shows the data model; the image folders model is the one under test.
  data.active = true;
  const images = new ImageFoldersModel(data, options);
  models.push(images, data);
  return { data, images };
}

/** Resolves once `check` holds after one of the model's changes (or at once). */
function until(model: ImageFoldersModel, check: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('condition never held')), 5000);
    const test = () => {
      if (check()) {
        clearTimeout(timer);
        model.changed.disconnect(test);
        resolve();
      }
    };
    model.changed.connect(test);
    test();
  });
}

describe('ImageFoldersModel', () => {
  it("lists the sidebar project's folders and follows the project picker", async () => {
    folders['default'] = [[folder('pets', 'ready')]];
    folders['churn'] = [[folder('scans', 'ready'), folder('xrays', 'failed')]];
    const { data, images } = makeModels();
    expect(images.project).toBeNull();
    await data.refresh();
    expect(images.project).toBe('default');
    images.active = true;
    await until(images, () => !images.loading);
    expect(images.folders.map(f => f.name)).toEqual(['pets']);

    await data.setCurrentProject('churn');
    expect(images.project).toBe('churn');
    await until(images, () => images.folders.length === 2);
    expect(images.folders.map(f => f.status)).toEqual(['ready', 'failed']);
    expect(images.find('xrays')?.error).toContain('xrays.zip');
  });

  it('does not fetch while no view shows it', async () => {
    folders['default'] = [[folder('pets', 'ready')]];
    const { data, images } = makeModels({ refreshInterval: 20 });
    await data.refresh();
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(requests.filter(r => r.endsWith('image-folders'))).toEqual([]);
    expect(images.loading).toBe(true);
  });

  it('refreshes quickly while a folder is copying, then at the idle pace', async () => {
    folders['default'] = [
      [folder('pets', 'copying', 0)],
      [folder('pets', 'copying', 0.5)],
      [folder('pets', 'ready')]
    ];
    const { data, images } = makeModels({
      refreshInterval: 60000,
      copyingInterval: 30
    });
    await data.refresh();
    images.active = true;
    await until(images, () => images.find('pets')?.status === 'ready');
    const listed = () => requests.filter(r => r.endsWith('image-folders')).length;
    expect(listed()).toBe(3);
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(listed()).toBe(3);
  });

  it('renames and deletes through the API and updates the list at once', async () => {
    folders['default'] = [[folder('pets', 'ready'), folder('cars', 'ready')]];
    const { data, images } = makeModels();
    await data.refresh();
    images.active = true;
    await until(images, () => images.folders.length === 2);

    const renamed = await images.rename('pets', 'animals');
    expect(renamed.name).toBe('animals');
    expect(images.find('pets')?.name).toBe('animals');
    await images.remove('cars');
    expect(images.folders.map(f => f.id)).toEqual(['pets']);
    expect(requests).toContain('PATCH projects/default/image-folders/pets');
    expect(requests).toContain('DELETE projects/default/image-folders/cars');
  });
});
