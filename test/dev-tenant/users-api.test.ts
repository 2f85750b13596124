import { DEFAULT_CLIENT, DEMO_USERS, startDevTenant, type DevTenant } from '../../dev-tenant';
import { machineToken } from '../helpers/machine-token';
import { AUTH0_RATE_LIMITED_BODY, managementApi } from '../helpers/management-api';

type Json = Record<string, unknown>;

describe('dev tenant: /api/v2/users endpoints', () => {
  let tenant: DevTenant;
  let token: string;
  beforeAll(async () => {
    tenant = await startDevTenant({
      clients: [DEFAULT_CLIENT, { clientId: 'reader', clientSecret: 'reader-secret', scopes: ['read:users'] }],
    });
    token = await machineToken(tenant);
  });
  afterAll(() => tenant.stop());
  afterEach(() => {
    tenant.faults.clear();
    tenant.rateLimit.configure({ capacity: 1000, refillPerSecond: 1000 });
  });

  const api = (path: string, init?: { method?: string; body?: unknown; token?: string }) => managementApi(tenant, () => token)(path, init);
  const search = async (q: string) => {
    const res = await api(`/users?search_engine=v3&per_page=100&q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    return res.body as Json[];
  };

  describe('GET /users', () => {
    it('seeds about 60 users in three orgs, with every demo role, social and enterprise users', async () => {
      const all = (await api('/users?per_page=100')).body as Json[];
      expect(all.length).toBeGreaterThanOrEqual(55);
      const orgs = new Set(all.map((u) => (u.app_metadata as Json).org).filter(Boolean));
      expect(orgs.size).toBeGreaterThanOrEqual(3);
      const providers = new Set(all.map((u) => (u.identities as Json[])[0]!.provider));
      expect([...providers]).toEqual(expect.arrayContaining(['auth0', 'google-oauth2', 'waad']));
      expect(all.some((u) => u.blocked === true)).toBe(true);
      expect(all.some((u) => (u.user_metadata as Json).picture)).toBe(true);
    });

    it('pages with page/per_page and answers {start, limit, length, total, users} with include_totals', async () => {
      const res = await api('/users?page=1&per_page=7&include_totals=true');
      const body = res.body as Json;
      expect(body).toMatchObject({ start: 7, limit: 7, length: 7, total: tenant.store.size });
      expect((body.users as Json[]).length).toBe(7);
    });

    it('refuses per_page above 100 and pages past the first 1000 results, as Auth0 does', async () => {
      expect((await api('/users?per_page=101')).status).toBe(400);
      const capped = await api('/users?page=20&per_page=50');
      expect(capped.status).toBe(400);
      expect((capped.body as Json).errorCode).toBe('invalid_paging');
    });

    it('sorts on a field in both directions', async () => {
      const asc = ((await api('/users?sort=logins_count:1&per_page=100')).body as Json[]).map((u) => u.logins_count as number);
      const desc = ((await api('/users?sort=logins_count:-1&per_page=100')).body as Json[]).map((u) => u.logins_count as number);
      expect(asc).toEqual([...asc].sort((a, b) => a - b));
      expect(desc).toEqual([...asc].reverse());
    });

    it('projects fields, and excludes them with include_fields=false', async () => {
      const only = (await api('/users?fields=user_id,email&per_page=3')).body as Json[];
      expect(only.every((u) => Object.keys(u).sort().join() === 'email,user_id')).toBe(true);
      const without = (await api('/users?fields=identities,app_metadata&include_fields=false&per_page=3')).body as Json[];
      expect(without.every((u) => !('identities' in u) && !('app_metadata' in u) && 'email' in u)).toBe(true);
    });

    it.each([
      ['a nested field', 'app_metadata.org:"globex"', (u: Json) => (u.app_metadata as Json).org === 'globex'],
      [
        'AND / NOT',
        'app_metadata.org:acme AND NOT blocked:true',
        (u: Json) => (u.app_metadata as Json).org === 'acme' && u.blocked !== true,
      ],
      [
        'OR with parentheses',
        '(app_metadata.roles:admin OR app_metadata.roles:auditor) AND app_metadata.org:initech',
        (u: Json) =>
          ['admin', 'auditor'].some((r) => ((u.app_metadata as Json).roles as string[] | undefined)?.includes(r)) &&
          (u.app_metadata as Json).org === 'initech',
      ],
      ['a wildcard', 'email:sam*', (u: Json) => String(u.email).startsWith('sam')],
      ['a phrase', 'name:"Alice Admin"', (u: Json) => u.name === 'Alice Admin'],
      [
        'an array of objects',
        'identities.connection:"google-oauth2"',
        (u: Json) => (u.identities as Json[]).some((i) => i.connection === 'google-oauth2'),
      ],
      ['_exists_', '_exists_:user_metadata.picture', (u: Json) => (u.user_metadata as Json).picture !== undefined],
      ['a range', 'logins_count:[100 TO *]', (u: Json) => (u.logins_count as number) >= 100],
      ['an exclusive range', 'logins_count:{10 TO 20]', (u: Json) => (u.logins_count as number) > 10 && (u.logins_count as number) <= 20],
      ['a bare term', 'Lovelace', (u: Json) => u.family_name === 'Lovelace'],
      ['email.domain', 'email.domain:"globex.example"', (u: Json) => String(u.email).endsWith('@globex.example')],
    ])('filters with Lucene: %s', async (_name, q, expected) => {
      const all = (await api('/users?per_page=100')).body as Json[];
      const want = all
        .filter(expected)
        .map((u) => u.user_id)
        .sort();
      expect(want.length).toBeGreaterThan(0);
      expect(want.length).toBeLessThan(all.length);
      expect((await search(q)).map((u) => u.user_id).sort()).toEqual(want);
    });

    it('answers 400 to a query that does not parse', async () => {
      const res = await api(`/users?q=${encodeURIComponent('name:"unbalanced')}`);
      expect(res.status).toBe(400);
      expect((res.body as Json).errorCode).toBe('invalid_query_string');
    });

    it('returns IdP tokens only to a client with read:user_idp_tokens', async () => {
      const q = `/users?q=${encodeURIComponent('identities.connection:"google-oauth2"')}&per_page=1`;
      const full = ((await api(q)).body as Json[])[0]!;
      expect((full.identities as Json[])[0]!.access_token).toEqual(expect.any(String));
      const reader = await machineToken(tenant, { clientId: 'reader', clientSecret: 'reader-secret', scopes: [] });
      const bare = ((await api(q, { token: reader })).body as Json[])[0]!;
      expect((bare.identities as Json[])[0]!.access_token).toBeUndefined();
      expect(JSON.stringify(full)).not.toContain('password');
    });
  });

  describe('single users', () => {
    it('GET /users/{id} answers the user, 404 inexistent_user when missing, 400 invalid_uri on a malformed id', async () => {
      expect(((await api(`/users/${encodeURIComponent(DEMO_USERS.admin)}`)).body as Json).user_id).toBe(DEMO_USERS.admin);
      const missing = await api(`/users/${encodeURIComponent('auth0|nobody')}`);
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'The user does not exist.',
        errorCode: 'inexistent_user',
      });
      expect(((await api('/users/not-an-id')).body as Json).errorCode).toBe('invalid_uri');
    });

    it('GET /users-by-email is exact and case-sensitive (Auth0 docs) and answers an array', async () => {
      const admin = tenant.store.get(DEMO_USERS.admin)!;
      const res = await api(`/users-by-email?email=${encodeURIComponent(admin.email!)}`);
      expect((res.body as Json[]).map((u) => u.user_id)).toEqual([DEMO_USERS.admin]);
      expect((await api(`/users-by-email?email=${encodeURIComponent(admin.email!.toUpperCase())}`)).body).toEqual([]);
      expect((await api('/users-by-email')).status).toBe(400);
    });

    it('POST /users applies defaults, never returns the password, and answers 409 on a duplicate', async () => {
      const body = { connection: 'Username-Password-Authentication', email: 'new.person@acme.example', password: 'Sup3r-secret!' };
      const created = await api('/users', { method: 'POST', body });
      expect(created.status).toBe(201);
      const user = created.body as Json;
      expect(user).toMatchObject({ email: body.email, name: body.email, nickname: 'new.person', email_verified: false });
      expect(user.picture).toEqual(expect.stringMatching(/^https:\/\//));
      expect(user.identities).toEqual([expect.objectContaining({ connection: body.connection, provider: 'auth0', isSocial: false })]);
      expect(JSON.stringify(user)).not.toContain('Sup3r-secret!');
      expect(JSON.stringify(user)).not.toContain('password');
      const again = await api('/users', { method: 'POST', body });
      expect(again.status).toBe(409);
      expect((again.body as Json).message).toBe('The user already exists.');
    });

    it('POST /users refuses what the OpenAPI contract refuses: unknown properties, missing connection, a bad email', async () => {
      for (const body of [
        { connection: 'Username-Password-Authentication', email: 'x@y.example', password: 'Passw0rd!!', is_admin: true },
        { email: 'x@y.example', password: 'Passw0rd!!' },
        { connection: 'Username-Password-Authentication', email: 'not-an-email', password: 'Passw0rd!!' },
      ]) {
        const res = await api('/users', { method: 'POST', body });
        expect(res.status).toBe(400);
        expect((res.body as Json).errorCode).toBe('invalid_body');
      }
      expect(tenant.invalidRequests().length).toBeGreaterThanOrEqual(3);
    });

    it('PATCH merges metadata one level deep: null deletes a key, {} removes the object, root attributes are replaced (Auth0 docs)', async () => {
      const id = encodeURIComponent(DEMO_USERS.viewer);
      await api(`/users/${id}`, { method: 'PATCH', body: { user_metadata: { a: { x: 1 }, b: 2 } } });
      const merged = (await api(`/users/${id}`, { method: 'PATCH', body: { name: 'Vera V.', user_metadata: { a: { y: 2 }, b: null } } }))
        .body as Json;
      expect(merged.name).toBe('Vera V.');
      expect(merged.user_metadata).toEqual({ locale: expect.any(String), a: { y: 2 } });
      const wiped = (await api(`/users/${id}`, { method: 'PATCH', body: { user_metadata: {} } })).body as Json;
      expect(wiped.user_metadata).toBeUndefined();
      expect(tenant.store.get(DEMO_USERS.viewer)!.user_metadata).toBeUndefined();
    });

    it('PATCH refuses read-only fields', async () => {
      const res = await api(`/users/${encodeURIComponent(DEMO_USERS.viewer)}`, { method: 'PATCH', body: { identities: [] } });
      expect(res.status).toBe(400);
      expect((res.body as Json).errorCode).toBe('invalid_body');
    });

    it('PATCH of a social user refuses synced attributes and email with Auth0 messages, but takes user_metadata', async () => {
      const social = tenant.store.all().find((u) => u.identities[0]!.connection === 'google-oauth2')!;
      const id = encodeURIComponent(social.user_id);
      const picture = await api(`/users/${id}`, { method: 'PATCH', body: { picture: 'https://x.example/p.png' } });
      expect(picture.status).toBe(400);
      expect((picture.body as Json).message).toContain('The following user attributes cannot be updated: picture');
      const email = await api(`/users/${id}`, { method: 'PATCH', body: { email: 'a@b.example' } });
      expect((email.body as Json).message).toBe('Cannot update email for non-database user.');
      const ok = await api(`/users/${id}`, { method: 'PATCH', body: { user_metadata: { picture: 'https://x.example/p.png' } } });
      expect(ok.status).toBe(200);
      expect(tenant.store.get(social.user_id)!.user_metadata!.picture).toBe('https://x.example/p.png');
    });

    it('DELETE answers 204, also for a user that does not exist', async () => {
      const victim = tenant.store.all().find((u) => !Object.values(DEMO_USERS).includes(u.user_id as never))!;
      expect((await api(`/users/${encodeURIComponent(victim.user_id)}`, { method: 'DELETE' })).status).toBe(204);
      expect(tenant.store.get(victim.user_id)).toBeUndefined();
      expect((await api(`/users/${encodeURIComponent(victim.user_id)}`, { method: 'DELETE' })).status).toBe(204);
    });
  });

  describe('machine token checks, rate limit and fault knobs', () => {
    it('refuses a missing or forged token with Auth0 401 and a missing scope with 403 insufficient_scope', async () => {
      expect((await api('/users', { token: 'garbage' })).status).toBe(401);
      const reader = await machineToken(tenant, { clientId: 'reader', clientSecret: 'reader-secret', scopes: [] });
      const res = await api(`/users/${encodeURIComponent(DEMO_USERS.viewer)}`, { method: 'DELETE', token: reader });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: 'Insufficient scope, expected any of: delete:users,delete:current_user',
        errorCode: 'insufficient_scope',
      });
    });

    it('sends x-ratelimit headers and answers Auth0 429 when the bucket is empty', async () => {
      tenant.rateLimit.configure({ capacity: 2, refillPerSecond: 0.001 });
      const first = await api('/users?per_page=1');
      expect(first.headers.get('x-ratelimit-limit')).toBe('2');
      expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
      await api('/users?per_page=1');
      const limited = await api('/users?per_page=1');
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual(AUTH0_RATE_LIMITED_BODY);
      expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    });

    it('injects N x 429 with Retry-After, N x 5xx, latency and dropped connections on a chosen route', async () => {
      tenant.faults.inject({ method: 'GET', path: '/api/v2/users', kind: 'status', status: 429, retryAfter: 3, times: 2 });
      const a = await api('/users?per_page=1');
      const b = await api('/users?per_page=1');
      expect([a.status, b.status, a.headers.get('retry-after')]).toEqual([429, 429, '3']);
      expect((await api('/users?per_page=1')).status).toBe(200);
      tenant.faults.inject({ path: '/api/v2/users*', kind: 'status', status: 503 });
      expect((await api('/users?per_page=1')).status).toBe(503);
      tenant.faults.inject({ path: '/api/v2/users', kind: 'latency', ms: 150 });
      const started = Date.now();
      await api('/users?per_page=1');
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      tenant.faults.inject({ path: '/api/v2/users', kind: 'drop' });
      await expect(api('/users?per_page=1')).rejects.toThrow();
    });

    it('a delayed or held write is applied even when its client gave up (Auth0 does not cancel it)', async () => {
      const [user] = tenant.store.all();
      const id = encodeURIComponent(user!.user_id);
      const patch = (name: string, signal: AbortSignal) =>
        fetch(`${tenant.url}/api/v2/users/${id}`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name }),
          signal,
        }).catch(() => 'gave up');
      const held = tenant.faults.inject({ method: 'PATCH', path: `/api/v2/users/${id}`, kind: 'hold' });
      const giveUp = new AbortController();
      const answer = patch('Late Writer', giveUp.signal);
      await held.arrived;
      giveUp.abort();
      expect(await answer).toBe('gave up');
      expect(tenant.store.get(user!.user_id)!.name).not.toBe('Late Writer');
      held.release();
      await held.served;
      expect(tenant.store.get(user!.user_id)!.name).toBe('Late Writer');
      // A latency fault: the client closes first, the write lands when the delay is over.
      const delayed = tenant.faults.inject({ method: 'PATCH', path: `/api/v2/users/${id}`, kind: 'latency', ms: 50 });
      expect(await patch('Later Writer', AbortSignal.timeout(5))).toBe('gave up');
      expect(tenant.store.get(user!.user_id)!.name).toBe('Late Writer');
      await delayed.served;
      expect(tenant.store.get(user!.user_id)!.name).toBe('Later Writer');
    });

    it('counts API calls and logs each request with its request id and OpenAPI verdict', async () => {
      const before = tenant.counters.apiCalls;
      await fetch(`${tenant.url}/api/v2/users?per_page=2`, { headers: { authorization: `Bearer ${token}`, 'x-request-id': 'req-123' } });
      expect(tenant.counters.apiCalls).toBe(before + 1);
      expect(tenant.requestLog.at(-1)).toMatchObject({ operation: 'GET /users', requestId: 'req-123', validation: { ok: true } });
      const bad = await api('/users?per_page=abc&bogus=1');
      expect(bad.status).toBe(400);
      expect((bad.body as Json).errorCode).toBe('invalid_query_string');
      expect(tenant.requestLog.at(-1)!.validation.ok).toBe(false);
    });
  });
});
