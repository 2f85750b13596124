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
    expect(counts).toEqual(new Set([0, 1, 3]));
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

  it('queues verification-email jobs that GET /jobs/{id} shows', async () => {
    const user = seedTarget(tenant);
    const res = await api('/jobs/verification-email', { method: 'POST', body: { user_id: user.user_id } });
    expect(res.status).toBe(201);
    const job = res.body as Json;
    expect(job).toMatchObject({ type: 'verification_email', status: 'completed' });
    expect((await api(`/jobs/${String(job.id)}`)).body).toEqual(job);
    expect((await api('/jobs/job_0000000000000000')).status).toBe(404);
    expect((await api('/jobs/..%2Fusers')).status).toBe(400);
    expect((await api('/jobs/verification-email', { method: 'POST', body: {} })).body).toMatchObject({ errorCode: 'invalid_body' });
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

  it('lists authentication methods (array, or paged with totals), deletes them all, and forgets remembered browsers', async () => {
    const user = seeded((id) => (tenant.desk.methods.get(id)?.length ?? 0) === 3);
    const list = await api(`/users/${enc(user.user_id)}/authentication-methods`);
    expect((list.body as Json[]).map((m) => m.type)).toEqual(['totp', 'phone', 'webauthn-roaming']);
    expect(((await api(`/users/${enc(user.user_id)}/authentication-methods?include_totals=true`)).body as Json).total).toBe(3);
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

  it("answers a user's log events, newest first, paged, with totals on request; its own actions show up there", async () => {
    const user = tenant.store.get(DEMO_USERS.viewer)!;
    await api('/jobs/verification-email', { method: 'POST', body: { user_id: user.user_id } });
    const logs = (await api(`/users/${enc(user.user_id)}/logs`)).body as Json[];
    expect(logs[0]).toMatchObject({ type: 'svr', user_id: user.user_id });
    const paged = (await api(`/users/${enc(user.user_id)}/logs?per_page=1&page=1&include_totals=true&sort=date:1`)).body as Json;
    expect(paged).toMatchObject({ start: 1, limit: 1, length: 1, total: logs.length });
    expect((await api(`/users/${enc(user.user_id)}/logs?sort=password:1`)).body).toMatchObject({ errorCode: 'invalid_query_string' });
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
