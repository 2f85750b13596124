import { getPath, setOwn } from '../directory';
import { errors } from '../errors';
import { checkUserId } from '../management/user-id';
import type { RolesAsked } from '../policy/decide';
import { audited, decideOrThrow, fetchTarget, revokingWrite, type OperationContext } from './context';

export interface RolesAnswer {
  roles: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** GET /users/:id/roles: `read` on the target (scope: 404 outside) with the roles readable; the names of its tenant roles. */
export async function readUserRoles(ctx: OperationContext, id: string): Promise<RolesAnswer> {
  const screened = decideOrThrow(ctx, 'read_roles', undefined, { id });
  checkUserId(id);
  const target = await fetchTarget(ctx, id);
  decideOrThrow(ctx, 'read_roles', target, { id }, screened);
  return { roles: ctx.permissions.policy.directory.tenantRolesOf(target) };
}

/**
 * The app_metadata write that sets `app_metadata.<ROLES_PATH>` to `roles` (Auth0 merges app_metadata
 * one level deep, so a nested path sends its whole first-level object, everything else kept).
 */
function appMetadataRolesBody(target: unknown, rolesPath: string, roles: string[]): Record<string, unknown> {
  const [head, ...rest] = rolesPath.split('.') as [string, ...string[]];
  if (rest.length === 0) return { app_metadata: { [head]: roles } };
  const current = structuredClone(getPath(getPath(target, 'app_metadata'), head));
  const root = isRecord(current) ? current : {};
  let node = root;
  for (const segment of rest.slice(0, -1)) {
    const child = isRecord(node[segment]) ? node[segment] : {};
    setOwn(node, segment, child);
    node = child;
  }
  setOwn(node, rest.at(-1)!, roles);
  return { app_metadata: { [head]: root } };
}

/**
 * POST / DELETE /users/:id/roles: decide (the `update` action by roles reaching every org, scope,
 * target protection, each role in the `grant` list; what does not need the target before it is
 * fetched), then write: `app_metadata.<ROLES_PATH>`, or Auth0 RBAC by role ids. The target's generation
 * moves on whatever the outcome. Answers the roles it holds after the change.
 */
export async function changeUserRoles(ctx: OperationContext, id: string, names: string[], how: 'add' | 'remove'): Promise<RolesAnswer> {
  const directory = ctx.permissions.policy.directory;
  return audited(ctx, { action: `${how}-roles`, target: id.slice(0, 512), fields: [directory.rolesField] }, async () => {
    const asked: RolesAsked = how === 'add' ? { added: names, removed: [] } : { added: [], removed: names };
    const input = { id, roles: asked };
    const screened = decideOrThrow(ctx, 'change_roles', undefined, input);
    checkUserId(id);
    const target = await fetchTarget(ctx, id);
    decideOrThrow(ctx, 'change_roles', target, input, screened);
    const current = directory.tenantRolesOf(target);
    const after =
      how === 'add'
        ? [...current, ...names.filter((n, i) => !current.includes(n) && names.indexOf(n) === i)]
        : current.filter((r) => !names.includes(r));
    if (directory.rolesApart) {
      await writeRbacRoles(ctx, id, names, how);
      return { roles: [...after].sort() };
    }
    const body = appMetadataRolesBody(target, directory.rolesField.slice('app_metadata.'.length), after);
    // The names as app_metadata accepts them (400 invalid_roles otherwise), before anything is sent.
    directory.roleChange(body, target);
    await revokingWrite(ctx, id, () => ctx.management.updateUser(id, body, ctx.scope));
    return { roles: after };
  });
}

/** Names to ids (an unknown name: 400 invalid_roles on add, nothing to remove on remove), then the RBAC call. */
async function writeRbacRoles(ctx: OperationContext, id: string, names: string[], how: 'add' | 'remove'): Promise<void> {
  const roleIds = ctx.roleIds;
  if (!roleIds) throw errors.notConfigured('ROLES_SOURCE=rbac');
  const ids = await roleIds.idsOf(names, ctx.scope);
  const unknown = names.filter((n) => ids.get(n) === undefined);
  if (how === 'add' && unknown.length > 0)
    throw errors.invalidRoles(`The tenant has no role named: ${unknown.map((n) => JSON.stringify(n)).join(', ')}.`);
  const known = [...new Set([...ids.values()].filter((v): v is string => v !== undefined))];
  if (known.length === 0) return;
  await revokingWrite(ctx, id, () =>
    how === 'add' ? ctx.management.assignUserRoles(id, known, ctx.scope) : ctx.management.removeUserRoles(id, known, ctx.scope),
  );
}
