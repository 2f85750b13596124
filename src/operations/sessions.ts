import type { OperationContext } from './context';
import { listIn, onDeskTarget, pick } from './desk-target';

const SESSION_KEYS = ['id', 'created_at', 'updated_at', 'authenticated_at', 'last_interacted_at', 'expires_at', 'idle_expires_at'];

function sessionView(session: unknown, logFields: readonly string[]): Record<string, unknown> {
  const view = pick(session, SESSION_KEYS);
  const raw = session as { clients?: unknown; device?: unknown };
  if (Array.isArray(raw.clients)) view.clients = raw.clients.map((c) => pick(c, ['client_id']));
  // Where the session came from is personal data: only for roles whose log_fields name it.
  const deviceKeys = [
    ...(logFields.includes('ip') ? ['initial_ip', 'last_ip'] : []),
    ...(logFields.includes('user_agent') ? ['initial_user_agent', 'last_user_agent'] : []),
  ];
  if (deviceKeys.length > 0 && raw.device) view.device = pick(raw.device, deviceKeys);
  return view;
}

/** GET /users/:id/sessions (`from`, `take`): the user's sessions, checkpoint-paged as Auth0 does. */
export async function readSessions(
  ctx: OperationContext,
  id: string,
  params: { from?: string; take?: string },
): Promise<Record<string, unknown>> {
  return onDeskTarget(ctx, 'logout', id, async (target) => {
    const answer = await ctx.management.getSessions(target.id, { from: params.from, take: params.take }, ctx.scope);
    const logFields = ctx.permissions.logFields(target.roles);
    const out: Record<string, unknown> = { sessions: listIn(answer, 'sessions').map((s) => sessionView(s, logFields)) };
    const next = (answer as { next?: unknown }).next;
    if (typeof next === 'string') out.next = next;
    return out;
  });
}

/** DELETE /users/:id/sessions: signs the user out everywhere (Auth0 accepts it and revokes asynchronously). */
export async function revokeSessions(ctx: OperationContext, id: string): Promise<void> {
  await onDeskTarget(ctx, 'logout', id, async (target) => {
    await ctx.management.deleteSessions(target.id, ctx.scope);
  });
}
