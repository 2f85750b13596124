import { errors } from '../errors';
import { checkUserId } from '../management/user-id';
import { audited, fetchTarget, outOfScope, requireAction, type OperationContext } from './context';

/** DELETE /users/:id: scope checked on the target first; never oneself. */
export async function deleteUser(ctx: OperationContext, id: string): Promise<void> {
  await audited(ctx, { action: 'delete', target: id.slice(0, 512) }, async () => {
    requireAction(ctx, 'delete');
    checkUserId(id);
    if (id === ctx.permissions.caller.sub) throw errors.selfForbidden('delete');
    const target = await fetchTarget(ctx, id);
    if (ctx.permissions.rolesFor('delete', target).length === 0) throw outOfScope(ctx, 'delete', target);
    await ctx.management.deleteUser(id, ctx.requestId);
    await ctx.invalidateCaller?.(id);
  });
}
