import { checkUserId } from '../management/user-id';
import { audited, decideOrThrow, fetchTarget, revokingWrite, type OperationContext } from './context';

/** DELETE /users/:id: decide (never oneself; in scope; manageable) -> delete -> drop its cached caller entry. */
export async function deleteUser(ctx: OperationContext, id: string): Promise<void> {
  await audited(ctx, { action: 'delete', target: id.slice(0, 512) }, async () => {
    const screened = decideOrThrow(ctx, 'delete', undefined, { id });
    checkUserId(id);
    const verdict = decideOrThrow(ctx, 'delete', await fetchTarget(ctx, id), { id }, screened);
    await revokingWrite(ctx, verdict.invalidatesTarget ? id : undefined, () => ctx.management.deleteUser(id, ctx.scope));
  });
}
