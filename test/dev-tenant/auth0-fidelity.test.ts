import type { Request, Response } from 'express';
import { DEFAULT_CLIENT, startDevTenant, type DevTenant, type StoredUser } from '../../dev-tenant';
import { RateLimiter } from '../../dev-tenant/rate-limiter';
import { wildcardMatch } from '../../dev-tenant/wildcard';
import { machineToken } from '../helpers/machine-token';
import { AUTH0_RATE_LIMITED_BODY, managementApi } from '../helpers/management-api';

type Json = Record<string, unknown>;

/**
 * The dev tenant is faithful to Auth0 where usergate can tell the difference. Each test names the
 * fact it models (docs/auth0-facts.md: "Auth0 docs", "contract", "observed").
 */
describe('dev tenant: fidelity to Auth0', () => {
  let clock = Date.UTC(2026, 0, 1, 12, 0, 0);
  let tenant: DevTenant;
  let token: string;
  const user = (id: string, fields: Partial<StoredUser>): StoredUser => ({
    user_id: id,
    created_at: '2025-01-01T00:00:00.000Z',
    updated_at: '2025-01-01T00:00:00.000Z',
    identities: [{ connection: 'Username-Password-Authentication', provider: 'auth0', user_id: id.split('|')[1]!, isSocial: false }],
    ...fields,
  });
  beforeAll(async () => {
    tenant = await startDevTenant({
      now: () => clock,
      clients: [
        DEFAULT_CLIENT,
        { clientId: 'md-only', clientSecret: 'md-secret', scopes: ['update:users_app_metadata'] },
        { clientId: 'self-md', clientSecret: 'self-secret', scopes: ['update:current_user_metadata'] },
        { clientId: 'reader', clientSecret: 'reader-secret', scopes: ['read:users'] },
      ],
    });
    token = await machineToken(tenant);
    tenant.store.put(
      user('auth0|case1', {
        email: 'Jane.Doe@Acme.example',
        name: 'Jane Doe',
        given_name: 'Jane',
        family_name: 'Doe',
        nickname: 'JD',
        username: 'JaneD',
        app_metadata: { plan: 'Gold', tags: [], extra: {}, none: null, team: 'Blue' },
        user_metadata: { city: 'Paris' },
      }),
    );
    tenant.store.put(
      user('auth0|case2', {
        email: 'usa.person@acme.example',
        name: 'Marie Usa',
        app_metadata: { plan: 'gold', tags: ['x'], extra: { a: 1 }, none: 'set' },
      }),
    );
  });
  afterAll(() => tenant.stop());
  afterEach(() => {
    tenant.faults.clear();
    tenant.rateLimit.configure('unlimited');
    tenant.searchBudgetMs = 2000;
  });

  const api = (path: string, init?: { method?: string; body?: unknown; token?: string }) => managementApi(tenant, () => token)(path, init);
  const ids = async (q: string): Promise<string[]> => {
    const res = await api(`/users?search_engine=v3&per_page=100&q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    return (res.body as Json[])
      .map((u) => u.user_id as string)
      .filter((id) => id.startsWith('auth0|case'))
      .sort();
  };
  const refused = async (q: string) => {
    const res = await api(`/users?search_engine=v3&q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', errorCode: 'invalid_query_string' });
    return (res.body as Json).message as string;
  };

  describe('search (Auth0 docs: user search query syntax)', () => {
    it('only email, name, given_name, family_name and nickname match case-insensitively', async () => {
      expect(await ids('email:"jane.doe@acme.example"')).toEqual(['auth0|case1']);
      expect(await ids('name:"jane doe"')).toEqual(['auth0|case1']);
      expect(await ids('given_name:jane AND family_name:DOE AND nickname:jd')).toEqual(['auth0|case1']);
      expect(await ids('username:janed')).toEqual([]);
      expect(await ids('username:JaneD')).toEqual(['auth0|case1']);
      expect(await ids('app_metadata.plan:gold')).toEqual(['auth0|case2']);
      expect(await ids('app_metadata.plan:Gold')).toEqual(['auth0|case1']);
    });

    it('fields are not tokenized: user_id:auth0 matches nothing, user_id:auth0* matches', async () => {
      expect(await ids('user_id:auth0')).toEqual([]);
      expect(await ids('user_id:auth0*')).toEqual(['auth0|case1', 'auth0|case2']);
    });

    it('refuses ?, a suffix or infix wildcard under 3 literals, and wildcards and ranges on user_metadata; a prefix of any length and *usa work', async () => {
      expect(await refused('name:jan?')).toContain('?');
      expect(await refused('name:*sa')).toContain('3 characters');
      expect(await refused('user_metadata.city:Par*')).toContain('user_metadata');
      expect(await refused('user_metadata.city:[A TO Z]')).toContain('user_metadata');
      expect(await ids('name:m*')).toEqual(['auth0|case2']);
      expect(await ids('name:*usa')).toEqual(['auth0|case2']);
      expect(await ids('email:*acme.example')).toEqual(['auth0|case1', 'auth0|case2']);
    });

    it('ranges: [a TO b] inclusive, {a TO b} exclusive, * for an open end', async () => {
      expect(await ids('app_metadata.team:[Blue TO Blue]')).toEqual(['auth0|case1']);
      expect(await ids('app_metadata.team:{Blue TO *}')).toEqual([]);
    });

    it('_exists_ does not see empty arrays, empty objects or null in metadata', async () => {
      expect(await ids('_exists_:app_metadata.tags')).toEqual(['auth0|case2']);
      expect(await ids('_exists_:app_metadata.extra')).toEqual(['auth0|case2']);
      expect(await ids('_exists_:app_metadata.none')).toEqual(['auth0|case2']);
    });

    it('refuses sorting by app_metadata or user_metadata', async () => {
      for (const sort of ['app_metadata.plan:1', 'user_metadata.city:-1']) {
        expect((await api(`/users?sort=${sort}`)).status).toBe(400);
      }
      expect((await api('/users?sort=email:1')).status).toBe(200);
    });

    it('refuses page*per_page + per_page > 1000 (page=33&per_page=30), allows a page that ends at 990', async () => {
      const res = await api('/users?page=33&per_page=30');
      expect(res.status).toBe(400);
      expect((res.body as Json).errorCode).toBe('invalid_paging');
      expect((await api('/users?page=32&per_page=30')).status).toBe(200);
    });

    it('ignores the connection parameter with search engine v3', async () => {
      const all = (await api('/users?search_engine=v3&per_page=100')).body as Json[];
      const filtered = (await api('/users?search_engine=v3&per_page=100&connection=google-oauth2')).body as Json[];
      expect(filtered.length).toBe(all.length);
    });

    it('ends a search over its time budget with 503 (Auth0 ends searches after 2 s)', async () => {
      const tick = 100;
      const real = clock;
      const advancing = startDevTenant({ now: () => (clock += tick) });
      const slow = await advancing;
      try {
        const slowToken = await machineToken(slow);
        slow.searchBudgetMs = tick * 5; // a handful of users fit in the budget, the seed does not
        const res = await fetch(`${slow.url}/api/v2/users?q=${encodeURIComponent('name:a*')}`, {
          headers: { authorization: `Bearer ${slowToken}` },
        });
        expect(res.status).toBe(503);
        const fine = await fetch(`${slow.url}/api/v2/users?per_page=1`, { headers: { authorization: `Bearer ${slowToken}` } });
        expect(fine.status).toBe(200);
      } finally {
        await slow.stop();
        clock = real;
      }
    });

    it('wildcard matching is linear: a pathological pattern on a long value takes a bounded number of steps', () => {
      // With a backtracking RegExp, `*a*a*...*a*b` against `aaa...a` takes exponential-ish time.
      const pattern = '*' + 'a*'.repeat(30) + 'b';
      const value = 'a'.repeat(20_000);
      const counter = { steps: 0 };
      expect(wildcardMatch(pattern, value, counter)).toBe(false);
      expect(counter.steps).toBeLessThanOrEqual(4 * (pattern.length + value.length));
      expect(wildcardMatch('*usa*', 'marie usa', counter)).toBe(true);
      expect(wildcardMatch('a*b*c', 'abc')).toBe(true);
      expect(wildcardMatch('a*b*c', 'acb')).toBe(false);
      expect(wildcardMatch('ab*ba', 'aba')).toBe(false);
    });

    it('a pathological query over HTTP answers promptly (no backtracking)', async () => {
      tenant.store.put(user('auth0|case3', { name: 'a'.repeat(5000) }));
      try {
        expect(await ids(`name:${'a*'.repeat(40)}b`)).toEqual([]);
      } finally {
        tenant.store.delete('auth0|case3');
      }
    });

    it('/users-by-email is exact and case-sensitive', async () => {
      const exact = (await api(`/users-by-email?email=${encodeURIComponent('Jane.Doe@Acme.example')}`)).body as Json[];
      expect(exact.map((u) => u.user_id)).toEqual(['auth0|case1']);
      expect((await api(`/users-by-email?email=${encodeURIComponent('jane.doe@acme.example')}`)).body).toEqual([]);
    });
  });

  describe('writes', () => {
    it('PATCH accepts any one of update:users, update:users_app_metadata, update:current_user_metadata (contract security)', async () => {
      for (const [clientId, clientSecret, scopes] of [
        ['md-only', 'md-secret', ['update:users_app_metadata']],
        ['self-md', 'self-secret', ['update:current_user_metadata']],
      ] as const) {
        const scoped = await machineToken(tenant, { clientId, clientSecret, scopes: [...scopes] });
        const res = await api('/users/auth0%7Ccase2', { method: 'PATCH', body: { user_metadata: { by: clientId } }, token: scoped });
        expect(res.status).toBe(200);
      }
      const reader = await machineToken(tenant, { clientId: 'reader', clientSecret: 'reader-secret', scopes: ['read:users'] });
      const denied = await api('/users/auth0%7Ccase2', { method: 'PATCH', body: { user_metadata: { by: 'reader' } }, token: reader });
      expect(denied.status).toBe(403);
      expect((denied.body as Json).message).toBe(
        'Insufficient scope, expected any of: update:users,update:users_app_metadata,update:current_user_metadata',
      );
    });

    it('PATCH with {} for a metadata object removes it (Auth0 docs: metadata merge)', async () => {
      const res = await api('/users/auth0%7Ccase2', { method: 'PATCH', body: { app_metadata: {} } });
      expect(res.status).toBe(200);
      expect((res.body as Json).app_metadata).toBeUndefined();
    });

    it.each([
      ['legacy-db', 'x', true],
      ['Username-Password-Authentication', 'password1', false],
      ['Username-Password-Authentication', 'Password1', true],
      ['partners-db', 'Passw0rd!', false],
      ['partners-db', 'Paaa55w0rd!x', false],
      ['partners-db', 'Pa55w0rd!xy', true],
    ])('password strength per connection (Auth0 docs): on %s, %j is accepted: %s', async (connection, password, ok) => {
      const body: Json = { connection, email: `pw-${Math.random().toString(36).slice(2)}@acme.example`, password };
      if (connection === 'partners-db') body.username = `u${Math.random().toString(36).slice(2, 10)}`;
      const res = await api('/users', { method: 'POST', body });
      if (ok) {
        expect(res.status).toBe(201);
      } else {
        expect(res.status).toBe(400);
        expect((res.body as Json).message).toBe('PasswordStrengthError: Password is too weak');
      }
    });

    it("the connection's password strength applies to PATCH too", async () => {
      const partner = tenant.store.all().find((u) => u.identities[0]!.connection === 'partners-db')!;
      const id = encodeURIComponent(partner.user_id);
      expect((await api(`/users/${id}`, { method: 'PATCH', body: { password: 'Short1!' } })).body).toMatchObject({
        message: 'PasswordStrengthError: Password is too weak',
      });
      expect((await api(`/users/${id}`, { method: 'PATCH', body: { password: 'Long-enough-1' } })).status).toBe(200);
    });

    it('username is refused on a connection without requires_username (Auth0 docs)', async () => {
      const res = await api('/users', {
        method: 'POST',
        body: { connection: 'Username-Password-Authentication', email: 'un@acme.example', password: 'Passw0rd!x', username: 'un' },
      });
      expect(res.status).toBe(400);
      expect((res.body as Json).message).toContain('requires_username');
    });

    it('email_verified and email of an enterprise user cannot be changed (observed)', async () => {
      const enterprise = tenant.store.all().find((u) => u.identities[0]!.connection === 'acme-azure')!;
      const id = encodeURIComponent(enterprise.user_id);
      const verified = await api(`/users/${id}`, { method: 'PATCH', body: { email_verified: true } });
      expect(verified).toMatchObject({ status: 400, body: { errorCode: 'operation_not_supported' } });
      const email = await api(`/users/${id}`, { method: 'PATCH', body: { email: 'new@acme.example' } });
      expect((email.body as Json).message).toBe('Cannot update email for this user');
    });

    it('profile sync per connection: name and picture editable where sync is off (github), refused where it is on (google-oauth2)', async () => {
      const github = tenant.store.all().find((u) => u.identities[0]!.connection === 'github')!;
      const google = tenant.store.all().find((u) => u.identities[0]!.connection === 'google-oauth2')!;
      const ok = await api(`/users/${encodeURIComponent(github.user_id)}`, {
        method: 'PATCH',
        body: { name: 'New Name', picture: 'https://x.example/p.png' },
      });
      expect(ok.status).toBe(200);
      expect((ok.body as Json).name).toBe('New Name');
      const no = await api(`/users/${encodeURIComponent(google.user_id)}`, { method: 'PATCH', body: { name: 'New Name' } });
      expect(no).toMatchObject({ status: 400, body: { errorCode: 'operation_not_supported' } });
      expect((no.body as Json).message).toContain('The following user attributes cannot be updated: name. The connection (google-oauth2)');
    });

    it('user ids: any non-whitespace after the provider prefix is an id; no prefix is refused (contract format user-id)', async () => {
      tenant.store.put(user('oauth2|corp|https://id.example/u:1', {}));
      expect((await api(`/users/${encodeURIComponent('oauth2|corp|https://id.example/u:1')}`)).status).toBe(200);
      const bare = await api('/users/abc123');
      expect(bare.status).toBe(400);
      expect((bare.body as Json).message).toBe("Object didn't pass validation for format user-id: abc123");
      const custom = await api('/users', {
        method: 'POST',
        body: { connection: 'Username-Password-Authentication', email: 'ws@acme.example', password: 'Passw0rd!x', user_id: 'a b' },
      });
      expect(custom.status).toBe(400);
    });
  });

  describe('rate limits (Auth0 docs: Management API rate limits)', () => {
    const reset = (res: { headers: Headers }) => Number(res.headers.get('x-ratelimit-reset'));

    it('free: one bucket of 2 for reads and writes, refilled with 2 at each second; reset is the epoch second of the next refill', async () => {
      clock = Date.UTC(2026, 0, 1, 12, 0, 0) + 400;
      tenant.rateLimit.configure('free');
      const first = await api('/users?per_page=1');
      expect(first.headers.get('x-ratelimit-limit')).toBe('2');
      expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
      expect(reset(first)).toBe(Math.floor(clock / 1000) + 1);
      expect((await api('/users/auth0%7Ccase1', { method: 'PATCH', body: { blocked: false } })).status).toBe(200);
      const limited = await api('/users?per_page=1');
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual(AUTH0_RATE_LIMITED_BODY);
      expect(limited.headers.get('retry-after')).toBeNull();
      clock += 599; // still the same second: no refill
      expect((await api('/users?per_page=1')).status).toBe(429);
      clock += 1; // the next second: refilled
      expect((await api('/users?per_page=1')).status).toBe(200);
    });

    it('essentials: reads burst 40 and writes burst 20 are separate buckets', async () => {
      clock = Date.UTC(2026, 0, 1, 13, 0, 0);
      tenant.rateLimit.configure('essentials');
      for (let i = 0; i < 20; i++)
        expect((await api('/users/auth0%7Ccase1', { method: 'PATCH', body: { blocked: false } })).status).toBe(200);
      const write = await api('/users/auth0%7Ccase1', { method: 'PATCH', body: { blocked: false } });
      expect(write.status).toBe(429);
      expect(write.headers.get('x-ratelimit-limit')).toBe('20');
      const read = await api('/users?per_page=1');
      expect(read.status).toBe(200);
      expect(read.headers.get('x-ratelimit-limit')).toBe('40');
      expect(read.headers.get('x-ratelimit-remaining')).toBe('39');
      // 200 writes per minute: after a minute, the write bucket is full again (capped at its burst).
      clock += 60_000;
      expect((await api('/users/auth0%7Ccase1', { method: 'PATCH', body: { blocked: false } })).headers.get('x-ratelimit-remaining')).toBe(
        '19',
      );
    });

    it('essentials refills at its per-minute rate: 500 reads and 200 writes over a minute, on top of the burst', () => {
      // The limiter itself, driven with the injected clock: 240 checks per bucket without HTTP.
      let now = Date.UTC(2026, 0, 1, 14, 0, 0);
      const limiter = new RateLimiter('essentials', () => now);
      const take = (method: string): boolean => {
        let allowed = false;
        const res = { setHeader: () => undefined, status: () => ({ json: () => undefined }) } as unknown as Response;
        limiter.middleware()({ method } as Request, res, () => {
          allowed = true;
        });
        return allowed;
      };
      const served = { GET: 0, PATCH: 0 };
      const start = now;
      for (let t = 0; t < 60_000; t += 250) {
        now = start + t;
        for (let i = 0; i < 5; i++) for (const method of ['GET', 'PATCH'] as const) if (take(method)) served[method]++;
      }
      // The burst at the start, then one refill per window after the first (the refill at 60 s is not reached).
      const { read, write } = limiter.preset;
      expect(served.GET).toBe(40 + 500 - read.refill);
      expect(served.PATCH).toBe(20 + 200 - write.refill);
    });
  });
});
