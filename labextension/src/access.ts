/**
 * Who may do what in the sidebar, as the server decides it (docs/access.md): in shared mode
 * (`access: "members"`) a viewer reads, an editor also creates, imports, runs, exports and
 * deletes, an owner also manages members and connectors. In the open default everyone may do
 * everything. The sidebar offers only what the server would allow: the rest answers 403.
 */

/** A member's role in a project. */
export type Role = 'viewer' | 'editor' | 'owner';

/** The catalog's access mode, as `GET /identity` says it. */
export type AccessMode = 'open' | 'members';

const RANK: Record<Role, number> = { viewer: 0, editor: 1, owner: 2 };

/**
 * Whether a user with `role` may do what needs `needed`. In open mode, or while the mode is not
 * known yet (nothing is hidden that the server would allow), everything is allowed.
 */
export function mayDo(needed: Role, access: AccessMode | null, role: Role | null | undefined): boolean {
  if (access !== 'members') {
    return true;
  }
  return role !== null && role !== undefined && RANK[role] >= RANK[needed];
}

/** The role each action on a dataset needs. */
export const DATASET_ACTION_ROLES: Record<string, Role> = {
  details: 'viewer',
  notebook: 'viewer',
  download: 'viewer',
  'explore-embeddings': 'viewer',
  'compute-embeddings': 'editor',
  retry: 'editor',
  rename: 'editor',
  export: 'editor',
  delete: 'editor'
};

/** Whether the dataset action `action` is allowed (an unknown action needs an editor). */
export function datasetActionAllowed(action: string, access: AccessMode | null, role: Role | null | undefined): boolean {
  return mayDo(DATASET_ACTION_ROLES[action] ?? 'editor', access, role);
}

/**
 * Classes of the sidebar that hide what the user may not do: `jp-mod-readOnly` (not an editor:
 * no upload, new, edit, run or delete buttons) and `jp-mod-notOwner` (connectors are the
 * owners').
 */
export function accessClasses(access: AccessMode | null, role: Role | null | undefined): string[] {
  const classes: string[] = [];
  if (!mayDo('editor', access, role)) {
    classes.push('jp-mod-readOnly');
  }
  if (!mayDo('owner', access, role)) {
    classes.push('jp-mod-notOwner');
  }
  return classes;
}

/** How the header names the user and their role: "alice · viewer"; nothing in open mode. */
export function roleLabel(access: AccessMode | null, user: string | null, role: Role | null | undefined): string | null {
  if (access !== 'members' || !user) {
    return null;
  }
  return `${user} · ${role ?? 'not a member'}`;
}

/** What `projectReadOnly` asks of the REST client. */
export interface IAccessSource {
  getIdentity(): Promise<{ user: string; access: AccessMode }>;
  listProjects(): Promise<{ name: string; role?: Role | null }[]>;
}

/**
 * Whether the user may only read in `project` (shared mode, not an editor): the details tab then
 * offers no compute, save or feature-options buttons. A failed look-up hides nothing (the server
 * still refuses what the role does not allow, with a message).
 */
export async function projectReadOnly(client: IAccessSource, project: string): Promise<boolean> {
  try {
    const identity = await client.getIdentity();
    if (identity.access !== 'members') {
      return false;
    }
    const role = (await client.listProjects()).find(p => p.name === project)?.role ?? null;
    return !mayDo('editor', identity.access, role);
  } catch {
    return false;
  }
}
