import { errors } from '../errors';
import type { OperationContext } from './context';
import { onDeskTarget, pick } from './desk-target';

/** POST /users/:id/verification-email: Auth0 queues a job that sends the email; the job is answered. */
export async function sendVerificationEmail(
  ctx: OperationContext,
  id: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (Object.keys(body).length > 0) throw errors.invalidBody('This request takes no fields; send no body or {}.');
  return onDeskTarget(ctx, 'send_verification', id, async (target) => {
    const job = await ctx.management.sendVerificationEmail({ user_id: target.id }, ctx.scope);
    return pick(job, ['id', 'type', 'status', 'created_at']);
  });
}
