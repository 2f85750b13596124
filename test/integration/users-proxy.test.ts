import { DEMO_USERS } from '../../dev-tenant';
import { startStack, type Stack } from '../helpers/stack';
import { seedTarget } from '../helpers/targets';

describe('users proxy behaviour', () => {
  let stack: Stack;
  let admin: string;
  let support: string;
  beforeAll(async () => {
    stack = await startStack();
    admin = stack.tokenFor(DEMO_USERS.admin);
    support = stack.tokenFor(DEMO_USERS.support);
  });
  afterAll(async () => {
    expect(stack.tenant.invalidRequests()).toEqual([]);
    await stack.stop();
  });
  const as = (token: string) => stack.as(token);

  describe('non-database users', () => {
    const patches = () => stack.tenant.requestLog.filter((r) => r.method === 'PATCH').length;

    it('PATCH of picture on a user whose connection syncs the profile: Auth0 refuses it, usergate answers 400 attribute_not_updatable with the user_metadata workaround', async () => {
      const social = seedTarget(stack.tenant, { org: 'acme', social: true });
      const before = stack.tenant.store.snapshot();
      const forwarded = patches();
      const res = await as(admin)
        .patch(`/users/${encodeURIComponent(social.user_id)}`)
        .send({ picture: 'https://cdn.example/new.png' });
      expect(res.status).toBe(400);
      expect(res.body.errorCode).toBe('attribute_not_updatable');
      expect(res.body.message).toContain('picture');
      expect(res.body.message).toContain('google-oauth2');
      expect(res.body.message).toContain('user_metadata.picture');
      // Only Auth0 knows the connection's sync setting, so the PATCH was asked, and refused there.
      expect(patches()).toBe(forwarded + 1);
      expect(stack.tenant.store.snapshot()).toEqual(before);
    });

    it.each(['name', 'nickname', 'given_name', 'family_name'])(
      'PATCH of %s on a synced social user is forwarded, refused by Auth0 and told the same way',
      async (field) => {
        const social = seedTarget(stack.tenant, { org: 'acme', social: true });
        const res = await as(admin)
          .patch(`/users/${encodeURIComponent(social.user_id)}`)
          .send({ [field]: 'Value' });
        expect(res.status).toBe(400);
        expect(res.body.errorCode).toBe('attribute_not_updatable');
        expect(res.body.message).toContain(field);
        expect(stack.tenant.store.get(social.user_id)![field]).toBe(social[field]);
      },
    );

    it.each(['email', 'password', 'username'])(
      'PATCH of %s on a social user is refused before asking Auth0; nothing is forwarded',
      async (field) => {
        const social = seedTarget(stack.tenant, { org: 'acme', social: true });
        const forwarded = patches();
        const res = await as(admin)
          .patch(`/users/${encodeURIComponent(social.user_id)}`)
          .send({ [field]: field === 'email' ? 'a@b.example' : 'Value-123!' });
        expect(res.status).toBe(400);
        expect(res.body.errorCode).toBe('attribute_not_updatable');
        expect(res.body.message).toContain(field);
        expect(patches()).toBe(forwarded);
      },
    );

    it('PATCH of name and picture on a social user whose connection does not sync the profile (github) is allowed and lands', async () => {
      const github = stack.tenant.store.all().find((u) => u.identities[0]!.connection === 'github' && u.app_metadata?.org === 'acme')!;
      const res = await as(admin)
        .patch(`/users/${encodeURIComponent(github.user_id)}`)
        .send({ name: 'Renamed Person', picture: 'https://cdn.example/r.png' });
      expect(res.status).toBe(200);
      expect(stack.tenant.store.get(github.user_id)).toMatchObject({ name: 'Renamed Person', picture: 'https://cdn.example/r.png' });
    });

    it('PATCH of user_metadata.picture works', async () => {
      const social = seedTarget(stack.tenant, { org: 'acme', social: true });
      const res = await as(support)
        .patch(`/users/${encodeURIComponent(social.user_id)}`)
        .send({ user_metadata: { picture: 'https://cdn.example/new.png' } });
      expect(res.status).toBe(200);
      expect(res.body.user_metadata.picture).toBe('https://cdn.example/new.png');
      expect(stack.tenant.store.get(social.user_id)!.user_metadata!.picture).toBe('https://cdn.example/new.png');
    });
  });

  it('a field the policy file hides is absent for every role, admin included, and cannot be searched', async () => {
    const target = seedTarget(stack.tenant, { org: 'acme' });
    target.user_metadata = { locale: 'en', security_answers: { pet: 'Rex' } };
    for (const token of [admin, support]) {
      const res = await as(token).get(`/users/${encodeURIComponent(target.user_id)}`);
      expect(res.status).toBe(200);
      expect(res.body.user_metadata).toEqual({ locale: 'en' });
    }
    const search = await as(admin).get(`/users?q=${encodeURIComponent('user_metadata.security_answers.pet:Rex')}`);
    expect(search.status).toBe(403);
  });

  it('metadata follows Auth0 merge semantics: one level, null deletes a key, {} removes the object', async () => {
    const target = seedTarget(stack.tenant, { org: 'acme' });
    const path = `/users/${encodeURIComponent(target.user_id)}`;
    await as(admin)
      .patch(path)
      .send({ user_metadata: { a: { x: 1 }, b: 2 } });
    const merged = await as(admin)
      .patch(path)
      .send({ user_metadata: { a: { y: 2 }, b: null } });
    expect(merged.body.user_metadata).toEqual({ locale: 'en', a: { y: 2 } });
    const wiped = await as(admin).patch(path).send({ user_metadata: {} });
    expect(wiped.status).toBe(200);
    expect(wiped.body.user_metadata).toBeUndefined();
    expect(stack.tenant.store.get(target.user_id)!.user_metadata).toBeUndefined();
  });

  it('support may grant and revoke the viewer role in its org, and the change lands', async () => {
    const target = seedTarget(stack.tenant, { org: 'acme' });
    const path = `/users/${encodeURIComponent(target.user_id)}`;
    expect(
      (
        await as(support)
          .patch(path)
          .send({ app_metadata: { roles: ['viewer'] } })
      ).status,
    ).toBe(200);
    expect(stack.tenant.store.get(target.user_id)!.app_metadata).toEqual({ org: 'acme', roles: ['viewer'] });
    expect(
      (
        await as(support)
          .patch(path)
          .send({ app_metadata: { roles: [] } })
      ).status,
    ).toBe(200);
    expect(stack.tenant.store.get(target.user_id)!.app_metadata!.roles).toEqual([]);
  });

  it('support creates users in its own org only: the org is forced in', async () => {
    const res = await as(support)
      .post('/users')
      .send({ connection: 'Username-Password-Authentication', email: 'made.by.support@acme.example', password: 'Str0ng-pass!' });
    expect(res.status).toBe(201);
    expect(res.body.app_metadata).toEqual({ org: 'acme' });
    const sent = stack.tenant.requestLog.filter((r) => r.operation === 'POST /users').at(-1)!;
    expect((sent.body as { app_metadata: unknown }).app_metadata).toEqual({ org: 'acme' });
  });

  it('include_totals keeps the Auth0 shape; fields and include_fields=false select attributes', async () => {
    const totals = await as(admin).get('/users?per_page=5&page=1&include_totals=true');
    expect(totals.body).toMatchObject({ start: 5, limit: 5, length: 5, total: stack.tenant.store.size });
    const only = await as(admin).get('/users?per_page=3&fields=email,name');
    expect(only.body.every((u: object) => Object.keys(u).sort().join() === 'email,name')).toBe(true);
    const without = await as(admin).get('/users?per_page=3&fields=identities,app_metadata&include_fields=false');
    expect(without.body.every((u: object) => !('identities' in u) && !('app_metadata' in u) && 'email' in u)).toBe(true);
  });

  it('sort on a readable field is forwarded and honoured', async () => {
    const res = await as(admin).get('/users?per_page=100&sort=logins_count:-1');
    const counts = res.body.map((u: { logins_count: number }) => u.logins_count);
    expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));
  });

  it('users-by-email answers only in-scope users', async () => {
    const other = seedTarget(stack.tenant, { org: 'globex' });
    const res = await as(support).get(`/users-by-email?email=${encodeURIComponent(other.email!)}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });

  describe('/me', () => {
    it('PATCH /me changes user_metadata and answers under the self policy', async () => {
      const res = await as(support)
        .patch('/me')
        .send({ user_metadata: { theme: 'dark' } });
      expect(res.status).toBe(200);
      expect(res.body.user_metadata.theme).toBe('dark');
      expect(res.body).not.toHaveProperty('last_ip');
    });

    it('PATCH /me of a field outside self.write is 403 and nothing changes', async () => {
      const before = stack.tenant.store.get(DEMO_USERS.support)!.name;
      const res = await as(support).patch('/me').send({ name: 'Boss' });
      expect(res.status).toBe(403);
      expect(stack.tenant.store.get(DEMO_USERS.support)!.name).toBe(before);
    });

    it('GET /me for a subject that is not a user is 404', async () => {
      const res = await stack.http.get('/me').set('authorization', `Bearer ${stack.tokenFor('client-id@clients')}`);
      expect(res.status).toBe(404);
    });
  });
});

describe('a policy whose role names, org path and field sets differ from ours', () => {
  let stack: Stack;
  let helper: string;
  beforeAll(async () => {
    stack = await startStack({
      env: {
        ROLES_SOURCE: 'claim',
        ROLES_CLAIM: 'https://x.example/groups',
        ORG_CLAIM: 'https://x.example/tenant',
        ORG_PATH: 'tenancy.id',
      },
      policy: {
        roles: {
          'helpdesk-l1': {
            can: ['list', 'read', 'update'],
            read: ['user_id', 'nickname', 'app_metadata.tenancy'],
            write: ['user_metadata.notes'],
            scope: 'org',
          },
        },
        self: { read: ['user_id'] },
      },
    });
    for (const [i, tenancy] of ['t-1', 't-1', 't-2'].entries()) {
      seedTarget(stack.tenant, {});
      const u = stack.tenant.store.all().at(-1)!;
      u.app_metadata = { tenancy: { id: tenancy } };
      u.nickname = `n${i}`;
    }
    helper = seedTarget(stack.tenant, {}).user_id;
  });
  afterAll(async () => {
    expect(stack.tenant.invalidRequests()).toEqual([]);
    await stack.stop();
  });

  it('lists only its tenancy, reads only its fields, writes only its paths', async () => {
    const token = stack.tokenFor(helper, { claims: { 'https://x.example/groups': ['helpdesk-l1'], 'https://x.example/tenant': 't-1' } });
    const list = await stack.http.get('/users?per_page=100').set('authorization', `Bearer ${token}`);
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(2);
    expect(stack.tenant.requestLog.at(-1)!.query.q).toBe('app_metadata.tenancy.id:"t-1"');
    for (const u of list.body) expect(Object.keys(u).sort()).toEqual(['app_metadata', 'nickname', 'user_id']);
    const id = encodeURIComponent(list.body[0].user_id);
    expect(
      (
        await stack.http
          .patch(`/users/${id}`)
          .set('authorization', `Bearer ${token}`)
          .send({ user_metadata: { notes: 'called' } })
      ).status,
    ).toBe(200);
    expect(
      (
        await stack.http
          .patch(`/users/${id}`)
          .set('authorization', `Bearer ${token}`)
          .send({ user_metadata: { other: 'x' } })
      ).status,
    ).toBe(403);
    expect((await stack.http.post('/users').set('authorization', `Bearer ${token}`).send({ connection: 'x' })).status).toBe(403);
  });
});
