import { errors } from '../errors';
import type { OperationContext } from './context';
import { onDeskTarget } from './desk-target';

/** Longest ticket lifetime a caller may ask for, in s (30 days); Auth0's default is 5 days. */
export const MAX_TICKET_TTL_S = 30 * 86_400;
const TICKET_KEYS = ['result_url', 'ttl_sec', 'mark_email_as_verified', 'includeEmailInRedirect'];

/** The caller's options, checked: only the known keys, a result_url on the allowlist, sane types. */
function ticketOptions(body: Record<string, unknown>, resultUrls: readonly string[]): Record<string, unknown> {
  const unknown = Object.keys(body).filter((k) => !TICKET_KEYS.includes(k));
  if (unknown.length > 0)
    throw errors.invalidBody(`Unknown field(s) ${unknown.slice(0, 10).join(', ')}; a ticket takes ${TICKET_KEYS.join(', ')}.`);
  const out: Record<string, unknown> = {};
  if (body.result_url !== undefined) {
    if (typeof body.result_url !== 'string' || !resultUrls.includes(body.result_url)) throw errors.resultUrlNotAllowed();
    out.result_url = body.result_url;
  }
  if (body.ttl_sec !== undefined) {
    if (!Number.isInteger(body.ttl_sec) || (body.ttl_sec as number) < 0 || (body.ttl_sec as number) > MAX_TICKET_TTL_S) {
      throw errors.invalidBody(`ttl_sec must be a whole number of seconds from 0 to ${MAX_TICKET_TTL_S}.`);
    }
    out.ttl_sec = body.ttl_sec;
  }
  for (const key of ['mark_email_as_verified', 'includeEmailInRedirect']) {
    if (body[key] === undefined) continue;
    if (typeof body[key] !== 'boolean') throw errors.invalidBody(`${key} must be true or false.`);
    out[key] = body[key];
  }
  return out;
}

/** Where a ticket may send the user afterwards: TICKET_RESULT_URLS (classic) and TICKET_CLIENT_ID (New Universal Login). */
export interface TicketSettings {
  resultUrls: readonly string[];
  clientId?: string;
}

/**
 * POST /users/:id/password-change-ticket: a link the user follows to set a new password. The ticket
 * is a bearer link: it goes back to the caller only, never into a log line or the audit. With an
 * allowed `result_url`, the classic Universal Login sends the user there; without one, the ticket
 * names TICKET_CLIENT_ID, the application the New Universal Login sends the user back to (Auth0
 * refuses the two together).
 */
export async function createPasswordTicket(
  ctx: OperationContext,
  id: string,
  body: Record<string, unknown>,
  settings: TicketSettings,
): Promise<{ ticket: string }> {
  const options = ticketOptions(body, settings.resultUrls);
  if (options.result_url === undefined && settings.clientId !== undefined) options.client_id = settings.clientId;
  return onDeskTarget(ctx, 'reset_password', id, async (target) => {
    const answer = (await ctx.management.createPasswordChangeTicket({ ...options, user_id: target.id }, ctx.scope)) as
      { ticket?: unknown } | undefined;
    if (typeof answer?.ticket !== 'string') throw errors.upstreamError('the answer carried no ticket');
    return { ticket: answer.ticket };
  });
}
