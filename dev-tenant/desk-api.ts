import { Router, type Response } from 'express';
import type { DeskStore, DeviceCredential, LogEvent } from './desk-store';
import { sendApiError } from './errors';
import { CONNECTIONS } from './connections';
import { isUserId } from './user-id-format';
import type { StoredUser, UserStore } from './user-store';

/**
 * The tenant's subscription, as far as the desk can tell: the session and refresh-token endpoints
 * (`/users/{user_id}/sessions`, `/users/{user_id}/refresh-tokens`) exist on Enterprise plans only;
 * device credentials exist on every plan.
 */
export type DevTenantPlan = 'enterprise' | 'standard';
export const DEV_TENANT_PLANS: readonly DevTenantPlan[] = ['enterprise', 'standard'];
/** The environment variable of the dev tenant CLI and of `npm start`'s dev mode that picks the plan. */
export const PLAN_ENV = 'DEV_TENANT_PLAN';

/** The plan named by `DEV_TENANT_PLAN` (unset: none); an unknown name is an error naming the choices. */
export function planFromEnv(env: Record<string, string | undefined>): DevTenantPlan | undefined {
  const value = env[PLAN_ENV];
  if (value === undefined || value === '') return undefined;
  if (!(DEV_TENANT_PLANS as readonly string[]).includes(value))
    throw new Error(`${PLAN_ENV} must be one of ${DEV_TENANT_PLANS.join(', ')}`);
  return value as DevTenantPlan;
}

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
  {
    method: 'DELETE',
    template: '/users/{id}/authentication-methods/{authentication_method_id}',
    pattern: /^\/users\/[^/]+\/authentication-methods\/[^/]+$/,
    scopes: ['delete:authentication_methods'],
  },
  { method: 'GET', template: '/users/{user_id}/sessions', pattern: /^\/users\/[^/]+\/sessions$/, scopes: ['read:sessions'] },
  { method: 'DELETE', template: '/users/{user_id}/sessions', pattern: /^\/users\/[^/]+\/sessions$/, scopes: ['delete:sessions'] },
  {
    method: 'GET',
    template: '/users/{user_id}/refresh-tokens',
    pattern: /^\/users\/[^/]+\/refresh-tokens$/,
    scopes: ['read:refresh_tokens'],
  },
  {
    method: 'DELETE',
    template: '/users/{user_id}/refresh-tokens',
    pattern: /^\/users\/[^/]+\/refresh-tokens$/,
    scopes: ['delete:refresh_tokens'],
  },
  { method: 'GET', template: '/device-credentials', pattern: /^\/device-credentials$/, scopes: ['read:device_credentials'] },
  {
    method: 'DELETE',
    template: '/device-credentials/{id}',
    pattern: /^\/device-credentials\/[^/]+$/,
    scopes: ['delete:device_credentials', 'delete:current_user_device_credentials'],
  },
  { method: 'GET', template: '/users/{id}/logs', pattern: /^\/users\/[^/]+\/logs$/, scopes: ['read:logs', 'read:logs_users'] },
];

/** Auth0's default ticket lifetime, in s (5 days). */
const DEFAULT_TICKET_TTL_S = 432_000;
const JOB_ID = /^job_[A-Za-z0-9]{16}$/;
const DEVICE_CREDENTIAL_ID = /^dcr_[A-Za-z0-9]{16}$/;
/** Auth0 pages through the first 1000 log events only (as for users). */
const LOG_PAGING_CAP = 1000;
const REFRESH_TYPES = new Set(['refresh_token', 'rotating_refresh_token']);

function int(value: unknown, fallback: number): number {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : fallback;
}

/** A refresh token as `GET /users/{user_id}/refresh-tokens` shows it (Enterprise). */
function refreshTokenView(credential: DeviceCredential): Record<string, unknown> {
  return {
    id: credential.id,
    user_id: credential.user_id,
    client_id: credential.client_id,
    created_at: credential.created_at,
    idle_expires_at: credential.idle_expires_at ?? null,
    expires_at: credential.expires_at ?? null,
    last_exchanged_at: credential.last_exchanged_at ?? null,
    rotating: credential.type === 'rotating_refresh_token',
    session_id: credential.session_id ?? null,
    ...(credential.device ? { device: credential.device } : {}),
    resource_servers: [],
  };
}

/** A device credential as `GET /device-credentials` shows it (never the token itself). */
function credentialView(credential: DeviceCredential): Record<string, unknown> {
  const { id, device_name, device_id, type, user_id, client_id } = credential;
  return { id, device_name, device_id, type, user_id, client_id };
}

/** The Enterprise-only endpoints on another plan: refused as Auth0 refuses a feature the plan lacks (modelled). */
function notOnPlan(res: Response, feature: string): void {
  sendApiError(res, 403, `The ${feature} endpoints are available on Enterprise plans only.`, 'operation_not_supported');
}

/**
 * The support-desk endpoints of the Management API v2, stateful (see desk-store.ts). Requests have
 * passed the tenant's token, scope and OpenAPI checks before they get here. User ids follow the same
 * rule as the users endpoints (user-id-format.ts): `/` and `:` included, percent-encoded in the path.
 */
export function deskApi(
  users: UserStore,
  desk: DeskStore,
  now: () => number,
  baseUrl: () => string,
  plan: () => DevTenantPlan = () => 'standard',
): Router {
  const router = Router();
  /** The user the id names, or an Auth0 error answered. */
  const userAt = (id: string, res: Response): StoredUser | undefined => {
    if (!isUserId(id)) {
      sendApiError(res, 400, `Object didn't pass validation for format user-id: ${id.slice(0, 600)}`, 'invalid_uri');
      return undefined;
    }
    const user = users.get(id);
    if (!user) sendApiError(res, 404, 'The user does not exist.', 'inexistent_user');
    return user;
  };
  const iso = (ms: number) => new Date(ms).toISOString();
  const refreshTokensOf = (user: StoredUser) => (desk.deviceCredentials.get(user.user_id) ?? []).filter((c) => REFRESH_TYPES.has(c.type));

  router.post('/tickets/password-change', (req, res) => {
    const body = req.body as Record<string, unknown>;
    if (typeof body.user_id !== 'string')
      return sendApiError(res, 400, 'Payload validation error: user_id is required in this tenant.', 'invalid_body');
    // Auth0: result_url applies to the classic Universal Login only and cannot be combined with client_id.
    if (body.result_url !== undefined && body.client_id !== undefined)
      return sendApiError(res, 400, 'Payload validation error: result_url cannot be specified along with client_id.', 'invalid_body');
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
      ...(typeof body.client_id === 'string' ? { client_id: body.client_id } : {}),
    });
    desk.log(user, { type: 'scpr', description: 'Password change ticket created' });
    res.status(201).json({ ticket: url });
  });

  router.post('/jobs/verification-email', (req, res) => {
    const body = req.body as Record<string, unknown>;
    const user = userAt(String(body.user_id), res);
    if (!user) return;
    if (!user.email) return sendApiError(res, 400, 'The user does not have an email address.', 'invalid_body');
    // Auth0 verifies the primary identity unless told which: a social, enterprise or passwordless one must be named.
    const primary = user.identities[0];
    const identity = body.identity as { user_id?: unknown; provider?: unknown } | undefined;
    if (identity === undefined && primary && primary.provider !== 'auth0')
      return sendApiError(
        res,
        400,
        `The user's primary identity is a ${primary.provider} identity: send identity {user_id, provider} to verify it.`,
        'invalid_body',
      );
    if (identity !== undefined && !user.identities.some((i) => i.user_id === identity.user_id && i.provider === identity.provider))
      return sendApiError(res, 400, 'The identity does not belong to the user.', 'invalid_body');
    const job = {
      id: desk.newJobId(),
      type: 'verification_email' as const,
      status: 'pending' as 'pending' | 'completed',
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
    // Auth0 answers the job `pending` and runs it later; here it has run by the time anyone looks.
    job.status = 'completed';
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
    const all = desk.methods.get(user.user_id) ?? [];
    const paged = req.query.page !== undefined || req.query.per_page !== undefined;
    const perPage = int(req.query.per_page, 50);
    const start = int(req.query.page, 0) * perPage;
    const methods = paged ? all.slice(start, start + perPage) : all;
    if (req.query.include_totals === 'true') {
      res.json({ authenticators: methods, start: paged ? start : 0, limit: paged ? perPage : all.length, total: all.length });
    } else {
      res.json(methods);
    }
  });

  // Auth0 removes every authentication method, passkeys and passwords included (modelled: never kinder).
  router.delete('/users/:id/authentication-methods', (req, res) => {
    const user = userAt(req.params.id, res);
    if (!user) return;
    if (desk.methods.delete(user.user_id)) desk.log(user, { type: 'sapi', description: 'All authentication methods deleted' });
    res.status(204).end();
  });

  router.delete('/users/:id/authentication-methods/:methodId', (req, res) => {
    const user = userAt(req.params.id, res);
    if (!user) return;
    const methods = desk.methods.get(user.user_id) ?? [];
    const index = methods.findIndex((m) => m.id === req.params.methodId);
    if (index < 0) return sendApiError(res, 404, 'The authentication method does not exist.', 'inexistent_authentication_method');
    const [removed] = methods.splice(index, 1);
    if (methods.length === 0) desk.methods.delete(user.user_id);
    desk.log(user, { type: 'sapi', description: `Authentication method deleted: ${removed!.type}` });
    res.status(204).end();
  });

  router.post('/users/:id/multifactor/actions/invalidate-remember-browser', (req, res) => {
    const user = userAt(req.params.id, res);
    if (!user) return;
    desk.rememberedBrowserResets.set(user.user_id, (desk.rememberedBrowserResets.get(user.user_id) ?? 0) + 1);
    res.status(204).end();
  });

  router.get('/users/:id/sessions', (req, res) => {
    if (plan() !== 'enterprise') return notOnPlan(res, 'session');
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

  // Ends the sessions only: refresh tokens stay valid (Auth0 documents it so).
  router.delete('/users/:id/sessions', (req, res) => {
    if (plan() !== 'enterprise') return notOnPlan(res, 'session');
    const user = userAt(req.params.id, res);
    if (!user) return;
    if (desk.sessions.delete(user.user_id)) desk.log(user, { type: 'slo', description: 'All sessions revoked' });
    res.status(202).end();
  });

  router.get('/users/:id/refresh-tokens', (req, res) => {
    if (plan() !== 'enterprise') return notOnPlan(res, 'refresh-token');
    const user = userAt(req.params.id, res);
    if (!user) return;
    const all = refreshTokensOf(user);
    const start =
      typeof req.query.from === 'string'
        ? Math.max(
            0,
            all.findIndex((c) => c.id === req.query.from),
          )
        : 0;
    const take = int(req.query.take, 50);
    const next = all[start + take];
    const tokens = all.slice(start, start + take).map(refreshTokenView);
    res.json(next ? { tokens, next: next.id } : { tokens });
  });

  router.delete('/users/:id/refresh-tokens', (req, res) => {
    if (plan() !== 'enterprise') return notOnPlan(res, 'refresh-token');
    const user = userAt(req.params.id, res);
    if (!user) return;
    const kept = (desk.deviceCredentials.get(user.user_id) ?? []).filter((c) => !REFRESH_TYPES.has(c.type));
    desk.deviceCredentials.set(user.user_id, kept);
    res.status(202).end();
  });

  // Every plan: listed by user and type, paged (the first page of 50 unless asked).
  router.get('/device-credentials', (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const type = q.type ?? 'refresh_token';
    let all = q.user_id !== undefined ? (desk.deviceCredentials.get(q.user_id) ?? []) : [...desk.deviceCredentials.values()].flat();
    all = all.filter((c) => c.type === type && (q.client_id === undefined || c.client_id === q.client_id));
    const perPage = int(q.per_page, 50);
    const page = int(q.page, 0);
    const credentials = all.slice(page * perPage, page * perPage + perPage).map(credentialView);
    if (q.include_totals === 'true')
      res.json({ device_credentials: credentials, start: page * perPage, limit: perPage, total: all.length });
    else res.json(credentials);
  });

  router.delete('/device-credentials/:id', (req, res) => {
    if (!DEVICE_CREDENTIAL_ID.test(req.params.id))
      return sendApiError(
        res,
        400,
        `Object didn't pass validation for format device-credential-id: ${req.params.id.slice(0, 100)}`,
        'invalid_uri',
      );
    for (const [userId, list] of desk.deviceCredentials) {
      const index = list.findIndex((c) => c.id === req.params.id);
      if (index < 0) continue;
      list.splice(index, 1);
      const user = users.get(userId);
      if (user) desk.log(user, { type: 'sapi', description: 'Device credential deleted' });
      return res.status(204).end();
    }
    sendApiError(res, 404, 'The device credential does not exist.', 'inexistent_device_credential');
  });

  router.get('/users/:id/logs', (req, res) => {
    const user = userAt(req.params.id, res);
    if (!user) return;
    const page = int(req.query.page, 0);
    const perPage = int(req.query.per_page, 50);
    if (page * perPage + perPage > LOG_PAGING_CAP)
      return sendApiError(
        res,
        400,
        `You can only page through the first ${LOG_PAGING_CAP} records. See https://auth0.com/docs/logs/retrieve-log-events-using-mgmt-api#limitations`,
        'invalid_paging',
      );
    // `sort` was checked against the contract's pattern (date, connection, client_id, ...).
    const [field, direction] = (typeof req.query.sort === 'string' ? req.query.sort : 'date:-1').split(':') as [string, string];
    const sorted = [...(desk.logs.get(user.user_id) ?? [])].sort((a: LogEvent, b: LogEvent) => {
      const va = String(a[field] ?? '');
      const vb = String(b[field] ?? '');
      return (va < vb ? -1 : va > vb ? 1 : 0) * Number(direction);
    });
    const logs = sorted.slice(page * perPage, page * perPage + perPage);
    if (req.query.include_totals === 'true') {
      res.json({ start: page * perPage, limit: perPage, length: logs.length, total: sorted.length, logs });
    } else {
      res.json(logs);
    }
  });

  return router;
}
