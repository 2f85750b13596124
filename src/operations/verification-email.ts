import type { OperationContext } from './context';
import { onDeskTarget, pick } from './desk-target';

/** POST /users/:id/verification-email: Auth0 queues a job that sends the email; the job is answered. */
export async function sendVerificationEmail(ctx: OperationContext, id: string): Promise<Record<string, unknown>> {
  return onDeskTarget(ctx, 'send_verification', id, async (target) => {
    const job = await ctx.management.sendVerificationEmail({ user_id: target.id }, ctx.scope);
    return pick(job, ['id', 'type', 'status', 'created_at']);
  });
}
