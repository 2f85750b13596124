import { Router, type Response } from 'express';
import type { DeskStore, LogEvent } from './desk-store';
import { sendApiError } from './errors';
import { CONNECTIONS } from './connections';
import type { StoredUser, UserStore } from './user-store';

/** The support-desk operations of the Management API, with the scopes each accepts (any one of them). */
export const DESK_OPERATIONS: { method: string; template: string; pattern: RegExp; scopes: string[] }[] = [
  { method: 'POST', template: '/tickets/password-change', pattern: /^\/tickets\/password-change$/, scopes: ['create:user_tickets'] },
  { method: 'POST', template: '/jobs/verification-email', pattern: /^\/jobs\/verification-email$/, scopes: ['update:users'] },
  { method: 'GET', template: '/jobs/{id}', pattern: /^\/jobs\/[^/]+$/, scopes: ['create:users', 'read:users'] },
  { method: 'GET', template: '/user-blocks/{id}', pattern: /^\/user-blocks\/[^/]+$/, scopes: ['read:users'] },
  { method: 'DELETE', template: '/user-blocks/{id}', pattern: /^\/user-blocks\/[^/]+$/, scopes: ['update:users'] },
  {
    method: 'GET',
    template: '/users/{id}/authentication-methods',
    pattern: /^\/users\/[^/]+\/authentication-methods$/,
    scopes: ['read:authentication_methods'],
  },
  {
    method: 'DELETE',
    template: '/users/{id}/authentication-methods',
    pattern: /^\/users\/[^/]+\/authentication-methods$/,
    scopes: ['delete:authentication_methods'],
  },
  {
    method: 'POST',
    template: '/users/{id}/multifactor/actions/invalidate-remember-browser',
    pattern: /^\/users\/[^/]+\/multifactor\/actions\/invalidate-remember-browser$/,
    scopes: ['update:users'],
  },
  { method: 'GET', template: '/users/{user_id}/sessions', pattern: /^\/users\/[^/]+\/sessions$/, scopes: ['read:sessions'] },
  { method: 'DELETE', template: '/users/{user_id}/sessions', pattern: /^\/users\/[^/]+\/sessions$/, scopes: ['delete:sessions'] },
  { method: 'GET', template: '/users/{id}/logs', pattern: /^\/users\/[^/]+\/logs$/, scopes: ['read:logs', 'read:logs_users'] },
];

/** Auth0's default ticket lifetime, in s (5 days). */
const DEFAULT_TICKET_TTL_S = 432_000;
const USER_ID_FORMAT = /^[A-Za-z0-9_.-]+(\|[A-Za-z0-9_.@+-]+)+$/;
const JOB_ID = /^job_[A-Za-z0-9]{16}$/;

function int(value: unknown, fallback: number): number {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : fallback;
}

/**
 * The support-desk endpoints of the Management API v2, stateful (see desk-store.ts). Requests have
 * passed the tenant's token, scope and OpenAPI checks before they get here.
 */
export function deskApi(users: UserStore, desk: DeskStore, now: () => number, baseUrl: () => string): Router {
  const router = Router();
  /** The user the path names, or an Auth0 error answered. */
  const userAt = (id: string, res: Response): StoredUser | undefined => {
    if (id.length > 300 || !USER_ID_FORMAT.test(id)) {
      sendApiError(res, 400, `Object didn't pass validation for format user-id: ${id}`, 'invalid_uri');
      return undefined;
    }
    const user = users.get(id);
    if (!user) sendApiError(res, 404, 'The user does not exist.', 'inexistent_user');
    return user;
  };
  const iso = (ms: number) => new Date(ms).toISOString();

  router.post('/tickets/password-change', (req, res) => {
    const body = req.body as Record<string, unknown>;
    if (typeof body.user_id !== 'string')
      return sendApiError(res, 400, 'Payload validation error: user_id is required in this tenant.', 'invalid_body');
    const user = userAt(body.user_id, res);
    if (!user) return;
    const connection = CONNECTIONS.find((c) => c.name === user.identities[0]?.connection);
    if (connection && !connection.database)
      return sendApiError(
        res,
        400,
        'The user does not have a password: it signs in through ' + connection.name + '.',
        'operation_not_supported',
      );
    const ttl = typeof body.ttl_sec === 'number' && body.ttl_sec > 0 ? body.ttl_sec : DEFAULT_TICKET_TTL_S;
    const code = desk.newTicketCode();
    const url = `${baseUrl()}/lo/reset?ticket=${code}#`;
    desk.tickets.set(code, {
      user_id: user.user_id,
      url,
      expires_at: iso(now() + ttl * 1000),
      mark_email_as_verified: body.mark_email_as_verified === true,
      ...(typeof body.result_url === 'string' ? { result_url: body.result_url } : {}),
    });
    desk.log(user, { type: 'scpr', description: 'Password change ticket created' });
    res.status(201).json({ ticket: url });
  });

  router.post('/jobs/verification-email', (req, res) => {
    const body = req.body as Record<string, unknown>;
    const user = userAt(String(body.user_id), res);
    if (!user) return;
    if (!user.email) return sendApiError(res, 400, 'The user does not have an email address.', 'invalid_body');
    const job = {
      id: desk.newJobId(),
      type: 'verification_email' as const,
      status: 'completed' as const,
      created_at: iso(now()),
      user_id: user.user_id,
    };
    desk.jobs.set(job.id, job);
    desk.log(user, { type: 'svr', description: 'Verification email sent' });
    res.status(201).json({ id: job.id, type: job.type, status: job.status, created_at: job.created_at });
  });

  router.get('/jobs/:id', (req, res) => {
    if (!JOB_ID.test(req.params.id))
      return sendApiError(res, 400, `Object didn't pass validation for format job-id: ${req.params.id}`, 'invalid_uri');
    const job = desk.jobs.get(req.params.id);
    if (!job) return sendApiError(res, 404, 'The job does not exist.', 'inexistent_job');
    res.json({ id: job.id, type: job.type, status: job.status, created_at: job.created_at });
  });

  router.get('/user-blocks/:id', (req, res) => {
    const user = userAt(req.params.id, res);
    if (!user) return;
    res.json({ blocked_for: desk.blocks.get(user.user_id) ?? [] });
  });

  router.delete('/user-blocks/:id', (req, res) => {
    const user = userAt(req.params.id, res);
    if (!user) return;
    if (desk.blocks.delete(user.user_id)) desk.log(user, { type: 'sapi', description: 'Brute-force block lifted' });
    res.status(204).end();
  });

  router.get('/users/:id/authentication-methods', (req, res) => {
    const user = userAt(req.params.id, res);
    if (!user) return;
    const methods = desk.methods.get(user.user_id) ?? [];
    if (req.query.include_totals === 'true') {
      res.json({ authenticators: methods, start: 0, limit: methods.length, total: methods.length });
    } else {
      res.json(methods);
    }
  });

  router.delete('/users/:id/authentication-methods', (req, res) => {
    const user = userAt(req.params.id, res);
    if (!user) return;
    if (desk.methods.delete(user.user_id)) desk.log(user, { type: 'sapi', description: 'All authentication methods deleted' });
    res.status(204).end();
  });

  router.post('/users/:id/multifactor/actions/invalidate-remember-browser', (req, res) => {
    const user = userAt(req.params.id, res);
    if (!user) return;
    desk.rememberedBrowserResets.set(user.user_id, (desk.rememberedBrowserResets.get(user.user_id) ?? 0) + 1);
    res.status(204).end();
  });

  router.get('/users/:id/sessions', (req, res) => {
    const user = userAt(req.params.id, res);
    if (!user) return;
    const all = desk.sessions.get(user.user_id) ?? [];
    const start =
      typeof req.query.from === 'string'
        ? Math.max(
            0,
            all.findIndex((s) => s.id === req.query.from),
          )
        : 0;
    const take = int(req.query.take, 50);
    const page = all.slice(start, start + take);
    const next = all[start + take];
    res.json(next ? { sessions: page, next: next.id } : { sessions: page });
  });

  router.delete('/users/:id/sessions', (req, res) => {
    const user = userAt(req.params.id, res);
    if (!user) return;
    if (desk.sessions.delete(user.user_id)) desk.log(user, { type: 'slo', description: 'All sessions revoked' });
    res.status(202).end();
  });

  router.get('/users/:id/logs', (req, res) => {
    const user = userAt(req.params.id, res);
    if (!user) return;
    const [field, direction] = (typeof req.query.sort === 'string' ? req.query.sort : 'date:-1').split(':') as [string, string];
    const sorted = [...(desk.logs.get(user.user_id) ?? [])].sort((a: LogEvent, b: LogEvent) => {
      const va = String(a[field] ?? '');
      const vb = String(b[field] ?? '');
      return (va < vb ? -1 : va > vb ? 1 : 0) * Number(direction);
    });
    const page = int(req.query.page, 0);
    const perPage = int(req.query.per_page, 50);
    const logs = sorted.slice(page * perPage, page * perPage + perPage);
    if (req.query.include_totals === 'true') {
      res.json({ start: page * perPage, limit: perPage, length: logs.length, total: sorted.length, logs });
    } else {
      res.json(logs);
    }
  });

  return router;
}
