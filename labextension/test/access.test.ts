import { describe, expect, it } from 'vitest';

import { accessClasses, datasetActionAllowed, mayDo, projectReadOnly, roleLabel } from '../src/access';

describe('what the sidebar offers each role', () => {
  it('allows everything in open mode, and before the mode is known', () => {
    for (const access of ['open', null] as const) {
      expect(mayDo('owner', access, null)).toBe(true);
      expect(datasetActionAllowed('delete', access, 'viewer')).toBe(true);
      expect(accessClasses(access, 'viewer')).toEqual([]);
      expect(roleLabel(access, 'alice', 'viewer')).toBeNull();
    }
  });

  it('gives viewers reading only, editors also changes, owners everything (shared mode)', () => {
    const reads = ['details', 'notebook', 'download', 'explore-embeddings'];
    const changes = ['compute-embeddings', 'retry', 'rename', 'export', 'delete', 'something-new'];
    for (const action of reads) {
      expect(datasetActionAllowed(action, 'members', 'viewer')).toBe(true);
    }
    for (const action of changes) {
      expect(datasetActionAllowed(action, 'members', 'viewer')).toBe(false);
      expect(datasetActionAllowed(action, 'members', 'editor')).toBe(true);
    }
    expect(accessClasses('members', 'viewer')).toEqual(['jp-mod-readOnly', 'jp-mod-notOwner']);
    expect(accessClasses('members', 'editor')).toEqual(['jp-mod-notOwner']);
    expect(accessClasses('members', 'owner')).toEqual([]);
    expect(mayDo('viewer', 'members', null)).toBe(false); // not a member
    expect(roleLabel('members', 'bob', 'viewer')).toBe('bob · viewer');
  });
});

describe('a details tab in a project where the user only reads', () => {
  const client = (access: 'open' | 'members', role: string | null, fail = false) => ({
    getIdentity: async () => {
      if (fail) {
        throw new Error('unreachable');
      }
      return { user: 'bob', access };
    },
    listProjects: async () => [{ name: 'shared', role: role as never }]
  });

  it('is read-only for viewers and non-members in shared mode only', async () => {
    expect(await projectReadOnly(client('members', 'viewer'), 'shared')).toBe(true);
    expect(await projectReadOnly(client('members', 'editor'), 'shared')).toBe(false);
    expect(await projectReadOnly(client('members', 'viewer'), 'elsewhere')).toBe(true);
    expect(await projectReadOnly(client('open', 'viewer'), 'shared')).toBe(false);
    expect(await projectReadOnly(client('members', 'viewer', true), 'shared')).toBe(false);
  });
});
