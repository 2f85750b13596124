import { membershipsOf, withMemberships } from '../directory';
import { checkUserId } from '../management/user-id';
import { writtenPaths } from '../policy/write-check';
import { audited, decideOrThrow, fetchTarget, revokingWrite, type OperationContext } from './context';

/**
 * PATCH /users/:id: what can be refused without the target is refused first; then the target is read
 * and the decision says whether this caller may write this body to it. Nothing is sent upstream
 * unless it allows; a change of the target's roles, org or `blocked` binds at once.
 */
export async function updateUser(ctx: OperationContext, id: string, body: Record<string, unknown>): Promise<unknown> {
  return audited(ctx, { action: 'update', target: id.slice(0, 512), fields: writtenPaths(body) }, async () => {
    const input = { id, body };
    const screened = decideOrThrow(ctx, 'update', undefined, input);
    checkUserId(id);
    const target = await fetchTarget(ctx, id);
    const verdict = decideOrThrow(ctx, 'update', target, input, screened);
    const updated = await revokingWrite(ctx, verdict.invalidatesTarget ? id : undefined, () =>
      ctx.management.updateUser(id, verdict.body, ctx.scope),
    );
    // Organizations: a profile write changes no membership; the answer is judged with the target's.
    const memberships = membershipsOf(target);
    const answer = memberships && updated && typeof updated === 'object' ? withMemberships({ ...updated }, memberships) : updated;
    return ctx.permissions.view('update', answer) ?? {};
  });
}
