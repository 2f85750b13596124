import { DEFAULT_CLIENT, DEMO_USERS, startDevTenant, type DevTenant } from '../../dev-tenant';
import { machineToken } from '../helpers/machine-token';
import { seedTarget } from '../helpers/targets';

type Json = Record<string, unknown>;

describe('dev tenant: support-desk endpoints', () => {
  let tenant: DevTenant;
  let token: string;
  const enc = encodeURIComponent;
  beforeAll(async () => {
    tenant = await startDevTenant({
      clients: [DEFAULT_CLIENT, { clientId: 'reader', clientSecret: 'reader-secret', scopes: ['read:users'] }],
      plan: 'enterprise',
    });
    token = await machineToken(tenant);
  });
  afterAll(() => tenant.stop());

  const api = async (path: string, init: { method?: string; body?: unknown; token?: string } = {}) => {
    const res = await fetch(`${tenant.url}/api/v2${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${init.token ?? token}`,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as unknown };
  };
  const seeded = (predicate: (id: string) => boolean) => tenant.store.all().find((u) => predicate(u.user_id))!;

  it('seeds users with none, one and several authentication methods, sessions, login history and some brute-force blocks', () => {
    const counts = new Set(tenant.store.all().map((u) => tenant.desk.methods.get(u.user_id)?.length ?? 0));
    // None, a TOTP app, or TOTP, phone and a security key; some users have a passkey besides.
    expect(counts).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(tenant.store.all().some((u) => tenant.desk.methods.get(u.user_id)?.some((m) => m.type === 'passkey'))).toBe(true);
    const credentialTypes = new Set(
      tenant.store.all().flatMap((u) => (tenant.desk.deviceCredentials.get(u.user_id) ?? []).map((c) => c.type)),
    );
    expect(credentialTypes).toEqual(new Set(['refresh_token', 'rotating_refresh_token', 'public_key']));
    expect(tenant.store.all().some((u) => (tenant.desk.sessions.get(u.user_id)?.length ?? 0) > 1)).toBe(true);
    expect(tenant.store.all().some((u) => tenant.desk.blocks.has(u.user_id))).toBe(true);
    const types = new Set(tenant.store.all().flatMap((u) => (tenant.desk.logs.get(u.user_id) ?? []).map((e) => e.type)));
    expect(types).toEqual(new Set(['s', 'fp', 'limit_wc']));
  });

  it('creates a password-change ticket with a URL and an expiry, and logs the request on the user', async () => {
    const user = seedTarget(tenant);
    const res = await api('/tickets/password-change', {
      method: 'POST',
      body: { user_id: user.user_id, ttl_sec: 60, result_url: 'https://app.example/done' },
    });
    expect(res.status).toBe(201);
    const ticket = (res.body as Json).ticket as string;
    expect(ticket).toMatch(new RegExp(`^${tenant.url}/lo/reset\\?ticket=[\\w-]+#$`));
    const stored = [...tenant.desk.tickets.values()].find((t) => t.url === ticket)!;
    expect(stored).toMatchObject({ user_id: user.user_id, result_url: 'https://app.example/done' });
    expect(Date.parse(stored.expires_at) - Date.now()).toBeLessThanOrEqual(60_000);
    expect(tenant.desk.logs.get(user.user_id)!.map((e) => e.type)).toEqual(['scpr']);
  });

  it('refuses a ticket body Auth0 would refuse, a social user, and an unknown user', async () => {
    const user = seedTarget(tenant);
    expect((await api('/tickets/password-change', { method: 'POST', body: { user_id: user.user_id, bogus: 1 } })).body).toMatchObject({
      statusCode: 400,
      errorCode: 'invalid_body',
    });
    expect((await api('/tickets/password-change', { method: 'POST', body: { user_id: user.user_id, ttl_sec: -1 } })).status).toBe(400);
    const social = seedTarget(tenant, { social: true });
    expect((await api('/tickets/password-change', { method: 'POST', body: { user_id: social.user_id } })).status).toBe(400);
    expect((await api('/tickets/password-change', { method: 'POST', body: { user_id: 'auth0|nobody' } })).status).toBe(404);
  });

  it('refuses result_url together with client_id (Auth0: result_url is for the classic Universal Login only)', async () => {
    const user = seedTarget(tenant);
    const both = await api('/tickets/password-change', {
      method: 'POST',
      body: { user_id: user.user_id, result_url: 'https://app.example/done', client_id: 'usergate-dev-spa' },
    });
    expect(both.body).toMatchObject({ statusCode: 400, errorCode: 'invalid_body' });
    const res = await api('/tickets/password-change', { method: 'POST', body: { user_id: user.user_id, client_id: 'usergate-dev-spa' } });
    expect(res.status).toBe(201);
    const stored = [...tenant.desk.tickets.values()].find((t) => t.url === (res.body as Json).ticket)!;
    expect(stored.client_id).toBe('usergate-dev-spa');
  });

  it('queues verification-email jobs: pending when created, completed when GET /jobs/{id} looks', async () => {
    const user = seedTarget(tenant);
    const res = await api('/jobs/verification-email', { method: 'POST', body: { user_id: user.user_id } });
    expect(res.status).toBe(201);
    const job = res.body as Json;
    expect(job).toMatchObject({ type: 'verification_email', status: 'pending' });
    expect((await api(`/jobs/${String(job.id)}`)).body).toEqual({ ...job, status: 'completed' });
    expect((await api('/jobs/job_0000000000000000')).status).toBe(404);
    expect((await api('/jobs/..%2Fusers')).status).toBe(400);
    expect((await api('/jobs/verification-email', { method: 'POST', body: {} })).body).toMatchObject({ errorCode: 'invalid_body' });
  });

  it('wants the identity of a social user for a verification email, and only one of its own identities', async () => {
    const social = seedTarget(tenant, { social: true });
    const raw = social.identities[0]!.user_id;
    const bare = await api('/jobs/verification-email', { method: 'POST', body: { user_id: social.user_id } });
    expect(bare.body).toMatchObject({ statusCode: 400, errorCode: 'invalid_body' });
    const wrong = await api('/jobs/verification-email', {
      method: 'POST',
      body: { user_id: social.user_id, identity: { user_id: 'someone-else', provider: 'google-oauth2' } },
    });
    expect(wrong.status).toBe(400);
    const right = await api('/jobs/verification-email', {
      method: 'POST',
      body: { user_id: social.user_id, identity: { user_id: raw, provider: 'google-oauth2' } },
    });
    expect([right.status, (right.body as Json).status]).toEqual([201, 'pending']);
  });

  it('accepts on its desk endpoints the same user ids as on its users endpoints (/ and : included)', async () => {
    const user = seedTarget(tenant);
    const odd = { ...user, user_id: 'oauth2|custom:tenant/42' };
    tenant.store.put(odd);
    for (const path of ['/user-blocks/', '/users/']) {
      const suffix = path === '/users/' ? '/logs' : '';
      expect((await api(`${path}${enc(odd.user_id)}${suffix}`)).status).toBe(200);
    }
    expect((await api(`/users/${enc(odd.user_id)}/authentication-methods`)).status).toBe(200);
    expect((await api(`/users/${enc(odd.user_id)}`)).status).toBe(200);
    expect((await api('/user-blocks/no-provider')).body).toMatchObject({ statusCode: 400, errorCode: 'invalid_uri' });
  });

  it('lists and lifts brute-force blocks; blocked:false on the user does not lift them', async () => {
    const user = seeded((id) => tenant.desk.blocks.has(id));
    const blocks = await api(`/user-blocks/${enc(user.user_id)}`);
    expect((blocks.body as { blocked_for: Json[] }).blocked_for).toEqual([
      { identifier: user.email, ip: '203.0.113.9', connection: expect.any(String) },
    ]);
    await api(`/users/${enc(user.user_id)}`, { method: 'PATCH', body: { blocked: false } });
    expect(((await api(`/user-blocks/${enc(user.user_id)}`)).body as { blocked_for: Json[] }).blocked_for).toHaveLength(1);
    expect((await api(`/user-blocks/${enc(user.user_id)}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/user-blocks/${enc(user.user_id)}`)).body).toEqual({ blocked_for: [] });
    expect(tenant.desk.logs.get(user.user_id)!.at(-1)).toMatchObject({ type: 'sapi', description: 'Brute-force block lifted' });
    expect((await api('/user-blocks/auth0%7Cnobody')).status).toBe(404);
  });

  it('lists authentication methods (array, or paged with totals), deletes one by id or them all (passkeys too), and forgets remembered browsers', async () => {
    const user = seeded((id) => (tenant.desk.methods.get(id)?.length ?? 0) === 4);
    const list = await api(`/users/${enc(user.user_id)}/authentication-methods`);
    expect((list.body as Json[]).map((m) => m.type)).toEqual(['totp', 'phone', 'webauthn-roaming', 'passkey']);
    const paged = (await api(`/users/${enc(user.user_id)}/authentication-methods?include_totals=true&page=1&per_page=3`)).body as Json;
    expect(paged).toMatchObject({ start: 3, limit: 3, total: 4 });
    expect((paged.authenticators as Json[]).map((m) => m.type)).toEqual(['passkey']);
    const totp = (list.body as Json[])[0]!;
    expect((await api(`/users/${enc(user.user_id)}/authentication-methods/${enc(String(totp.id))}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await api(`/users/${enc(user.user_id)}/authentication-methods/${enc(String(totp.id))}`, { method: 'DELETE' })).status).toBe(
      404,
    );
    expect((await api(`/users/${enc(user.user_id)}/authentication-methods`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/users/${enc(user.user_id)}/authentication-methods`)).body).toEqual([]);
    const forget = await api(`/users/${enc(user.user_id)}/multifactor/actions/invalidate-remember-browser`, { method: 'POST' });
    expect(forget.status).toBe(204);
    expect(tenant.desk.rememberedBrowserResets.get(user.user_id)).toBe(1);
  });

  it('pages sessions with take/next and revokes them all with 202', async () => {
    const user = seeded((id) => (tenant.desk.sessions.get(id)?.length ?? 0) === 2);
    const first = (await api(`/users/${enc(user.user_id)}/sessions?take=1`)).body as { sessions: Json[]; next: string };
    expect(first.sessions).toHaveLength(1);
    const second = (await api(`/users/${enc(user.user_id)}/sessions?take=1&from=${first.next}`)).body as {
      sessions: Json[];
      next?: string;
    };
    expect(second.sessions[0]!.id).toBe(first.next);
    expect(second.next).toBeUndefined();
    expect((await api(`/users/${enc(user.user_id)}/sessions`, { method: 'DELETE' })).status).toBe(202);
    expect((await api(`/users/${enc(user.user_id)}/sessions`)).body).toEqual({ sessions: [] });
  });

  it('serves sessions and refresh tokens on enterprise only; device credentials on every plan', async () => {
    const user = seeded((id) => (tenant.desk.sessions.get(id)?.length ?? 0) === 2);
    const id = enc(user.user_id);
    const tokens = (await api(`/users/${id}/refresh-tokens`)).body as { tokens: Json[] };
    expect(tokens.tokens.map((t) => t.rotating)).toEqual([false, true]);
    const listed = (await api(`/device-credentials?user_id=${id}&type=rotating_refresh_token&include_totals=true&page=0&per_page=10`))
      .body as Json;
    expect(listed).toMatchObject({ start: 0, limit: 10, total: 1 });
    tenant.plan = 'standard';
    try {
      for (const [method, suffix] of [
        ['GET', 'sessions'],
        ['DELETE', 'sessions'],
        ['GET', 'refresh-tokens'],
        ['DELETE', 'refresh-tokens'],
      ] as const)
        expect((await api(`/users/${id}/${suffix}`, { method })).status).toBe(403);
      const plain = (await api(`/device-credentials?user_id=${id}&type=refresh_token`)).body as Json[];
      expect(plain).toHaveLength(1);
      expect(Object.keys(plain[0]!).sort()).toEqual(['client_id', 'device_id', 'device_name', 'id', 'type', 'user_id']);
      expect((await api(`/device-credentials/${String(plain[0]!.id)}`, { method: 'DELETE' })).status).toBe(204);
      expect((await api(`/device-credentials/${String(plain[0]!.id)}`, { method: 'DELETE' })).status).toBe(404);
      expect((await api('/device-credentials/not-an-id', { method: 'DELETE' })).body).toMatchObject({ errorCode: 'invalid_uri' });
    } finally {
      tenant.plan = 'enterprise';
    }
    expect((await api(`/users/${id}/refresh-tokens`, { method: 'DELETE' })).status).toBe(202);
    expect((await api(`/users/${id}/refresh-tokens`)).body).toEqual({ tokens: [] });
  });

  it("answers a user's log events, newest first, paged, with totals on request; its own actions show up there", async () => {
    const user = tenant.store.get(DEMO_USERS.viewer)!;
    await api('/jobs/verification-email', { method: 'POST', body: { user_id: user.user_id } });
    const logs = (await api(`/users/${enc(user.user_id)}/logs`)).body as Json[];
    expect(logs[0]).toMatchObject({ type: 'svr', user_id: user.user_id });
    const paged = (await api(`/users/${enc(user.user_id)}/logs?per_page=1&page=1&include_totals=true&sort=date:1`)).body as Json;
    expect(paged).toMatchObject({ start: 1, limit: 1, length: 1, total: logs.length });
    expect((await api(`/users/${enc(user.user_id)}/logs?sort=password:1`)).body).toMatchObject({ errorCode: 'invalid_query_string' });
    // Only the first 1000 events can be paged through (page 9 of 100 is the last).
    expect((await api(`/users/${enc(user.user_id)}/logs?per_page=100&page=9`)).status).toBe(200);
    expect((await api(`/users/${enc(user.user_id)}/logs?per_page=100&page=10`)).body).toMatchObject({ errorCode: 'invalid_paging' });
    expect((await api(`/users/${enc(user.user_id)}/logs?page=20`)).body).toMatchObject({ errorCode: 'invalid_paging' });
  });

  it('logs password changes and administrator blocks made through PATCH /users/{id} on the user', async () => {
    const user = seedTarget(tenant);
    await api(`/users/${enc(user.user_id)}`, { method: 'PATCH', body: { password: 'N3w-passw0rd!', blocked: true } });
    await api(`/users/${enc(user.user_id)}`, { method: 'PATCH', body: { name: 'No event' } });
    await api(`/users/${enc(user.user_id)}`, { method: 'PATCH', body: { blocked: false } });
    const events = ((await api(`/users/${enc(user.user_id)}/logs?sort=date:1`)).body as Json[]).map(
      (e) => `${String(e.type)} ${String(e.description)}`,
    );
    expect(events).toEqual(['scp Password changed', 'sapi User blocked', 'sapi User unblocked']);
  });

  it('checks the scopes each operation accepts and validates the OpenAPI contract', async () => {
    const reader = await machineToken(tenant, { clientId: 'reader', clientSecret: 'reader-secret', scopes: [] });
    const id = enc(DEMO_USERS.viewer);
    const denied = await api(`/users/${id}/logs`, { token: reader });
    expect(denied.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'Insufficient scope, expected any of: read:logs,read:logs_users',
      errorCode: 'insufficient_scope',
    });
    expect((await api(`/user-blocks/${id}`, { token: reader })).status).toBe(200);
    expect((await api(`/user-blocks/${id}`, { method: 'DELETE', token: reader })).status).toBe(403);
    expect((await api('/tickets/password-change', { method: 'POST', body: { user_id: DEMO_USERS.viewer }, token: reader })).status).toBe(
      403,
    );
    expect((await api(`/users/${id}/sessions?take=0`)).status).toBe(400);
    expect(tenant.requestLog.filter((r) => r.operation === '').length).toBe(0);
  });
});
