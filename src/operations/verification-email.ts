import type { OperationContext } from './context';
import { onDeskTarget, pick } from './desk-target';

/**
 * The identity Auth0 must be told to verify: none for a database user (Auth0 takes the primary one),
 * the primary identity `{user_id, provider}` for a social, enterprise or passwordless user.
 */
function identityToVerify(user: Record<string, unknown>): { user_id: string; provider: string } | undefined {
  const primary = Array.isArray(user.identities) ? (user.identities[0] as Record<string, unknown> | undefined) : undefined;
  if (!primary || typeof primary.provider !== 'string' || primary.provider === 'auth0') return undefined;
  const userId = primary.user_id;
  if (typeof userId !== 'string' && typeof userId !== 'number') return undefined;
  return { user_id: String(userId), provider: primary.provider };
}

/**
 * POST /users/:id/verification-email: Auth0 queues a job that sends the email; the job is answered
 * as Auth0 gives it (`pending` at first: the email goes out later).
 */
export async function sendVerificationEmail(ctx: OperationContext, id: string): Promise<Record<string, unknown>> {
  return onDeskTarget(ctx, 'send_verification', id, async (target) => {
    const identity = identityToVerify(target.user);
    const job = await ctx.management.sendVerificationEmail({ user_id: target.id, ...(identity ? { identity } : {}) }, ctx.scope);
    return pick(job, ['id', 'type', 'status', 'created_at']);
  });
}
