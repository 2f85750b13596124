import express, { type Request, type Response, type Router } from 'express';
import { CONNECTIONS } from './connections';
import type { DeskStore } from './desk-store';
import { escapeHtml, loginPageCsp } from './login-page';
import { isStrongEnough } from './password-policy';
import { hashPassword, type UserStore } from './user-store';

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2433}' +
  'main{max-width:30rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002}' +
  '.warn{background:#fff4d6;border:1px solid #e0b100;padding:.5rem .75rem;border-radius:6px}.error{color:#a3161a;font-weight:600}' +
  'label{display:block;font-weight:600;margin-top:1rem}input{font:inherit;padding:.5rem;width:100%;box-sizing:border-box}' +
  'button{margin-top:1rem;padding:.6rem 1rem;font:inherit}';

function page(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .set({ 'content-security-policy': loginPageCsp([]), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
        `<title>${escapeHtml(title)}: local dev tenant</title><style>${STYLE}</style></head><body><main><h1>${escapeHtml(title)}</h1>` +
        `<p class="warn">Local dev tenant: Auth0's own page looks different. Loopback only; never Auth0.</p>${body}</main></body></html>`,
    );
}

/**
 * The page a password-change ticket links to (`/lo/reset?ticket=...`), as Auth0's classic reset page
 * behaves: a form for the new password, checked against the connection's strength policy; the ticket
 * works once and until it expires; afterwards the user is offered the ticket's `result_url`.
 */
export function resetPage(store: UserStore, desk: DeskStore, now: () => number): Router {
  const router = express.Router();
  const ticketOf = (code: unknown) => {
    const ticket = typeof code === 'string' ? desk.tickets.get(code) : undefined;
    return ticket && Date.parse(ticket.expires_at) > now() ? ticket : undefined;
  };
  const invalid = (res: Response) =>
    page(res, 404, 'Link not valid', '<p class="error" role="alert">This link is not valid: it was used already, or it has expired.</p>');
  const form = (code: string, email: string, error?: string) =>
    `<p>Choose a new password for <strong>${escapeHtml(email)}</strong>.</p>` +
    (error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '') +
    `<form method="post" action="reset"><input type="hidden" name="ticket" value="${escapeHtml(code)}">` +
    `<label for="password">New password</label><input id="password" name="password" type="password" autocomplete="new-password" required>` +
    `<button type="submit">Set password</button></form>`;

  router.get('/lo/reset', (req: Request, res: Response) => {
    const ticket = ticketOf(req.query.ticket);
    const user = ticket && store.get(ticket.user_id);
    if (!ticket || !user) return invalid(res);
    page(res, 200, 'Change your password', form(String(req.query.ticket), user.email ?? user.user_id));
  });

  router.post('/lo/reset', express.urlencoded({ extended: false, limit: '4kb' }), (req: Request, res: Response) => {
    const body = req.body as Record<string, unknown>;
    const ticket = ticketOf(body.ticket);
    const user = ticket && store.get(ticket.user_id);
    if (!ticket || !user) return invalid(res);
    const password = typeof body.password === 'string' ? body.password : '';
    const connection = CONNECTIONS.find((c) => c.name === user.identities[0]?.connection);
    if (!isStrongEnough(password, connection?.passwordPolicy ?? 'good')) {
      return page(res, 400, 'Change your password', form(String(body.ticket), user.email ?? user.user_id, 'Password is too weak.'));
    }
    user.password_hash = hashPassword(password);
    if (ticket.mark_email_as_verified) user.email_verified = true;
    user.updated_at = new Date(now()).toISOString();
    desk.tickets.delete(String(body.ticket));
    desk.log(user, { type: 'scp', description: 'Successful change password' });
    const next = ticket.result_url ? `<p><a href="${escapeHtml(ticket.result_url)}">Continue</a></p>` : '';
    page(res, 200, 'Password changed', `<p role="status">Your password has been changed.</p>${next}`);
  });
  return router;
}
