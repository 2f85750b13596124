import { errors } from '../errors';
import { checkUserId } from '../management/user-id';
import { filterUser } from '../policy/read-filter';
import { orgOf } from '../policy/user-fields';
import { writtenPaths } from '../policy/write-check';
import { appMetadataAfterWrite } from '../policy/write-preview';
import { audited, fetchTarget, outOfScope, requireAction, type OperationContext } from './context';
import { checkGrants, checkProviderOwned, checkWritable, requireNonEmpty } from './write-rules';

/**
 * PATCH /users/:id: the target is read first (scope, identities, current roles); every written field
 * must be writable, roles changes grantable, and an org-scoped caller cannot move a user out of its org.
 * Nothing is sent upstream unless every check passes.
 */
export async function updateUser(ctx: OperationContext, id: string, body: Record<string, unknown>): Promise<unknown> {
  return audited(ctx, { action: 'update', target: id.slice(0, 512), fields: writtenPaths(body) }, async () => {
    requireAction(ctx, 'update');
    checkUserId(id);
    requireNonEmpty(body);
    const p = ctx.permissions;
    if (id === p.caller.sub) throw errors.selfForbidden('change');
    // Cheap refusal before any upstream call: fields no update role may write at all.
    checkWritable(body, p.union('write', p.rolesWithAction('update')), false);
    const target = await fetchTarget(ctx, id);
    const acting = p.rolesFor('update', target);
    if (acting.length === 0) throw outOfScope(ctx, 'update', target);
    checkWritable(body, p.union('write', acting), false);
    checkProviderOwned(body, target);
    checkGrants(ctx, body, target, acting);
    const org = appMetadataAfterWrite(body, target, p.policy.orgPath);
    const movesOrg = org.touched && org.value !== orgOf(target, p.policy.orgPath);
    if (movesOrg && !acting.some((r) => r.scope === 'all')) throw errors.orgForbidden();
    const updated = await ctx.management.updateUser(id, body, ctx.requestId);
    if ('app_metadata' in body || 'blocked' in body) await ctx.invalidateCaller?.(id);
    return filterUser(updated, p.union('read', p.rolesFor('update', updated)), p.policy.hidden);
  });
}
