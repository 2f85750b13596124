import { errors } from '../errors';
import { setOwn } from '../policy/field-set';
import { filterUser } from '../policy/read-filter';
import { getPath } from '../policy/user-fields';
import { writtenPaths } from '../policy/write-check';
import { audited, requireAction, type OperationContext } from './context';
import { checkGrants, checkWritable, requireNonEmpty } from './write-rules';

/** A copy of the body with `app_metadata.<orgPath>` set to the org. */
function withOrg(body: Record<string, unknown>, orgPath: string, org: string): Record<string, unknown> {
  const copy = structuredClone(body);
  const appMetadata = (copy.app_metadata && typeof copy.app_metadata === 'object' ? copy.app_metadata : {}) as Record<string, unknown>;
  const segments = orgPath.split('.');
  let node = appMetadata;
  for (const segment of segments.slice(0, -1)) {
    const next = node[segment];
    const child = next && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : {};
    setOwn(node, segment, child);
    node = child;
  }
  setOwn(node, segments.at(-1)!, org);
  copy.app_metadata = appMetadata;
  return copy;
}

/** POST /users: every written field writable, connection allowed, roles grantable, org forced for org-scoped callers. */
export async function createUser(ctx: OperationContext, body: Record<string, unknown>): Promise<unknown> {
  return audited(ctx, { action: 'create', fields: writtenPaths(body) }, async () => {
    requireAction(ctx, 'create');
    requireNonEmpty(body);
    const p = ctx.permissions;
    const orgPath = p.policy.orgPath;
    const scoped = p.unscopedRolesFor('create').length === 0;
    let outgoing = body;
    if (scoped) {
      const org = p.caller.org;
      const asked = getPath(getPath(body, 'app_metadata'), orgPath);
      if (!org || (asked !== undefined && asked !== org)) throw errors.orgForbidden();
      outgoing = withOrg(body, orgPath, org);
    }
    const acting = p.rolesFor('create', outgoing);
    if (acting.length === 0) throw errors.orgForbidden();
    checkWritable(body, p.union('write', acting), true);
    if (typeof body.connection !== 'string' || body.connection === '') throw errors.invalidBody('connection is required.');
    if (!acting.some((r) => r.connections.has(body.connection as string))) throw errors.connectionForbidden(body.connection.slice(0, 128));
    checkGrants(ctx, body, {}, acting);
    const created = await ctx.management.createUser(outgoing, ctx.requestId);
    return filterUser(created, p.union('read', p.rolesFor('create', created)), p.policy.hidden);
  });
}
