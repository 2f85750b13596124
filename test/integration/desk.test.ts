import { DEFAULT_CLIENT, DEMO_USERS, type DevTenant, type StoredUser } from '../../dev-tenant';
import { deskRoutes } from '../../src/http/contract/desk';
import { successStatus } from '../../src/http/contract/route';
import { startStack, type Stack } from '../helpers/stack';
import { seedTarget } from '../helpers/targets';

/** An Enterprise tenant, and usergate told so: the session and refresh-token endpoints are there. */
const ENTERPRISE = { env: { AUTH0_PLAN: 'enterprise' }, tenant: { plan: 'enterprise' as const } };

/**
 * The support desk over real HTTP against the dev tenant (an Enterprise one; desk-auth0.test.ts covers
 * the other plans), with the shipped config/acl.yaml: per route,
 * allowed, forbidden, out of scope, protected target, oneself, missing scope at Auth0 and upstream
 * faults; whenever usergate refuses, the desk endpoint upstream was never called.
 */
type Method = 'get' | 'post' | 'delete';
interface Route {
  method: Method;
  suffix: string;
  action: string;
  /** The dev tenant's operation the route forwards to. */
  upstream: string;
  status: number;
  /** A scope whose absence makes Auth0 refuse the forwarded call. */
  scope: string;
}
/** What each desk route asks of Auth0 (the test's own knowledge of the Management API), by operationId. */
const AUTH0: Record<string, { upstream: string; scope: string }> = {
  createPasswordChangeTicket: { upstream: 'POST /tickets/password-change', scope: 'create:user_tickets' },
  sendVerificationEmail: { upstream: 'POST /jobs/verification-email', scope: 'update:users' },
  getUserBlocks: { upstream: 'GET /user-blocks/{id}', scope: 'read:users' },
  deleteUserBlocks: { upstream: 'DELETE /user-blocks/{id}', scope: 'update:users' },
  getAuthenticationMethods: { upstream: 'GET /users/{id}/authentication-methods', scope: 'read:authentication_methods' },
  // Each factor is deleted by id; the remembered browsers are forgotten once.
  deleteAuthenticationMethods: {
    upstream: 'POST /users/{id}/multifactor/actions/invalidate-remember-browser',
    scope: 'delete:authentication_methods',
  },
  getSessions: { upstream: 'GET /users/{user_id}/sessions', scope: 'read:sessions' },
  deleteSessions: { upstream: 'DELETE /users/{user_id}/sessions', scope: 'delete:sessions' },
  getRefreshTokens: { upstream: 'GET /users/{user_id}/refresh-tokens', scope: 'read:refresh_tokens' },
  getUserLogs: { upstream: 'GET /users/{id}/logs', scope: 'read:logs' },
};
/** The desk's routes as the contract mounts them (method, path, action, success status), with what each asks of Auth0. */
const ROUTES: Route[] = Object.values(deskRoutes).map((route) => {
  const auth0 = AUTH0[route.operationId];
  if (!auth0) throw new Error(`desk route ${route.operationId} has no entry in AUTH0 above: say what it forwards to and its scope`);
  return {
    method: route.method as Method,
    suffix: route.path.split('/').pop()!,
    action: route.action,
    status: successStatus(route),
    ...auth0,
  };
});
const RESULT_URL = 'https://app.example/password-changed';

/** Gives a fresh user desk state: a block, three factors, two sessions, two log events. */
function withDeskState(tenant: DevTenant, user: StoredUser): StoredUser {
  tenant.desk.blocks.set(user.user_id, [{ identifier: user.email!, ip: '203.0.113.7', connection: 'Username-Password-Authentication' }]);
  tenant.desk.methods.set(user.user_id, [
    { id: 'totp|dev_a', type: 'totp', name: 'App', confirmed: true, created_at: '2026-01-01T00:00:00.000Z', totp_secret: 'SECRETSECRET' },
    { id: 'phone|dev_b', type: 'phone', confirmed: true, created_at: '2026-01-02T00:00:00.000Z', phone_number: '+15550100' },
    {
      id: 'webauthn-roaming|dev_c',
      type: 'webauthn-roaming',
      created_at: '2026-01-03T00:00:00.000Z',
      public_key: 'PUBKEY',
      key_id: 'KEYID',
    },
  ]);
  for (const n of [1, 2]) {
    const sessions = tenant.desk.sessions.get(user.user_id) ?? [];
    sessions.push({
      id: `sess_${n}`,
      user_id: user.user_id,
      created_at: '2026-01-01T00:00:00.000Z',
      device: { initial_ip: '198.51.100.4', last_ip: '198.51.100.4', initial_user_agent: 'UA', last_user_agent: 'UA' },
      clients: [{ client_id: 'spa', secret: 'x' }],
    });
    tenant.desk.sessions.set(user.user_id, sessions);
  }
  tenant.desk.log(user, {
    type: 's',
    description: 'Successful login',
    ip: '198.51.100.4',
    user_agent: 'UA',
    connection: 'db',
    details: { x: 1 },
  });
  tenant.desk.log(user, {
    type: 'fp',
    description: 'Wrong password',
    ip: '203.0.113.7',
    user_agent: 'UA',
    connection: 'db',
    details: { y: 2 },
  });
  return user;
}

function calls(tenant: DevTenant, operation: string): number {
  return tenant.requestLog.filter((r) => r.operation === operation).length;
}

describe('support desk routes', () => {
  let stack: Stack;
  let org: string;
  let otherOrg: string;
  const token = (sub: string) => stack.tokenFor(sub);
  const call = (route: Route, sub: string, userId: string) => {
    const req = stack.as(token(sub))[route.method](`/users/${encodeURIComponent(userId)}/${route.suffix}`);
    return route.method === 'post' ? req.set('content-type', 'application/json').send('{}') : req;
  };
  beforeAll(async () => {
    stack = await startStack({
      env: { ...ENTERPRISE.env, TICKET_RESULT_URLS: `${RESULT_URL},https://other.example/done` },
      tenant: ENTERPRISE.tenant,
    });
    org = stack.tenant.store.get(DEMO_USERS.support)!.app_metadata!.org as string;
    otherOrg = stack.tenant.store
      .all()
      .map((u) => u.app_metadata?.org as string | undefined)
      .find((o) => o && o !== org)!;
  });
  afterAll(async () => {
    expect(stack.tenant.invalidRequests()).toEqual([]);
    await stack.stop();
  });

  describe.each(ROUTES)('$method /users/:id/$suffix ($action)', (route) => {
    it('support, on a user of its org: allowed, forwarded once, audited', async () => {
      const target = withDeskState(stack.tenant, seedTarget(stack.tenant, { org }));
      const before = calls(stack.tenant, route.upstream);
      const res = await call(route, DEMO_USERS.support, target.user_id);
      expect(res.status).toBe(route.status);
      expect(calls(stack.tenant, route.upstream)).toBe(before + 1);
      expect(
        stack.logs.some((l) => l.audit === true && l.action === route.action && l.target === target.user_id && l.outcome === 'allowed'),
      ).toBe(true);
    });

    it('a role without the action (viewer): 403 action_forbidden, nothing forwarded', async () => {
      const target = seedTarget(stack.tenant, { org });
      const before = calls(stack.tenant, route.upstream);
      const res = await call(route, DEMO_USERS.viewer, target.user_id);
      expect([res.status, res.body.errorCode]).toEqual([403, 'action_forbidden']);
      expect(calls(stack.tenant, route.upstream)).toBe(before);
    });

    it('support, on a user of another org: 404, nothing forwarded', async () => {
      const target = withDeskState(stack.tenant, seedTarget(stack.tenant, { org: otherOrg }));
      const before = calls(stack.tenant, route.upstream);
      const res = await call(route, DEMO_USERS.support, target.user_id);
      expect([res.status, res.body.errorCode]).toEqual([404, 'user_not_found']);
      expect(calls(stack.tenant, route.upstream)).toBe(before);
    });

    it('a target holding a role the caller may not grant: 403 target_protected for support, allowed for admin', async () => {
      const target = withDeskState(stack.tenant, seedTarget(stack.tenant, { org, roles: ['support'] }));
      const before = calls(stack.tenant, route.upstream);
      const res = await call(route, DEMO_USERS.support, target.user_id);
      expect([res.status, res.body.errorCode]).toEqual([403, 'target_protected']);
      expect(calls(stack.tenant, route.upstream)).toBe(before);
      expect((await call(route, DEMO_USERS.admin, target.user_id)).status).toBe(route.status);
    });

    const selfAllowed = route.action === 'logout';
    it(`on oneself: ${selfAllowed ? 'allowed (the shipped self section lists logout)' : '403 self_forbidden, nothing forwarded'}`, async () => {
      const before = calls(stack.tenant, route.upstream);
      const res = await call(route, DEMO_USERS.support, DEMO_USERS.support);
      if (selfAllowed) {
        expect(res.status).toBe(route.status);
        expect(calls(stack.tenant, route.upstream)).toBe(before + 1);
      } else {
        expect([res.status, res.body.errorCode]).toEqual([403, 'self_forbidden']);
        expect(calls(stack.tenant, route.upstream)).toBe(before);
      }
    });
  });

  describe('what each route answers', () => {
    it('a ticket: returned to the caller only, never in a log line; result_url only from TICKET_RESULT_URLS', async () => {
      const target = seedTarget(stack.tenant, { org });
      const path = `/users/${encodeURIComponent(target.user_id)}/password-change-ticket`;
      const before = calls(stack.tenant, 'POST /tickets/password-change');
      const refused = await stack.as(token(DEMO_USERS.support)).post(path).send({ result_url: 'https://phish.example/login' });
      expect([refused.status, refused.body.errorCode]).toEqual([400, 'result_url_not_allowed']);
      const near = await stack
        .as(token(DEMO_USERS.support))
        .post(path)
        .send({ result_url: `${RESULT_URL}/` });
      expect(near.body.errorCode).toBe('result_url_not_allowed');
      const bad = await stack.as(token(DEMO_USERS.support)).post(path).send({ ttl_sec: -5, user_id: 'auth0|someone-else' });
      expect(bad.status).toBe(400);
      expect(calls(stack.tenant, 'POST /tickets/password-change')).toBe(before);

      const res = await stack
        .as(token(DEMO_USERS.support))
        .post(path)
        .send({ result_url: RESULT_URL, ttl_sec: 3600, mark_email_as_verified: true });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(['ticket']);
      const ticket = res.body.ticket as string;
      const stored = [...stack.tenant.desk.tickets.values()].find((t) => t.url === ticket)!;
      expect(stored).toMatchObject({ user_id: target.user_id, result_url: RESULT_URL, mark_email_as_verified: true });
      const code = new URL(ticket).searchParams.get('ticket')!;
      const logged = JSON.stringify(stack.logs);
      expect(logged).toContain(target.user_id);
      expect(logged).not.toContain(code);
    });

    it('a verification email: the job as Auth0 answers it (pending), which the tenant shows at /jobs/{id}', async () => {
      const target = seedTarget(stack.tenant, { org });
      const res = await stack.as(token(DEMO_USERS.support)).post(`/users/${encodeURIComponent(target.user_id)}/verification-email`);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ type: 'verification_email', status: 'pending' });
      expect(stack.tenant.desk.jobs.get(res.body.id)).toMatchObject({ user_id: target.user_id });
      const withBody = await stack
        .as(token(DEMO_USERS.support))
        .post(`/users/${encodeURIComponent(target.user_id)}/verification-email`)
        .send({ user_id: DEMO_USERS.admin });
      expect([withBody.status, withBody.body.errorCode]).toEqual([400, 'invalid_body']);
    });

    it('blocks: identifier and connection; the IP only for a role whose log_fields name ip; DELETE lifts them', async () => {
      const target = withDeskState(stack.tenant, seedTarget(stack.tenant, { org }));
      const path = `/users/${encodeURIComponent(target.user_id)}/blocks`;
      expect((await stack.as(token(DEMO_USERS.support)).get(path)).body).toEqual({
        blocked_for: [{ identifier: target.email, connection: 'Username-Password-Authentication' }],
      });
      expect((await stack.as(token(DEMO_USERS.admin)).get(path)).body.blocked_for[0].ip).toBe('203.0.113.7');
      expect((await stack.as(token(DEMO_USERS.support)).delete(path)).status).toBe(204);
      expect(stack.tenant.desk.blocks.has(target.user_id)).toBe(false);
    });

    it('authentication methods: type, name and dates, never secrets; DELETE removes them and forgets remembered browsers', async () => {
      const target = withDeskState(stack.tenant, seedTarget(stack.tenant, { org }));
      const path = `/users/${encodeURIComponent(target.user_id)}/authentication-methods`;
      const list = await stack.as(token(DEMO_USERS.admin)).get(path);
      expect(list.body.map((m: Record<string, unknown>) => m.type)).toEqual(['totp', 'phone', 'webauthn-roaming']);
      const keys = new Set(list.body.flatMap((m: Record<string, unknown>) => Object.keys(m)));
      expect([...keys].sort()).toEqual(['confirmed', 'created_at', 'id', 'name', 'type']);
      expect(JSON.stringify(list.body)).not.toMatch(/SECRETSECRET|PUBKEY|KEYID|\+15550100/);
      expect((await stack.as(token(DEMO_USERS.support)).delete(path)).status).toBe(204);
      expect(stack.tenant.desk.methods.has(target.user_id)).toBe(false);
      expect(stack.tenant.desk.rememberedBrowserResets.get(target.user_id)).toBe(1);
    });

    it('sessions: ids and dates; the device IP and user agent only where log_fields name them; paging with take/from', async () => {
      const target = withDeskState(stack.tenant, seedTarget(stack.tenant, { org }));
      const path = `/users/${encodeURIComponent(target.user_id)}/sessions`;
      const support = await stack.as(token(DEMO_USERS.support)).get(`${path}?take=1`);
      expect(support.body).toEqual({
        sessions: [{ id: 'sess_1', created_at: '2026-01-01T00:00:00.000Z', clients: [{ client_id: 'spa' }] }],
        next: 'sess_2',
      });
      const admin = await stack.as(token(DEMO_USERS.admin)).get(`${path}?from=sess_2`);
      expect(admin.body.sessions[0].device).toEqual({
        initial_ip: '198.51.100.4',
        last_ip: '198.51.100.4',
        initial_user_agent: 'UA',
        last_user_agent: 'UA',
      });
      const bad = await stack.as(token(DEMO_USERS.support)).get(`${path}?take=500`);
      expect([bad.status, bad.body.errorCode]).toEqual([400, 'invalid_query']);
    });

    it("logs: each event cut to the role's log_fields (ip, user_agent, details only where named); sorting on a field is reading it", async () => {
      const target = withDeskState(stack.tenant, seedTarget(stack.tenant, { org }));
      const path = `/users/${encodeURIComponent(target.user_id)}/logs`;
      const support = await stack.as(token(DEMO_USERS.support)).get(`${path}?include_totals=true&per_page=10&sort=date:1`);
      expect(support.status).toBe(200);
      expect(support.body).toMatchObject({ start: 0, limit: 10, length: 2, total: 2 });
      for (const event of support.body.logs)
        expect(Object.keys(event).sort()).toEqual(['client_name', 'connection', 'date', 'description', 'type']);
      expect(support.body.logs.map((e: Record<string, unknown>) => e.type)).toEqual(['s', 'fp']);
      const admin = await stack.as(token(DEMO_USERS.admin)).get(path);
      expect(admin.body[0]).toMatchObject({ ip: expect.any(String), user_agent: 'UA', details: expect.any(Object) });
      expect(admin.body[0].user_name).toBeUndefined();
      const before = calls(stack.tenant, 'GET /users/{id}/logs');
      const sortOnIp = await stack.as(token(DEMO_USERS.support)).get(`${path}?sort=ip:1`);
      expect([sortOnIp.status, sortOnIp.body.errorCode]).toEqual([403, 'field_not_readable']);
      for (const query of ['per_page=0', 'page=-1', 'include_totals=yes', 'sort=date', 'sort=details.ip:1', 'q=x']) {
        expect((await stack.as(token(DEMO_USERS.support)).get(`${path}?${query}`)).status).toBe(400);
      }
      expect(calls(stack.tenant, 'GET /users/{id}/logs')).toBe(before);
    });

    it('/me/permissions lists the desk actions, the log fields and what self allows', async () => {
      const res = await stack.as(token(DEMO_USERS.support)).get('/me/permissions');
      expect(res.body.actions).toEqual(
        expect.arrayContaining(['reset_password', 'send_verification', 'unblock', 'reset_mfa', 'logout', 'read_logs']),
      );
      expect(res.body.scope.read_logs).toBe('org');
      expect(res.body.log_fields).toEqual(['client_name', 'connection', 'date', 'description', 'type']);
      expect(res.body.self.can).toEqual(['logout']);
      expect((await stack.as(token(DEMO_USERS.viewer)).get('/me/permissions')).body.log_fields).toEqual([]);
    });

    it('an unknown method on a desk path is 405 with Allow; a malformed id is 400 before anything is forwarded', async () => {
      const res = await stack.as(token(DEMO_USERS.support)).patch(`/users/${encodeURIComponent(DEMO_USERS.viewer)}/sessions`);
      expect([res.status, res.headers.allow]).toEqual([405, 'GET, DELETE']);
      const apiCalls = stack.tenant.counters.apiCalls;
      const bad = await stack.as(token(DEMO_USERS.admin)).get('/users/not-an-id/logs');
      expect([bad.status, bad.body.errorCode]).toEqual([400, 'invalid_user_id']);
      expect(stack.tenant.counters.apiCalls).toBe(apiCalls);
    });
  });

  describe('upstream faults', () => {
    afterEach(() => stack.tenant.faults.clear());

    it('a GET is retried after a 503; the ticket POST is not retried and answers 502', async () => {
      const target = withDeskState(stack.tenant, seedTarget(stack.tenant, { org }));
      const id = encodeURIComponent(target.user_id);
      stack.tenant.faults.inject({ method: 'GET', path: `/api/v2/users/${id}/logs`, kind: 'status', status: 503 });
      const before = calls(stack.tenant, 'GET /users/{id}/logs');
      expect((await stack.as(token(DEMO_USERS.support)).get(`/users/${id}/logs`)).status).toBe(200);
      expect(calls(stack.tenant, 'GET /users/{id}/logs')).toBe(before + 2);

      stack.tenant.faults.inject({ method: 'POST', path: '/api/v2/tickets/password-change', kind: 'status', status: 503 });
      const posts = calls(stack.tenant, 'POST /tickets/password-change');
      const res = await stack.as(token(DEMO_USERS.support)).post(`/users/${id}/password-change-ticket`);
      expect([res.status, res.body.errorCode]).toEqual([502, 'upstream_error']);
      expect(calls(stack.tenant, 'POST /tickets/password-change')).toBe(posts + 1);
    });

    it('an MFA reset whose second call fails (after its retries: it is idempotent) says the factors are gone and the request can be repeated', async () => {
      const target = withDeskState(stack.tenant, seedTarget(stack.tenant, { org }));
      const invalidate = 'POST /users/{id}/multifactor/actions/invalidate-remember-browser';
      const before = calls(stack.tenant, invalidate);
      const path = `/users/${encodeURIComponent(target.user_id)}/authentication-methods`;
      stack.tenant.faults.inject({
        method: 'POST',
        path: `/api/v2${path.replace('authentication-methods', 'multifactor/actions/invalidate-remember-browser')}`,
        kind: 'status',
        status: 500,
        times: 10,
      });
      const res = await stack.as(token(DEMO_USERS.support)).delete(path);
      expect(res.status).toBe(502);
      expect(res.body.message).toContain('repeat the request');
      expect(calls(stack.tenant, invalidate)).toBe(before + 1 + stack.config.management.maxRetries);
      stack.tenant.faults.clear();
      expect((await stack.as(token(DEMO_USERS.support)).delete(path)).status).toBe(204);
      expect(stack.tenant.desk.rememberedBrowserResets.get(target.user_id)).toBe(1);
    });

    it('a timeout is a 504', async () => {
      const target = seedTarget(stack.tenant, { org });
      const id = encodeURIComponent(target.user_id);
      stack.tenant.faults.inject({ method: 'GET', path: `/api/v2/users/${id}/sessions`, kind: 'latency', ms: 1500, times: 10 });
      const res = await stack.as(token(DEMO_USERS.support)).get(`/users/${id}/sessions`);
      expect([res.status, res.body.errorCode]).toEqual([504, 'upstream_timeout']);
    });
  });
});

describe('a machine token without a scope a desk route needs', () => {
  describe.each(ROUTES)('$method /users/:id/$suffix', (route) => {
    let stack: Stack;
    beforeAll(async () => {
      const scopes = DEFAULT_CLIENT.scopes.filter((s) => s !== route.scope && !(route.scope === 'read:logs' && s === 'read:logs_users'));
      stack = await startStack({
        env: { ...ENTERPRISE.env, ROLES_SOURCE: 'claim', CLAIM_BLOCKED_CHECK: 'false' },
        tenant: { ...ENTERPRISE.tenant, clients: [{ ...DEFAULT_CLIENT, scopes }] },
      });
    });
    afterAll(() => stack.stop());

    it(`is a 502 mgmt_scope_missing naming ${route.scope}; /readyz warns naming the action and the scope`, async () => {
      const target = withDeskState(stack.tenant, seedTarget(stack.tenant, { org: 'x' }));
      const caller = stack.tokenFor('auth0|desk-admin', { claims: { 'https://usergate.dev/roles': ['admin'] } });
      let req = stack.as(caller)[route.method](`/users/${encodeURIComponent(target.user_id)}/${route.suffix}`);
      if (route.method === 'post') req = req.set('content-type', 'application/json').send('{}');
      const res = await req;
      expect([res.status, res.body.errorCode]).toEqual([502, 'mgmt_scope_missing']);
      expect(res.body.message).toContain(route.scope);
      const ready = await stack.http.get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body.checks.machineToken.state).toBe('warning');
      expect(ready.body.checks.machineToken.detail).toContain(`"${route.action}"`);
      expect(ready.body.checks.machineToken.detail).toContain(route.scope);
    });
  });
});
