import { ServerConnection } from '@jupyterlab/services';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { DataplaneClient } from '../src/client';
import { DataplaneModel, embeddingsState } from '../src/model';
import { IDataset, IListDatasetsQuery, IProject } from '../src/types';

/** A dataset as the server describes it. */
function dataset(name: string, status: IDataset['status'] = 'ready'): IDataset {
  return {
    id: `id-${name}`,
    name,
    status,
    status_label: status,
    origin: 'upload',
    progress: 0,
    rows: 4,
    columns: 3,
    size_bytes: 100,
    error: status === 'failed' ? `${name}.csv, row 3: bad value` : null,
    job_id: null,
    datasource_id: null,
    embeddings: null,
    project_id: 'p1',
    created_at: '2026-11-22T06:00:00Z',
    updated_at: '2026-11-22T06:00:00Z'
  } as IDataset;
}

function project(name: string): IProject {
  return { name } as IProject;
}

/**
 * Stands in for the REST client: the model is under test, so the client answers from plain
 * data that each test sets.
 */
class FakeClient {
  projects: IProject[] = [project('default'), project('churn')];
  datasets: Record<string, IDataset[]> = {
    default: [dataset('sales')],
    churn: [dataset('events')]
  };
  projectsError: unknown = null;
  identity: { user: string; access: 'open' | 'members' } = { user: 'alice', access: 'open' };

  listProjects = vi.fn(async () => {
    if (this.projectsError) {
      throw this.projectsError;
    }
    return this.projects;
  });
  getIdentity = vi.fn(async () => this.identity);
  listDatasets = vi.fn(async (name: string, _query?: IListDatasetsQuery) => this.datasets[name] ?? []);
  renameDataset = vi.fn(async (_p: string, _d: string, name: string) => dataset(name));
  deleteDataset = vi.fn(async () => undefined);
  uploadDataset = vi.fn(async (_p: string, file: File) => dataset(file.name, 'copying'));
  computeEmbeddings = vi.fn(async () => ({ id: 'job-1', target_id: 'id-sales' }));
  getJob = vi.fn(async (id: string) => ({ id, progress: 0.4 }));
}

/** `dataset` with an embeddings record. */
function withEmbeddings(base: IDataset, status: string, extra: object = {}): IDataset {
  return { ...base, embeddings: { status, job_id: 'job-1', ...extra } };
}

function makeModel(client: FakeClient, options: DataplaneModel.IOptions = {}): DataplaneModel {
  return new DataplaneModel({
    client: client as unknown as DataplaneClient,
    storage: null,
    refreshInterval: 5000,
    busyInterval: 1000,
    searchDelay: 300,
    ...options
  });
}

/** Let pending promise callbacks and immediate timers (the poll's ticks) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await vi.advanceTimersByTimeAsync(0);
  }
}

/** Await a model call whose poll tick needs the (fake) clock to move. */
async function run<T>(promise: Promise<T>): Promise<T> {
  let settled = false;
  const tracked = promise.finally(() => (settled = true));
  for (let i = 0; i < 50 && !settled; i++) {
    await vi.advanceTimersByTimeAsync(0);
  }
  return tracked;
}

describe('DataplaneModel', () => {
  let client: FakeClient;
  let model: DataplaneModel;

  beforeEach(() => {
    vi.useFakeTimers();
    client = new FakeClient();
    model = makeModel(client);
  });

  afterEach(() => {
    model.dispose();
    vi.useRealTimers();
  });

  it("knows the user's role in the project shown, and what it allows in shared mode", async () => {
    client.identity = { user: 'bob', access: 'members' };
    client.projects = [
      { ...project('default'), role: 'viewer' },
      { ...project('churn'), role: 'owner' }
    ];
    model.active = true;
    await run(model.refresh());
    expect([model.user, model.access, model.role]).toEqual(['bob', 'members', 'viewer']);
    expect(model.may('viewer')).toBe(true);
    expect(model.may('editor')).toBe(false);
    await run(model.setCurrentProject('churn'));
    expect(model.role).toBe('owner');
    expect(model.may('owner')).toBe(true);
    expect(client.getIdentity).toHaveBeenCalledTimes(1); // asked once, not on every poll
  });

  it('allows everything in the open default, whatever the role', async () => {
    client.projects = [{ ...project('default'), role: 'viewer' }];
    model.active = true;
    await run(model.refresh());
    expect(model.access).toBe('open');
    expect(model.may('owner')).toBe(true);
  });

  it('keeps the project picked while the answer for the previous pick is on its way', async () => {
    model.active = true;
    await settle();
    let answerChurn: () => void = () => undefined;
    client.listDatasets.mockImplementationOnce(
      (name: string) =>
        new Promise(resolve => (answerChurn = () => resolve(client.datasets[name])))
    );
    const toChurn = model.setCurrentProject('churn');
    await settle();
    const toDefault = model.setCurrentProject('default');
    answerChurn();
    await run(Promise.all([toChurn, toDefault]));
    await settle();
    expect(model.currentProject).toBe('default');
    expect(model.datasets.map(d => d.name)).toEqual(['sales']);
  });

  it('remembers the project picked across a reload of the page', async () => {
    const memory = new Map<string, string>();
    const storage = {
      getItem: (key: string) => memory.get(key) ?? null,
      setItem: (key: string, value: string) => void memory.set(key, value)
    };
    const before = makeModel(client, { storage });
    before.active = true;
    await settle();
    expect(before.currentProject).toBe('default');
    await run(before.setCurrentProject('churn'));
    before.dispose();
    const reloaded = makeModel(client, { storage });
    reloaded.active = true;
    await settle();
    expect(reloaded.currentProject).toBe('churn');
    expect(reloaded.datasets.map(d => d.name)).toEqual(['events']);
    reloaded.dispose();
    client.projects = [project('default')]; // the remembered project was deleted meanwhile
    const afterDelete = makeModel(client, { storage });
    afterDelete.active = true;
    await settle();
    expect(afterDelete.currentProject).toBe('default');
    afterDelete.dispose();
  });

  it('shows the "default" project first, then the one picked', async () => {
    model.active = true;
    await settle();
    expect(model.currentProject).toBe('default');
    expect(model.datasets.map(d => d.name)).toEqual(['sales']);
    expect(model.loading).toBe(false);

    await run(model.setCurrentProject('churn'));
    expect(model.currentProject).toBe('churn');
    expect(model.datasets.map(d => d.name)).toEqual(['events']);
  });

  it('falls back to the first project without a "default" one', async () => {
    client.projects = [project('zeta'), project('alpha')];
    model.active = true;
    await settle();
    expect(model.currentProject).toBe('zeta');
  });

  it('passes origin filters and the search to the server', async () => {
    model.active = true;
    await settle();
    await run(model.toggleOrigin('upload'));
    await run(model.toggleOrigin('pipeline_output'));
    expect(client.listDatasets).toHaveBeenLastCalledWith('default', {
      origin: ['upload', 'pipeline_output']
    });
    await run(model.toggleOrigin('upload'));
    expect(client.listDatasets).toHaveBeenLastCalledWith('default', {
      origin: ['pipeline_output']
    });
    expect(model.filtered).toBe(true);
  });

  it('sends the search once typing pauses', async () => {
    model.active = true;
    await settle();
    const calls = client.listDatasets.mock.calls.length;
    void model.setSearch('s');
    void model.setSearch('sa');
    void model.setSearch(' sal ');
    expect(model.search).toBe(' sal ');
    await vi.advanceTimersByTimeAsync(200);
    expect(client.listDatasets.mock.calls.length).toBe(calls);
    await vi.advanceTimersByTimeAsync(1000);
    expect(client.listDatasets.mock.calls.length).toBe(calls + 1);
    expect(client.listDatasets).toHaveBeenLastCalledWith('default', { search: 'sal' });
  });

  it('says it refreshed once per fetch, not on each keystroke', async () => {
    model.active = true;
    await settle();
    let refreshed = 0;
    let changed = 0;
    model.refreshed.connect(() => void refreshed++);
    model.stateChanged.connect(() => void changed++);
    void model.setSearch('s');
    void model.setSearch('sa');
    expect(changed).toBe(2);
    expect(refreshed).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(refreshed).toBe(1);
  });

  it('polls faster while a dataset is copying or computing statistics', async () => {
    client.datasets.default = [dataset('sales', 'copying')];
    model.active = true;
    await settle();
    const calls = () => client.listDatasets.mock.calls.length;
    const first = calls();
    expect(model.busy).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls()).toBe(first + 1);

    client.datasets.default = [dataset('sales', 'ready')];
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls()).toBe(first + 2);
    expect(model.busy).toBe(false);
    // Idle again: the next request waits for the slow interval.
    await vi.advanceTimersByTimeAsync(4000);
    expect(calls()).toBe(first + 2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls()).toBe(first + 3);
  });

  it('stands by while no view shows it', async () => {
    await vi.advanceTimersByTimeAsync(20000);
    expect(client.listProjects).not.toHaveBeenCalled();

    model.active = true;
    await settle();
    const calls = client.listProjects.mock.calls.length;
    expect(calls).toBe(1);
    model.active = false;
    await vi.advanceTimersByTimeAsync(60000);
    expect(client.listProjects.mock.calls.length).toBe(calls);

    model.active = true;
    await settle();
    expect(client.listProjects.mock.calls.length).toBe(calls + 1);
  });

  it('says the server extension is missing when the API answers 404', async () => {
    const response = new Response('<html>404</html>', { status: 404 });
    client.projectsError = new ServerConnection.ResponseError(response, 'Not Found');
    model.active = true;
    await settle();
    expect(model.serverExtension).toBe('missing');
    expect(model.error).toBe('Not Found');
  });

  it('keeps "available" when a later request fails', async () => {
    model.active = true;
    await settle();
    expect(model.serverExtension).toBe('available');
    client.projectsError = new ServerConnection.ResponseError(
      new Response(null, { status: 404 }),
      'gone'
    );
    await run(model.refresh());
    expect(model.serverExtension).toBe('available');
    expect(model.error).toBe('gone');
  });

  it('reports a watched import that failed, once', async () => {
    const failed = vi.fn();
    model.importFailed.connect((_, ds) => failed(ds.name));
    client.datasets.default = [dataset('sales', 'copying')];
    model.active = true;
    await settle();
    client.datasets.default = [dataset('sales', 'failed')];
    await run(model.refresh());
    await run(model.refresh());
    expect(failed.mock.calls).toEqual([['sales']]);
  });

  it('uploads into the current project and watches the new dataset', async () => {
    const failed = vi.fn();
    model.importFailed.connect((_, ds) => failed(ds.name));
    model.active = true;
    await settle();
    const file = new File(['a,b\n1,2\n'], 'new.csv');
    const created = await run(model.upload(file));
    expect(client.uploadDataset).toHaveBeenCalledWith('default', file, expect.anything(), 'repair');
    expect(created.name).toBe('new.csv');
    expect(model.uploads).toEqual([]);
    // It failed before the list ever showed it copying: still reported.
    client.datasets.default = [dataset('sales'), dataset('new.csv', 'failed')];
    await run(model.refresh());
    expect(failed.mock.calls).toEqual([['new.csv']]);
  });

  it('shows upload progress while the file is sent', async () => {
    model.active = true;
    await settle();
    let progress: (loaded: number, total: number) => void = () => undefined;
    let finish: (value: IDataset) => void = () => undefined;
    client.uploadDataset.mockImplementationOnce(
      (_p, _f, options?: { onProgress?: (l: number, t: number) => void }) =>
        new Promise<IDataset>(resolve => {
          progress = options?.onProgress ?? progress;
          finish = resolve;
        })
    );
    const done = run(model.upload(new File(['x'.repeat(10)], 'big.csv')));
    expect(model.uploads.map(u => [u.fileName, u.loaded, u.total])).toEqual([['big.csv', 0, 10]]);
    expect(model.busy).toBe(true);
    progress(4, 10);
    expect(model.uploads[0].loaded).toBe(4);
    finish(dataset('big', 'copying'));
    await done;
    expect(model.uploads).toEqual([]);
  });

  it('renames and deletes in the current project, following the selection', async () => {
    model.active = true;
    await settle();
    model.select('sales');
    client.datasets.default = [dataset('revenue')];
    await run(model.rename('sales', 'revenue'));
    expect(client.renameDataset).toHaveBeenCalledWith('default', 'sales', 'revenue');
    expect(model.selected).toBe('revenue');

    client.datasets.default = [];
    await run(model.delete('revenue'));
    expect(client.deleteDataset).toHaveBeenCalledWith('default', 'revenue');
    expect(model.selected).toBeNull();
  });

  it('computes embeddings: fast polling with the job\'s progress, then one notice', async () => {
    model.active = true;
    await settle();
    const ended: string[] = [];
    model.embeddingsEnded.connect((_, ds) => ended.push(embeddingsState(ds)));
    client.datasets.default = [withEmbeddings(dataset('sales'), 'computing')];
    await run(model.computeEmbeddings('sales'));
    await settle();
    expect(client.computeEmbeddings).toHaveBeenCalledWith('default', 'sales');
    expect(model.busy).toBe(true);
    expect(model.embeddingsProgress(model.datasets[0])).toBe(0.4);
    expect(client.getJob).toHaveBeenCalledWith('job-1');

    client.datasets.default = [withEmbeddings(dataset('sales'), 'ready')];
    await run(model.refresh());
    await run(model.refresh());
    expect(ended).toEqual(['ready']);
    expect(model.busy).toBe(false);
    expect(model.embeddingsProgress(model.datasets[0])).toBe(0);
  });

  it('tells the state of a dataset\'s embeddings', () => {
    expect(embeddingsState(dataset('a'))).toBe('none');
    for (const status of ['computing', 'ready', 'failed'] as const) {
      expect(embeddingsState(withEmbeddings(dataset('a'), status))).toBe(status);
    }
    expect(embeddingsState(withEmbeddings(dataset('a'), 'something new'))).toBe('none');
  });
});
