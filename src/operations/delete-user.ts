import { errors } from '../errors';
import { checkUserId } from '../management/user-id';
import { audited, fetchTarget, revokingWrite, requireAction, type OperationContext } from './context';
import { requireManageable } from './target-protection';

/** DELETE /users/:id: never oneself; the target in scope and manageable; its cached caller entry dropped. */
export async function deleteUser(ctx: OperationContext, id: string): Promise<void> {
  await audited(ctx, { action: 'delete', target: id.slice(0, 512) }, async () => {
    requireAction(ctx, 'delete');
    checkUserId(id);
    const p = ctx.permissions;
    if (id === p.sub) throw errors.selfForbidden('delete');
    const target = await fetchTarget(ctx, id);
    const acting = p.rolesFor('delete', target);
    if (acting.length === 0) throw p.outOfScope('delete', target);
    requireManageable(ctx, target, acting);
    await revokingWrite(ctx, id, () => ctx.management.deleteUser(id, ctx.scope));
  });
}
