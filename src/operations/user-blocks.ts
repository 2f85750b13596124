import type { OperationContext } from './context';
import { listIn, onDeskTarget, pick } from './desk-target';

/**
 * GET /users/:id/blocks: the brute-force blocks on the user (identifier and connection; the blocked
 * IP only for a caller whose roles' log_fields name `ip`).
 */
export async function readBlocks(ctx: OperationContext, id: string): Promise<{ blocked_for: Record<string, unknown>[] }> {
  return onDeskTarget(ctx, 'unblock', id, async (target) => {
    const answer = await ctx.management.getUserBlocks(target.id, ctx.scope);
    const keys = target.logFields.includes('ip') ? ['identifier', 'connection', 'ip'] : ['identifier', 'connection'];
    return { blocked_for: listIn(answer, 'blocked_for').map((block) => pick(block, keys)) };
  });
}

/** DELETE /users/:id/blocks: lifts brute-force blocks (`blocked: false` does not). */
export async function liftBlocks(ctx: OperationContext, id: string): Promise<void> {
  await onDeskTarget(ctx, 'unblock', id, async (target) => {
    await ctx.management.deleteUserBlocks(target.id, ctx.scope);
  });
}
