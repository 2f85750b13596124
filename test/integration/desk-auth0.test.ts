import { DEMO_USERS, type DevTenant, type StoredUser } from '../../dev-tenant';
import { startStack, type Stack } from '../helpers/stack';
import { seedTarget } from '../helpers/targets';

/**
 * The support desk as Auth0 really behaves (issue: "truth at the edges"), over real HTTP against the
 * dev tenant: what each desk route sends upstream, per plan, and how Auth0's own refusals come back.
 */
const RESULT_URL = 'https://app.example/password-changed';
const TICKET_CLIENT = 'usergate-dev-spa';

function requests(tenant: DevTenant, operation: string) {
  return tenant.requestLog.filter((r) => r.operation === operation);
}

/** Refresh tokens of both kinds (`refreshes` plain ones, `rotating` rotating ones) and a public key. */
function withCredentials(tenant: DevTenant, user: StoredUser, refreshes: number, rotating: number): void {
  for (let i = 0; i < refreshes; i++) tenant.desk.addDeviceCredential(user, { type: 'refresh_token', device_name: `phone ${i}` });
  for (let i = 0; i < rotating; i++) tenant.desk.addDeviceCredential(user, { type: 'rotating_refresh_token', client_id: 'spa-2' });
  tenant.desk.addDeviceCredential(user, { type: 'public_key', device_name: 'laptop' });
  tenant.desk.sessions.set(user.user_id, [{ id: 'sess_a', user_id: user.user_id, created_at: '2026-01-01T00:00:00.000Z' }]);
}

const typesLeft = (tenant: DevTenant, user: StoredUser) => (tenant.desk.deviceCredentials.get(user.user_id) ?? []).map((c) => c.type);

describe.each([
  { plan: 'enterprise' as const, sessions: 'ended' },
  { plan: 'standard' as const, sessions: 'not_available_on_plan' },
])('sign-out on an $plan tenant (AUTH0_PLAN=$plan)', ({ plan, sessions }) => {
  let stack: Stack;
  let org: string;
  const support = () => stack.as(stack.tokenFor(DEMO_USERS.support));
  beforeAll(async () => {
    stack = await startStack({ env: { AUTH0_PLAN: plan }, tenant: { plan } });
    org = stack.tenant.store.get(DEMO_USERS.support)!.app_metadata!.org as string;
  });
  afterAll(async () => {
    expect(stack.tenant.invalidRequests()).toEqual([]);
    await stack.stop();
  });
  afterEach(() => stack.tenant.faults.clear());

  it(`revokes every refresh token (both kinds, every page), leaves public keys; sessions: ${sessions}`, async () => {
    const target = seedTarget(stack.tenant, { org });
    withCredentials(stack.tenant, target, 120, 2);
    const path = `/users/${encodeURIComponent(target.user_id)}`;
    const listed = await support().get(`${path}/refresh-tokens`);
    expect(listed.status).toBe(200);
    expect(listed.body.refresh_tokens).toHaveLength(122);
    expect(new Set(listed.body.refresh_tokens.map((t: { type: string }) => t.type))).toEqual(
      new Set(['refresh_token', 'rotating_refresh_token']),
    );
    const before = stack.tenant.requestLog.length;
    const res = await support().delete(`${path}/sessions`);
    expect([res.status, res.body]).toEqual([200, { sessions, refresh_tokens_revoked: 122 }]);
    expect(typesLeft(stack.tenant, target)).toEqual(['public_key']);
    const calls = stack.tenant.requestLog.slice(before).map((r) => r.operation);
    if (plan === 'enterprise') {
      expect(calls.filter((c) => c === 'DELETE /users/{user_id}/refresh-tokens')).toHaveLength(1);
      expect(calls.filter((c) => c === 'DELETE /users/{user_id}/sessions')).toHaveLength(1);
      expect(calls).not.toContain('DELETE /device-credentials/{id}');
      expect(stack.tenant.desk.sessions.has(target.user_id)).toBe(false);
    } else {
      expect(calls.filter((c) => c === 'DELETE /device-credentials/{id}')).toHaveLength(122);
      const pages = stack.tenant.requestLog
        .slice(before)
        .filter((r) => r.operation === 'GET /device-credentials')
        .map((r) => `${String(r.query.type)}:${String(r.query.page)}`);
      expect(pages).toEqual(['refresh_token:0', 'refresh_token:1', 'rotating_refresh_token:0']);
      expect(calls.some((c) => c.includes('/sessions') || c.includes('/refresh-tokens'))).toBe(false);
      // The session is left to expire: the plan has no endpoint to end it.
      expect(stack.tenant.desk.sessions.get(target.user_id)).toHaveLength(1);
    }
    expect(
      stack.logs.some((l) => l.audit === true && l.action === 'logout' && l.target === target.user_id && l.outcome === 'allowed'),
    ).toBe(true);
  });

  it('stopped half-way by Auth0, the error says how many refresh tokens were revoked; repeating finishes', async () => {
    const target = seedTarget(stack.tenant, { org });
    withCredentials(stack.tenant, target, 2, 0);
    const path = `/users/${encodeURIComponent(target.user_id)}/sessions`;
    const second = stack.tenant.desk.deviceCredentials.get(target.user_id)![1]!.id;
    stack.tenant.faults.inject(
      plan === 'enterprise'
        ? { method: 'DELETE', path: `/api/v2${path}`, kind: 'status', status: 500, times: 10 }
        : { method: 'DELETE', path: `/api/v2/device-credentials/${second}`, kind: 'status', status: 500, times: 10 },
    );
    const res = await support().delete(path);
    expect([res.status, res.body.errorCode]).toEqual([502, 'upstream_error']);
    expect(res.body.message).toContain(
      plan === 'enterprise'
        ? 'all 2 refresh token(s) were revoked, but the sessions were not ended'
        : '1 of 2 refresh token(s) were revoked',
    );
    stack.tenant.faults.clear();
    const again = await support().delete(path);
    expect(again.body).toEqual({ sessions, refresh_tokens_revoked: plan === 'enterprise' ? 0 : 1 });
    expect(typesLeft(stack.tenant, target)).toEqual(['public_key']);
  });

  if (plan === 'standard') {
    it('GET /users/:id/sessions is 501 not_available_on_plan, and Auth0 is not asked', async () => {
      const target = seedTarget(stack.tenant, { org });
      const before = requests(stack.tenant, 'GET /users/{user_id}/sessions').length;
      const res = await support().get(`/users/${encodeURIComponent(target.user_id)}/sessions`);
      expect([res.status, res.body.errorCode]).toEqual([501, 'not_available_on_plan']);
      expect(requests(stack.tenant, 'GET /users/{user_id}/sessions')).toHaveLength(before);
    });

    it('a device credential already gone (Auth0 404) is not counted, and does not stop the rest', async () => {
      const target = seedTarget(stack.tenant, { org });
      withCredentials(stack.tenant, target, 3, 0);
      const first = stack.tenant.desk.deviceCredentials.get(target.user_id)![0]!.id;
      stack.tenant.faults.inject({
        method: 'DELETE',
        path: `/api/v2/device-credentials/${first}`,
        kind: 'status',
        status: 404,
        errorCode: 'inexistent_device_credential',
        message: 'The device credential does not exist.',
      });
      const res = await support().delete(`/users/${encodeURIComponent(target.user_id)}/sessions`);
      expect(res.body).toEqual({ sessions, refresh_tokens_revoked: 2 });
    });
  } else {
    it("usergate told enterprise on a tenant that is not: Auth0's 403 is upstream_forbidden with its message, audited as a failure", async () => {
      const target = seedTarget(stack.tenant, { org });
      stack.tenant.plan = 'standard';
      try {
        const res = await support().get(`/users/${encodeURIComponent(target.user_id)}/sessions`);
        expect([res.status, res.body.errorCode]).toEqual([403, 'upstream_forbidden']);
        expect(res.body.message).toContain('Enterprise plans only');
      } finally {
        stack.tenant.plan = 'enterprise';
      }
      const line = stack.logs.find((l) => l.audit === true && l.action === 'logout' && l.target === target.user_id);
      expect(line).toMatchObject({ outcome: 'failed', reason: 'upstream_forbidden' });
    });
  }
});

describe('sign-out stopped by the upstream budget (MGMT_RATE_OTHER)', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Device credentials count in Auth0's "all other endpoints" bucket: 2 lists + 1 revocation fit, the second does not.
    stack = await startStack({ env: { MGMT_RATE_OTHER: '3/1', MGMT_QUEUE_MS: '0' } });
  });
  afterAll(() => stack.stop());

  it('answers 429 rate_limited saying how many refresh tokens were revoked', async () => {
    const org = stack.tenant.store.get(DEMO_USERS.support)!.app_metadata!.org as string;
    const target = seedTarget(stack.tenant, { org });
    withCredentials(stack.tenant, target, 2, 0);
    const res = await stack.as(stack.tokenFor(DEMO_USERS.support)).delete(`/users/${encodeURIComponent(target.user_id)}/sessions`);
    expect([res.status, res.body.errorCode]).toEqual([429, 'rate_limited']);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.body.message).toContain('1 of 2 refresh token(s) were revoked');
    expect(typesLeft(stack.tenant, target)).toEqual(['refresh_token', 'public_key']);
  });
});

describe('the other desk routes, as Auth0 wants them', () => {
  let stack: Stack;
  let org: string;
  const support = () => stack.as(stack.tokenFor(DEMO_USERS.support));
  beforeAll(async () => {
    stack = await startStack({ env: { TICKET_RESULT_URLS: RESULT_URL, TICKET_CLIENT_ID: TICKET_CLIENT } });
    org = stack.tenant.store.get(DEMO_USERS.support)!.app_metadata!.org as string;
  });
  afterAll(async () => {
    expect(stack.tenant.invalidRequests()).toEqual([]);
    await stack.stop();
  });
  afterEach(() => stack.tenant.faults.clear());

  it('a verification email names the primary identity of a social user, and none for a database user', async () => {
    const social = seedTarget(stack.tenant, { org, social: true });
    const database = seedTarget(stack.tenant, { org });
    for (const user of [social, database]) {
      const res = await support().post(`/users/${encodeURIComponent(user.user_id)}/verification-email`);
      expect([res.status, res.body.status]).toEqual([201, 'pending']);
    }
    const bodies = requests(stack.tenant, 'POST /jobs/verification-email')
      .slice(-2)
      .map((r) => r.body);
    expect(bodies).toEqual([
      { user_id: social.user_id, identity: { user_id: social.identities[0]!.user_id, provider: 'google-oauth2' } },
      { user_id: database.user_id },
    ]);
  });

  it('a password-change ticket names TICKET_CLIENT_ID when no result_url is asked for, and never both', async () => {
    const target = seedTarget(stack.tenant, { org });
    const path = `/users/${encodeURIComponent(target.user_id)}/password-change-ticket`;
    expect((await support().post(path)).status).toBe(201);
    expect((await support().post(path).send({ result_url: RESULT_URL })).status).toBe(201);
    const bodies = requests(stack.tenant, 'POST /tickets/password-change')
      .slice(-2)
      .map((r) => r.body);
    expect(bodies).toEqual([
      { user_id: target.user_id, client_id: TICKET_CLIENT },
      { user_id: target.user_id, result_url: RESULT_URL },
    ]);
  });

  it('an MFA reset removes each MFA factor by id and leaves the password and the passkey', async () => {
    const target = seedTarget(stack.tenant, { org });
    const at = '2026-01-01T00:00:00.000Z';
    stack.tenant.desk.methods.set(target.user_id, [
      { id: 'password|dev_p', type: 'password', created_at: at },
      { id: 'totp|dev_t', type: 'totp', created_at: at },
      { id: 'passkey|dev_k', type: 'passkey', created_at: at },
      { id: 'phone|dev_s', type: 'phone', created_at: at },
      { id: 'recovery-code|dev_r', type: 'recovery-code', created_at: at },
    ]);
    const bulk = requests(stack.tenant, 'DELETE /users/{id}/authentication-methods').length;
    const res = await support().delete(`/users/${encodeURIComponent(target.user_id)}/authentication-methods`);
    expect(res.status).toBe(204);
    expect(stack.tenant.desk.methods.get(target.user_id)!.map((m) => m.type)).toEqual(['password', 'passkey']);
    const deleted = requests(stack.tenant, 'DELETE /users/{id}/authentication-methods/{authentication_method_id}')
      .slice(-3)
      .map((r) => decodeURIComponent(r.path.split('/').pop()!));
    expect(deleted).toEqual(['totp|dev_t', 'phone|dev_s', 'recovery-code|dev_r']);
    expect(requests(stack.tenant, 'DELETE /users/{id}/authentication-methods')).toHaveLength(bulk);
    expect(stack.tenant.desk.rememberedBrowserResets.get(target.user_id)).toBe(1);
  });

  it('log paging past the first 1000 events and a sort Auth0 does not know are refused before any upstream call', async () => {
    const target = seedTarget(stack.tenant, { org });
    const path = `/users/${encodeURIComponent(target.user_id)}/logs`;
    const before = stack.tenant.counters.apiCalls;
    for (const [query, code] of [
      ['page=10&per_page=100', 'invalid_paging'],
      ['page=20', 'invalid_paging'],
      ['page=500&per_page=2', 'invalid_paging'],
      ['sort=user_metadata:1', 'invalid_query'],
      ['sort=log_id:-1', 'invalid_query'],
    ]) {
      const res = await support().get(`${path}?${query}`);
      expect([query, res.status, res.body.errorCode]).toEqual([query, 400, code]);
    }
    expect(stack.tenant.counters.apiCalls).toBe(before);
    expect((await support().get(`${path}?page=9&per_page=100`)).status).toBe(200);
  });

  it('a user id holding / and : reaches every desk endpoint of the tenant as one path segment', async () => {
    const base = seedTarget(stack.tenant, { org });
    const odd = { ...base, user_id: `oauth2|custom:tenant/${base.identities[0]!.user_id}` };
    stack.tenant.store.put(odd);
    withCredentials(stack.tenant, odd, 1, 0);
    const path = `/users/${encodeURIComponent(odd.user_id)}`;
    for (const suffix of ['blocks', 'authentication-methods', 'logs', 'refresh-tokens'])
      expect([suffix, (await support().get(`${path}/${suffix}`)).status]).toEqual([suffix, 200]);
    expect((await support().delete(`${path}/sessions`)).body).toEqual({ sessions: 'not_available_on_plan', refresh_tokens_revoked: 1 });
  });

  describe("Auth0's own 403 and 404 on forwarded routes", () => {
    const cases = [
      { route: 'GET blocks', upstream: (id: string) => ['GET', `/api/v2/user-blocks/${id}`] as const },
      { route: 'GET logs', upstream: (id: string) => ['GET', `/api/v2/users/${id}/logs`] as const },
      { route: 'POST verification-email', upstream: () => ['POST', '/api/v2/jobs/verification-email'] as const },
      { route: 'PATCH user', upstream: (id: string) => ['PATCH', `/api/v2/users/${id}`] as const },
    ];
    const send = (route: string, id: string) => {
      const [method, suffix] = route.split(' ') as [string, string];
      const path = suffix === 'user' ? `/users/${id}` : `/users/${id}/${suffix}`;
      const as = stack.as(stack.tokenFor(DEMO_USERS.support));
      if (method === 'PATCH') return as.patch(path).send({ user_metadata: { note: 'x' } });
      return method === 'POST' ? as.post(path) : as.get(path);
    };

    it.each(cases)(
      "$route: a 403 that is not a missing scope is 403 upstream_forbidden with Auth0's message",
      async ({ route, upstream }) => {
        const target = seedTarget(stack.tenant, { org });
        const id = encodeURIComponent(target.user_id);
        const [method, path] = upstream(id);
        stack.tenant.faults.inject({
          method,
          path,
          kind: 'status',
          status: 403,
          errorCode: 'operation_not_supported',
          message: 'Not on this tenant.',
        });
        const res = await send(route, id);
        expect([res.status, res.body.errorCode]).toEqual([403, 'upstream_forbidden']);
        expect(res.body.message).toContain('Not on this tenant.');
      },
    );

    it.each(cases)('$route: a 404 on the target user is 404 user_not_found', async ({ route, upstream }) => {
      const target = seedTarget(stack.tenant, { org });
      const id = encodeURIComponent(target.user_id);
      const [method, path] = upstream(id);
      stack.tenant.faults.inject({
        method,
        path,
        kind: 'status',
        status: 404,
        errorCode: 'inexistent_user',
        message: 'The user does not exist.',
      });
      const res = await send(route, id);
      expect([res.status, res.body.errorCode]).toEqual([404, 'user_not_found']);
    });

    it('a 404 on something else than the user is upstream_not_found, never user_not_found', async () => {
      await expect(stack.deps.management.deleteDeviceCredential('dcr_0000000000000000')).rejects.toMatchObject({
        status: 404,
        code: 'upstream_not_found',
        message: expect.stringContaining('The device credential does not exist.'),
      });
    });

    it('a factor gone meanwhile (Auth0 404 on the authentication method) does not stop an MFA reset', async () => {
      const target = seedTarget(stack.tenant, { org });
      const id = encodeURIComponent(target.user_id);
      stack.tenant.faults.inject({
        method: 'DELETE',
        path: `/api/v2/users/${id}/authentication-methods/*`,
        kind: 'status',
        status: 404,
        errorCode: 'inexistent_authentication_method',
        message: 'The authentication method does not exist.',
      });
      stack.tenant.desk.methods.set(target.user_id, [{ id: 'totp|dev_x', type: 'totp', created_at: '2026-01-01T00:00:00.000Z' }]);
      // Reset MFA treats a factor gone meanwhile as removed: the request still succeeds.
      expect((await stack.as(stack.tokenFor(DEMO_USERS.support)).delete(`/users/${id}/authentication-methods`)).status).toBe(204);
    });
  });
});
