import type { StoredUser } from '../../dev-tenant';
import { startStack, type Stack } from '../helpers/stack';
import { seedTarget } from '../helpers/targets';

/**
 * usergate's rules that come from how Auth0 behaves (docs/auth0-facts.md), over HTTP against the dev
 * tenant. Role names come from this test's own policy, not the shipped file. Where usergate refuses,
 * nothing reaches the tenant.
 */
const ROLES = 'https://usergate.dev/roles';
const ORG = 'https://usergate.dev/org';
const policy = {
  roles: {
    everything: { can: ['list', 'read', 'create', 'update', 'delete'], read: ['*'], write: ['*'], grant: ['*'], connections: ['*'] },
    desk: {
      can: ['list', 'read', 'create', 'update'],
      read: ['user_id', 'email', 'name', 'given_name', 'family_name', 'nickname', 'created_at', 'app_metadata', 'user_metadata'],
      write: ['name', 'user_metadata'],
      connections: ['Username-Password-Authentication'],
      scope: 'org',
    },
  },
};

describe('Auth0 rules usergate enforces before calling upstream', () => {
  let stack: Stack;
  let all: string;
  let desk: string;
  beforeAll(async () => {
    stack = await startStack({ policy, env: { ROLES_SOURCE: 'claim', CLAIM_BLOCKED_CHECK: 'false' } });
    all = stack.tokenFor('auth0|rules-everything', { claims: { [ROLES]: ['everything'] } });
    desk = stack.tokenFor('auth0|rules-desk', { claims: { [ROLES]: ['desk'], [ORG]: 'acme' } });
  });
  afterAll(async () => {
    expect(stack.tenant.invalidRequests()).toEqual([]);
    await stack.stop();
  });
  afterEach(() => {
    stack.tenant.faults.clear();
    stack.tenant.searchBudgetMs = 2000;
  });
  const as = (token: string) => stack.as(token);
  const calls = () => stack.tenant.counters.apiCalls;
  const search = (token: string, query: Record<string, string>) => as(token).get(`/users?${new URLSearchParams(query).toString()}`);

  describe('search', () => {
    it.each([
      ['name:jan?', '? wildcard'],
      ['name:*sa', 'at least 3'],
      ['email:a*b', 'at least 3'],
      ['user_metadata.locale:e*', 'no wildcard on user_metadata'],
      ['user_metadata.age:[1 TO 5]', 'no range on user_metadata'],
    ])('q=%s is 400 invalid_search naming the rule, and nothing is forwarded', async (q, rule) => {
      const before = calls();
      const res = await search(all, { q });
      expect(res.status).toBe(400);
      expect(res.body.errorCode).toBe('invalid_search');
      expect(res.body.message).toContain(rule);
      expect(calls()).toBe(before);
    });

    it('a prefix of any length and a suffix with 3 literals are forwarded', async () => {
      for (const q of ['name:a*', 'name:*ace']) {
        const res = await search(all, { q });
        expect(res.status).toBe(200);
        expect(stack.tenant.requestLog.at(-1)!.query.q).toBe(q);
      }
    });

    it.each(['app_metadata.org:1', 'user_metadata.locale:-1'])(
      'sort=%s is 400 invalid_query (Auth0 cannot sort by metadata), and nothing is forwarded',
      async (sort) => {
        const before = calls();
        const res = await search(all, { sort });
        expect(res.status).toBe(400);
        expect(res.body.errorCode).toBe('invalid_query');
        expect(res.body.message).toContain('metadata');
        expect(calls()).toBe(before);
      },
    );

    it('a bare term is 403 for a caller who does not read every field, telling it to name the field; nothing is forwarded', async () => {
      const before = calls();
      const res = await search(desk, { q: 'jane*' });
      expect(res.status).toBe(403);
      expect(res.body.errorCode).toBe('field_not_readable');
      expect(res.body.message).toContain('name:jane* OR email:jane*');
      expect(calls()).toBe(before);
    });

    it("the same search with named fields is allowed, narrowed to the caller's org", async () => {
      const res = await search(desk, { q: 'name:jane* OR email:jane*' });
      expect(res.status).toBe(200);
      expect(stack.tenant.requestLog.at(-1)!.query.q).toBe('(name:jane* OR email:jane*) AND app_metadata.org:"acme"');
    });

    it('a bare term is allowed to a caller who reads every field', async () => {
      const res = await search(all, { q: 'Ada' });
      expect(res.status).toBe(200);
      expect(stack.tenant.requestLog.at(-1)!.query.q).toBe('Ada');
    });

    it.each(['email:x\\', 'name:x AND email:y\\\\\\'])(
      'q=%s (ending in a backslash) is 400 invalid_search for an org-scoped caller, and nothing is forwarded',
      async (q) => {
        const before = calls();
        const res = await search(desk, { q });
        expect(res.status).toBe(400);
        expect(res.body.errorCode).toBe('invalid_search');
        expect(calls()).toBe(before);
      },
    );

    it('an escaped backslash at the end is a literal and is forwarded inside the org wrapper', async () => {
      const res = await search(desk, { q: 'name:x\\\\' });
      expect(res.status).toBe(200);
      expect(stack.tenant.requestLog.at(-1)!.query.q).toBe('(name:x\\\\) AND app_metadata.org:"acme"');
    });
  });

  describe('paging', () => {
    it.each([
      ['33', '30'],
      ['10', '100'],
      ['500', '2'],
    ])('page=%s&per_page=%s ends past the first 1000 results: 400 invalid_paging, nothing forwarded', async (page, perPage) => {
      const before = calls();
      const res = await search(all, { page, per_page: perPage });
      expect(res.status).toBe(400);
      expect(res.body.errorCode).toBe('invalid_paging');
      expect(calls()).toBe(before);
    });

    it('page=32&per_page=30 ends at 990 and is forwarded', async () => {
      const res = await search(all, { page: '32', per_page: '30' });
      expect(res.status).toBe(200);
    });

    it('page=999&per_page=1 ends exactly at 1000 and is forwarded; page=1000 is past the documented bound (400 invalid_query)', async () => {
      expect((await search(all, { page: '999', per_page: '1' })).status).toBe(200);
      const before = calls();
      const res = await search(all, { page: '1000', per_page: '1' });
      expect([res.status, res.body.errorCode]).toEqual([400, 'invalid_query']);
      expect(calls()).toBe(before);
    });
  });

  describe('expensive searches', () => {
    it('a search Auth0 ends with 503 is not retried and answers 503 search_too_expensive telling the caller to narrow it', async () => {
      stack.tenant.searchBudgetMs = -1; // every search is over budget
      const before = calls();
      const res = await search(all, { q: 'name:a*' });
      expect(res.status).toBe(503);
      expect(res.body.errorCode).toBe('search_too_expensive');
      expect(res.body.message).toContain('narrow');
      expect(calls()).toBe(before + 1);
    });

    it('a 414 to a search is not retried and answers 400 invalid_search', async () => {
      stack.tenant.faults.inject({ method: 'GET', path: '/api/v2/users', kind: 'status', status: 414, times: 5 });
      const before = calls();
      const res = await search(all, { q: 'name:a*' });
      expect(res.status).toBe(400);
      expect(res.body.errorCode).toBe('invalid_search');
      expect(calls()).toBe(before + 1);
    });

    it('a 503 to a list without q is still retried (a transient failure)', async () => {
      stack.tenant.faults.inject({ method: 'GET', path: '/api/v2/users', kind: 'status', status: 503, times: 1 });
      const before = calls();
      const res = await search(all, { per_page: '1' });
      expect(res.status).toBe(200);
      expect(calls()).toBe(before + 2);
    });
  });

  describe('user ids', () => {
    function putUser(userId: string): StoredUser {
      const user = seedTarget(stack.tenant, { org: 'acme' });
      stack.tenant.store.delete(user.user_id);
      user.user_id = userId;
      stack.tenant.store.put(user);
      return user;
    }

    it.each(['oauth2|corp-sso|https://id.corp.example/users/42', 'auth0|tenant:42/a', 'samlp|globex|jane@globex.example'])(
      'a real id with / or : (%s) can be read, updated and deleted',
      async (userId) => {
        putUser(userId);
        const path = `/users/${encodeURIComponent(userId)}`;
        expect((await as(all).get(path)).body.user_id).toBe(userId);
        expect(
          (
            await as(all)
              .patch(path)
              .send({ user_metadata: { seen: true } })
          ).status,
        ).toBe(200);
        expect(stack.tenant.store.get(userId)!.user_metadata).toEqual({ locale: 'en', seen: true });
        expect((await as(all).delete(path)).status).toBe(204);
        expect(stack.tenant.store.get(userId)).toBeUndefined();
      },
    );

    it.each([
      ['whitespace', 'a b'],
      ['a tab', 'a\tb'],
      ['256 characters', 'x'.repeat(256)],
      ['an empty string', ''],
      ['a number', 42],
    ])('a custom user_id with %s on create is 400 invalid_user_id, and nothing is forwarded', async (_name, userId) => {
      const before = calls();
      const res = await as(all)
        .post('/users')
        .send({ connection: 'Username-Password-Authentication', email: 'custom@acme.example', password: 'Passw0rd!x', user_id: userId });
      expect(res.status).toBe(400);
      expect(res.body.errorCode).toBe('invalid_user_id');
      expect(calls()).toBe(before);
    });

    it('a custom user_id with / and : on create makes a user usergate then serves', async () => {
      const res = await as(all).post('/users').send({
        connection: 'Username-Password-Authentication',
        email: 'legacy42@acme.example',
        password: 'Passw0rd!x',
        user_id: 'legacy:42/x',
      });
      expect(res.status).toBe(201);
      expect(res.body.user_id).toBe('auth0|legacy:42/x');
      const read = await as(all).get(`/users/${encodeURIComponent('auth0|legacy:42/x')}`);
      expect(read.status).toBe(200);
      expect(read.body.email).toBe('legacy42@acme.example');
    });
  });

  it("an attribute Auth0 refuses for a provider's user (email_verified of an enterprise user) is forwarded once and told as 400 attribute_not_updatable", async () => {
    const enterprise = stack.tenant.store.all().find((u) => u.identities[0]!.connection === 'acme-azure')!;
    const before = stack.tenant.store.snapshot();
    const patches = () => stack.tenant.requestLog.filter((r) => r.method === 'PATCH').length;
    const forwarded = patches();
    const res = await as(all)
      .patch(`/users/${encodeURIComponent(enterprise.user_id)}`)
      .send({ email_verified: true });
    expect(res.status).toBe(400);
    expect(res.body.errorCode).toBe('attribute_not_updatable');
    expect(res.body.message).toContain('email_verified');
    expect(res.body.message).toContain('user_metadata');
    expect(patches()).toBe(forwarded + 1);
    expect(stack.tenant.store.snapshot()).toEqual(before);
  });

  it('DELETE of a user that does not exist is 404 user_not_found (Auth0 would answer 204), and no DELETE is forwarded', async () => {
    const deletes = () => stack.tenant.requestLog.filter((r) => r.method === 'DELETE').length;
    const before = deletes();
    const res = await as(all).delete(`/users/${encodeURIComponent('auth0|does-not-exist-anywhere')}`);
    expect(res.status).toBe(404);
    expect(res.body.errorCode).toBe('user_not_found');
    expect(deletes()).toBe(before);
  });
});
