import { errors } from '../errors';
import type { OperationContext } from './context';
import { onDeskTarget } from './desk-target';

/** The ticket's options as the contract checked them (src/http/contract/desk.ts). */
export interface TicketOptions {
  result_url?: string;
  ttl_sec?: number;
  mark_email_as_verified?: boolean;
  includeEmailInRedirect?: boolean;
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
  options: TicketOptions,
  settings: TicketSettings,
): Promise<{ ticket: string }> {
  const outgoing: TicketOptions & { client_id?: string } = { ...options };
  if (options.result_url === undefined && settings.clientId !== undefined) outgoing.client_id = settings.clientId;
  return onDeskTarget(ctx, 'reset_password', id, async (target) => {
    // Where a genuine Auth0 link may send the user is configuration: an allowlist, or it is a phishing aid.
    // Judged once the caller may act on this user (and audited), so it tells nothing to one who may not.
    if (options.result_url !== undefined && !settings.resultUrls.includes(options.result_url)) throw errors.resultUrlNotAllowed();
    const answer = (await ctx.management.createPasswordChangeTicket({ ...outgoing, user_id: target.id }, ctx.scope)) as
      { ticket?: unknown } | undefined;
    if (typeof answer?.ticket !== 'string') throw errors.upstreamError('the answer carried no ticket');
    return { ticket: answer.ticket };
  });
}
