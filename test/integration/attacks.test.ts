import { DEMO_USERS } from '../../dev-tenant';
import { startStack, type Stack } from '../helpers/stack';
import { seedTarget } from '../helpers/targets';

/**
 * Every attack gets a clear 4xx and leaves the dev tenant's store as it was; nothing usergate
 * forwards is a request Auth0 would refuse.
 */
describe('attacks', () => {
  let stack: Stack;
  let support: string;
  let admin: string;
  let snapshot: unknown;
  beforeAll(async () => {
    stack = await startStack();
    support = stack.tokenFor(DEMO_USERS.support);
    admin = stack.tokenFor(DEMO_USERS.admin);
    seedTarget(stack.tenant, { org: 'acme', social: true });
    // Resolve both callers once, so later counts of upstream calls see only what each test causes.
    await stack.http.get('/me/permissions').set('authorization', `Bearer ${support}`);
    await stack.http.get('/me/permissions').set('authorization', `Bearer ${admin}`);
  });
  beforeEach(() => {
    snapshot = stack.tenant.store.snapshot();
  });
  afterEach(() => {
    expect(stack.tenant.store.snapshot()).toEqual(snapshot);
  });
  afterAll(async () => {
    expect(stack.tenant.invalidRequests()).toEqual([]);
    await stack.stop();
  });
  const as = (token: string) => stack.as(token);

  describe('user ids that try to reach another endpoint', () => {
    it.each([
      ['traversal', '..%2F..%2Fclients'],
      ['encoded dots', '%2E%2E'],
      ['no provider prefix', 'abc123'],
      ['whitespace', 'auth0%7Cx%20y'],
      ['a NUL byte', 'auth0%7Cx%00'],
      ['10 kB', 'auth0%7C' + 'a'.repeat(10_000)],
    ])('an id with %s is 400 invalid_user_id on GET/PATCH/DELETE, and nothing is forwarded', async (_name, id) => {
      const before = stack.tenant.counters.apiCalls;
      for (const res of [
        await as(admin).get(`/users/${id}`),
        await as(admin).patch(`/users/${id}`).send({ blocked: true }),
        await as(admin).delete(`/users/${id}`),
      ]) {
        expect(res.status).toBe(400);
        expect(res.body.errorCode).toBe('invalid_user_id');
      }
      expect(stack.tenant.counters.apiCalls).toBe(before);
    });

    // Real Auth0 ids hold any non-whitespace after the provider prefix (custom OAuth2 and custom
    // database ids contain / and :), so these are ids; they travel as one encoded path segment.
    it.each([
      ['an encoded slash', 'auth0|x/../../clients'],
      ['an encoded query', 'auth0|x?include_fields=false'],
      ['an encoded fragment', 'auth0|x#frag'],
      ['backslashes', 'auth0|x\\..\\clients'],
      ['a percent sign', 'auth0|x%2F'],
    ])('an id with %s reaches only /users/{id}, as one segment that decodes to the id', async (_name, id) => {
      const before = stack.tenant.requestLog.length;
      for (const res of [
        await as(admin).get(`/users/${encodeURIComponent(id)}`),
        await as(admin)
          .patch(`/users/${encodeURIComponent(id)}`)
          .send({ blocked: true }),
        await as(admin).delete(`/users/${encodeURIComponent(id)}`),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.errorCode).toBe('user_not_found');
      }
      const sent = stack.tenant.requestLog.slice(before);
      expect(sent.length).toBeGreaterThan(0);
      for (const request of sent) {
        expect(request.operation).toBe('GET /users/{id}');
        expect(request.path).toBe(`/users/${encodeURIComponent(id)}`);
      }
    });

    it('a path with extra segments matches no route', async () => {
      expect((await as(admin).get('/users/auth0|x/../../clients')).status).toBe(404);
      expect((await as(admin).delete('/users/auth0|x/permissions')).status).toBe(404);
    });
  });

  describe('search', () => {
    it.each(['*) OR (app_metadata.org:globex', 'name:"unbalanced', '(name:x', 'name:x)', 'app_metadata.org:acme) OR (_exists_:user_id'])(
      'q=%s that tries to escape the org filter or does not parse is 400',
      async (q) => {
        const res = await as(support).get(`/users?q=${encodeURIComponent(q)}`);
        expect(res.status).toBe(400);
        expect(res.body.errorCode).toBe('invalid_search');
      },
    );

    it('a well-formed query on another org stays inside the caller org: the upstream query is wrapped', async () => {
      const res = await as(support).get(`/users?q=${encodeURIComponent('app_metadata.org:globex OR app_metadata.org:initech')}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
      expect(stack.tenant.requestLog.at(-1)!.query.q).toBe(
        '(app_metadata.org:globex OR app_metadata.org:initech) AND app_metadata.org:"acme"',
      );
    });

    it.each([
      ['_exists_:password', 'password'],
      ['identities.access_token:ya29*', 'identities.access_token'],
      ['last_ip:192*', 'last_ip'],
      ['app_metadata.plan:gold', 'app_metadata.plan'],
      ['given_name:Ada', 'given_name'],
      ['Ada', 'name the field'],
    ])('q=%s on a field the caller cannot read is 403 naming it', async (q, field) => {
      const res = await as(support).get(`/users?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(403);
      expect(res.body.errorCode).toBe('field_not_readable');
      expect(res.body.message).toContain(field);
    });

    it.each([
      ['support', 'password'],
      ['support', 'last_ip'],
      ['support', 'identities,given_name'],
      ['admin', 'password'],
      ['admin', 'identities.access_token'],
    ])('as %s, fields=%s with an unreadable field is 403', async (who, fields) => {
      const res = await as(who === 'admin' ? admin : support).get(`/users?fields=${fields}`);
      expect(res.status).toBe(403);
      expect(res.body.errorCode).toBe('field_not_readable');
    });

    it('fields=identities for a role that reads part of identities answers only those parts, never IdP tokens', async () => {
      const res = await as(support).get(
        `/users?fields=identities&per_page=100&q=${encodeURIComponent('identities.connection:"google-oauth2"')}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.length).toBeGreaterThan(0);
      for (const user of res.body) {
        expect(Object.keys(user)).toEqual(['identities']);
        for (const identity of user.identities) expect(Object.keys(identity).sort()).toEqual(['connection', 'isSocial', 'provider']);
      }
    });

    it.each(['identities.access_token:ya29*', '_exists_:identities.refresh_token', 'password:x'])(
      'even admin (read: *) may not search on an always-hidden field: q=%s is 403',
      async (q) => {
        const res = await as(admin).get(`/users?q=${encodeURIComponent(q)}`);
        expect(res.status).toBe(403);
        expect(res.body.errorCode).toBe('field_not_readable');
      },
    );

    it('even admin (read: *) never sees IdP tokens or a password', async () => {
      const res = await as(admin).get(`/users?per_page=100&q=${encodeURIComponent('identities.connection:"google-oauth2"')}`);
      expect(res.status).toBe(200);
      expect(res.body.length).toBeGreaterThan(0);
      expect(JSON.stringify(res.body)).not.toMatch(/access_token|refresh_token|password/);
    });

    it.each([
      ['per_page=101', 'invalid_query'],
      ['per_page=-1', 'invalid_query'],
      ['page=10&per_page=100', 'invalid_paging'],
      ['page=abc', 'invalid_query'],
      ['sort=email', 'invalid_query'],
      ['sort=last_ip:1', 'field_not_readable'],
      ['q=a&q=b', 'invalid_query'],
      ['search_engine=v1', 'invalid_query'],
      ['connection=x', 'invalid_query'],
      ['include_totals=yes', 'invalid_query'],
    ])('GET /users?%s is refused before anything is forwarded (%s)', async (query, code) => {
      const before = stack.tenant.counters.apiCalls;
      const res = await as(support).get(`/users?${query}`);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.errorCode).toBe(code);
      expect(stack.tenant.counters.apiCalls).toBe(before);
    });
  });

  describe('privilege escalation and mass assignment', () => {
    it('support cannot grant a role outside its grant list, on update or on create', async () => {
      const target = seedTarget(stack.tenant, { org: 'acme' });
      snapshot = stack.tenant.store.snapshot();
      const update = await as(support)
        .patch(`/users/${encodeURIComponent(target.user_id)}`)
        .send({ app_metadata: { roles: ['admin'] } });
      expect(update.status).toBe(403);
      expect(update.body).toMatchObject({ errorCode: 'role_not_grantable', message: expect.stringContaining('admin') });
      const create = await as(support)
        .post('/users')
        .send({
          connection: 'Username-Password-Authentication',
          email: 'esc@acme.example',
          password: 'Passw0rd!x',
          app_metadata: { roles: ['support'] },
        });
      expect(create.status).toBe(403);
    });

    it('support cannot revoke a role it may not grant', async () => {
      const target = seedTarget(stack.tenant, { org: 'acme', roles: ['auditor'] });
      snapshot = stack.tenant.store.snapshot();
      const res = await as(support)
        .patch(`/users/${encodeURIComponent(target.user_id)}`)
        .send({ app_metadata: { roles: [] } });
      expect(res.status).toBe(403);
      expect(res.body.message).toContain('auditor');
    });

    it('nobody changes their own roles: not through /users/:id, not through /me', async () => {
      const viaUsers = await as(admin)
        .patch(`/users/${encodeURIComponent(DEMO_USERS.admin)}`)
        .send({ app_metadata: { roles: ['admin', 'support'] } });
      expect(viaUsers.status).toBe(403);
      expect(viaUsers.body.errorCode).toBe('self_forbidden');
      const viaMe = await as(support)
        .patch('/me')
        .send({ app_metadata: { roles: ['admin'] } });
      expect(viaMe.status).toBe(403);
    });

    it('an org-scoped caller cannot create outside its org or move a user out of it', async () => {
      const create = await as(support)
        .post('/users')
        .send({
          connection: 'Username-Password-Authentication',
          email: 'x@globex.example',
          password: 'Passw0rd!x',
          app_metadata: { org: 'globex' },
        });
      expect(create.status).toBe(403);
      const target = seedTarget(stack.tenant, { org: 'acme' });
      snapshot = stack.tenant.store.snapshot();
      const move = await as(support)
        .patch(`/users/${encodeURIComponent(target.user_id)}`)
        .send({ app_metadata: {} });
      expect(move.status).toBe(403);
    });

    it('an org-scoped caller cannot touch users of another org, and gets 404 for them', async () => {
      const other = seedTarget(stack.tenant, { org: 'globex' });
      snapshot = stack.tenant.store.snapshot();
      const res = await as(support)
        .patch(`/users/${encodeURIComponent(other.user_id)}`)
        .send({ blocked: true });
      expect(res.status).toBe(404);
    });

    it('creating in a connection outside the role connections is 403', async () => {
      const res = await as(support).post('/users').send({ connection: 'google-oauth2', email: 'g@acme.example', password: 'Passw0rd!x' });
      expect(res.status).toBe(403);
      expect(res.body.errorCode).toBe('connection_forbidden');
    });

    it('read-only fields are refused even for admin, naming each one', async () => {
      const target = seedTarget(stack.tenant, { org: 'acme' });
      snapshot = stack.tenant.store.snapshot();
      const res = await as(admin)
        .patch(`/users/${encodeURIComponent(target.user_id)}`)
        .send({ identities: [], user_id: 'auth0|mine', created_at: '2000-01-01', logins_count: 0, multifactor: [] });
      expect(res.status).toBe(403);
      expect(res.body.errorCode).toBe('field_not_writable');
      for (const f of ['identities', 'user_id', 'created_at', 'logins_count', 'multifactor']) expect(res.body.message).toContain(f);
    });

    it('nobody deletes their own account', async () => {
      const res = await as(admin).delete(`/users/${encodeURIComponent(DEMO_USERS.admin)}`);
      expect(res.status).toBe(403);
      expect(res.body.errorCode).toBe('self_forbidden');
    });

    it('a user with no role gets 403 on every users endpoint', async () => {
      const none = stack.tokenFor(DEMO_USERS.none);
      for (const res of [
        await as(none).get('/users'),
        await as(none).get(`/users/${encodeURIComponent(DEMO_USERS.admin)}`),
        await as(none).get('/users-by-email?email=a@b.example'),
        await as(none).post('/users').send({ connection: 'x' }),
        await as(none)
          .patch(`/users/${encodeURIComponent(DEMO_USERS.admin)}`)
          .send({ blocked: true }),
        await as(none).delete(`/users/${encodeURIComponent(DEMO_USERS.admin)}`),
      ]) {
        expect(res.status).toBe(403);
        expect(res.body.errorCode).toBe('no_role');
      }
    });

    it('a role list longer than 50 in a create body is 400 invalid_roles, and nothing is forwarded', async () => {
      const before = stack.tenant.counters.apiCalls;
      const big = await as(admin)
        .post('/users')
        .send({
          connection: 'Username-Password-Authentication',
          email: 'big@x.example',
          password: 'Passw0rd!x',
          app_metadata: { roles: Array.from({ length: 60 }, (_, i) => `r${i}`) },
        });
      expect(big.status).toBe(400);
      expect(big.body.errorCode).toBe('invalid_roles');
      expect(stack.tenant.counters.apiCalls).toBe(before);
    });
  });
});
