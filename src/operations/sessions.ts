import { errors } from '../errors';
import type { OperationContext } from './context';
import type { LogField } from '../policy/fixed-fields';
import { deviceSeen } from './device-seen';
import { listIn, onDeskTarget, pick } from './desk-target';
import { listRefreshTokens, revokeEachRefreshToken, stoppedHalfWay, type Auth0Plan } from './refresh-tokens';

const SESSION_KEYS = ['id', 'created_at', 'updated_at', 'authenticated_at', 'last_interacted_at', 'expires_at', 'idle_expires_at'];

function sessionView(session: unknown, logFields: readonly LogField[]): Record<string, unknown> {
  const view = pick(session, SESSION_KEYS);
  const raw = session as { clients?: unknown; device?: unknown };
  if (Array.isArray(raw.clients)) view.clients = raw.clients.map((c) => pick(c, ['client_id']));
  const device = deviceSeen(raw.device, logFields);
  if (device) view.device = device;
  return view;
}

/**
 * GET /users/:id/sessions (`from`, `take`): the user's sessions, checkpoint-paged as Auth0 does.
 * Auth0 has the session endpoints on Enterprise plans only: on any other plan, 501.
 */
export async function readSessions(
  ctx: OperationContext,
  id: string,
  params: { from?: string; take?: string },
  plan: Auth0Plan,
): Promise<Record<string, unknown>> {
  return onDeskTarget(ctx, 'logout', id, async (target) => {
    if (plan !== 'enterprise') throw errors.notAvailableOnPlan("Listing a user's sessions (Auth0's session endpoints, Enterprise only)");
    const answer = await ctx.management.getSessions(target.id, { from: params.from, take: params.take }, ctx.scope);
    const logFields = target.logFields;
    const out: Record<string, unknown> = { sessions: listIn(answer, 'sessions').map((s) => sessionView(s, logFields)) };
    const next = (answer as { next?: unknown }).next;
    if (typeof next === 'string') out.next = next;
    return out;
  });
}

export interface SignOut {
  sessions: 'ended' | 'not_available_on_plan';
  refresh_tokens_revoked: number;
}

/**
 * DELETE /users/:id/sessions, "sign out everywhere": revokes every refresh token of the user first
 * (they outlive sessions at Auth0), then ends the sessions where the plan has the endpoint.
 * - `enterprise`: `DELETE /users/{id}/refresh-tokens` and `DELETE /users/{id}/sessions` (both
 *   asynchronous at Auth0); the count is of the tokens listed just before.
 * - any other plan: each refresh token (both kinds) through device credentials; sessions are left
 *   to expire (`"sessions": "not_available_on_plan"`).
 * Access tokens already issued stay valid until they expire: nothing at Auth0 recalls them.
 * When Auth0 or the budget stops it half-way, the error says how many refresh tokens were revoked.
 */
export async function signOut(ctx: OperationContext, id: string, plan: Auth0Plan): Promise<SignOut> {
  return onDeskTarget(ctx, 'logout', id, async (target) => {
    let tokens: Awaited<ReturnType<typeof listRefreshTokens>>;
    try {
      tokens = await listRefreshTokens(ctx, target.id, plan, []);
    } catch (err) {
      throw stoppedHalfWay(err, 'no refresh token was revoked and no session ended');
    }
    if (plan !== 'enterprise') {
      return { sessions: 'not_available_on_plan', refresh_tokens_revoked: await revokeEachRefreshToken(ctx, tokens) };
    }
    try {
      await ctx.management.deleteRefreshTokens(target.id, ctx.scope);
    } catch (err) {
      throw stoppedHalfWay(err, `0 of ${tokens.length} refresh token(s) were revoked and the sessions were not ended`);
    }
    try {
      await ctx.management.deleteSessions(target.id, ctx.scope);
    } catch (err) {
      throw stoppedHalfWay(err, `all ${tokens.length} refresh token(s) were revoked, but the sessions were not ended`);
    }
    return { sessions: 'ended', refresh_tokens_revoked: tokens.length };
  });
}
