import { DEFAULT_CLIENT, DEMO_USERS } from '../../dev-tenant';
import { startStack, type Stack } from '../helpers/stack';

/** Role names as a B2B tenant writes them in Auth0's dashboard: spaces and capitals. */
const POLICY = {
  roles: {
    'Tenant Admin': {
      can: ['list', 'read', 'create', 'update', 'delete', 'unblock'],
      read: ['*'],
      write: ['*'],
      grant: ['*'],
      connections: ['*'],
    },
    'Help Desk': {
      can: ['list', 'read', 'update', 'unblock'],
      read: ['user_id', 'name', 'email', 'app_metadata', 'roles'],
      write: ['name'],
      grant: ['Org Viewer'],
      scope: 'org',
    },
    'Org Viewer': { can: ['list', 'read'], read: ['user_id', 'name'], scope: 'org' },
    // Tenant-wide, but may hand out one role only.
    'Role Manager': { can: ['read', 'update'], read: ['user_id', 'roles'], grant: ['Org Viewer'] },
  },
};

const rolesCalls = (stack: Stack, sub: string) =>
  stack.tenant.requestLog.filter((r) => r.method === 'GET' && decodeURIComponent(r.path) === `/users/${sub}/roles`).length;

describe('ROLES_SOURCE=rbac: roles are the names of the Auth0 RBAC roles', () => {
  let clock = Date.now();
  let stack: Stack;
  /** Users of acme besides the demo users, to act on. */
  let acme: string[];
  beforeAll(async () => {
    stack = await startStack({
      policy: POLICY,
      now: () => clock,
      env: { ROLES_SOURCE: 'rbac', ORG_SOURCE: 'app_metadata', ROLES_CACHE_TTL_S: '60' },
    });
    const roles = stack.tenant.roles;
    roles.setUserRoles(DEMO_USERS.admin, ['Tenant Admin']);
    roles.setUserRoles(DEMO_USERS.support, ['Help Desk']);
    roles.setUserRoles(DEMO_USERS.viewer, ['Org Viewer']);
    acme = stack.tenant.store
      .all()
      .filter((u) => u.app_metadata?.org === 'acme' && !Object.values(DEMO_USERS).includes(u.user_id as never) && !u.blocked)
      // Database users first: their names are editable (the profile tests rename them).
      .sort(
        (a, b) =>
          Number(b.identities[0]!.connection === 'Username-Password-Authentication') -
          Number(a.identities[0]!.connection === 'Username-Password-Authentication'),
      )
      .map((u) => u.user_id);
    for (const id of acme) roles.setUserRoles(id, []);
  });
  afterAll(() => stack.stop());
  // Each test starts with every cached caller expired (tokens live an hour on this clock).
  afterEach(() => {
    clock += 61_000;
  });

  const as = (sub: string) => stack.as(stack.tokenFor(sub));
  const permissions = async (sub: string) => (await as(sub).get('/me/permissions')).body as Record<string, unknown>;

  it('a caller gets what RBAC says, whatever its app_metadata says, and its org from its profile', async () => {
    expect(stack.tenant.store.get(DEMO_USERS.support)!.app_metadata!.roles).toEqual(['support']);
    expect(await permissions(DEMO_USERS.support)).toMatchObject({ roles: ['Help Desk'], org: 'acme' });
    // app_metadata naming a policy role grants nothing in this mode.
    const user = stack.tenant.store.get(acme[0]!)!;
    user.app_metadata = { ...user.app_metadata, roles: ['Tenant Admin'] };
    const res = await as(acme[0]!).get('/users');
    expect(res.status).toBe(403);
    expect(res.body.errorCode).toBe('no_role');
  });

  it('looks a caller up once per TTL (profile and roles together), all pages of its roles', async () => {
    const sub = DEMO_USERS.viewer;
    const before = rolesCalls(stack, sub);
    await Promise.all(Array.from({ length: 10 }, () => permissions(sub)));
    expect(rolesCalls(stack, sub)).toBe(before + 1);
    // 150 roles: more than a page; more than usergate accepts, so nothing is granted (and it says why).
    stack.tenant.roles.setUserRoles(sub, ['Org Viewer', ...Array.from({ length: 149 }, (_, i) => `Filler ${i}`)]);
    clock += 61_000;
    expect(await permissions(sub)).toMatchObject({ roles: [] });
    expect(rolesCalls(stack, sub)).toBe(before + 3);
    stack.tenant.roles.setUserRoles(sub, ['Org Viewer', ...Array.from({ length: 60 }, (_, i) => `Filler ${i}`)]);
    clock += 61_000;
    expect(((await permissions(sub)).roles as string[]).length).toBe(61);
    stack.tenant.roles.setUserRoles(sub, ['Org Viewer']);
  });

  it('a blocked caller has no role, whatever RBAC says', async () => {
    const sub = acme[1]!;
    stack.tenant.roles.setUserRoles(sub, ['Tenant Admin']);
    stack.tenant.store.get(sub)!.blocked = true;
    const res = await as(sub).get('/me/permissions');
    expect(res.status).toBe(403);
    expect(res.body.errorCode).toBe('caller_blocked');
    stack.tenant.store.get(sub)!.blocked = false;
    stack.tenant.roles.setUserRoles(sub, []);
  });

  it("target protection counts the target's RBAC roles, not its app_metadata", async () => {
    const [protectedOne, plain] = [acme[2]!, acme[3]!];
    stack.tenant.roles.setUserRoles(protectedOne, ['Tenant Admin']);
    stack.tenant.store.get(protectedOne)!.app_metadata!.roles = [];
    stack.tenant.store.get(plain)!.app_metadata!.roles = ['admin', 'Tenant Admin'];
    const refused = await as(DEMO_USERS.support)
      .patch(`/users/${encodeURIComponent(protectedOne)}`)
      .send({ name: 'Renamed' });
    expect(refused.status).toBe(403);
    expect(refused.body.errorCode).toBe('target_protected');
    expect(stack.tenant.store.get(protectedOne)!.name).not.toBe('Renamed');
    const allowed = await as(DEMO_USERS.support)
      .patch(`/users/${encodeURIComponent(plain)}`)
      .send({ name: 'Renamed' });
    expect(allowed.status).toBe(200);
    expect(stack.tenant.store.get(plain)!.name).toBe('Renamed');
    stack.tenant.roles.setUserRoles(protectedOne, []);
  });

  it('a write of app_metadata.roles is plain data in this mode: it grants nothing and needs no grant', async () => {
    const target = acme[4]!;
    const res = await as(DEMO_USERS.admin)
      .patch(`/users/${encodeURIComponent(target)}`)
      .send({ app_metadata: { roles: ['Tenant Admin'] } });
    expect(res.status).toBe(200);
    expect(stack.tenant.roles.namesOf(target)).toEqual([]);
    const probe = await as(target).get('/users');
    expect(probe.status).toBe(403);
  });

  describe('/users/:id/roles with rbac', () => {
    const path = (id: string) => `/users/${encodeURIComponent(id)}/roles`;
    const writes = (id: string) =>
      stack.tenant.requestLog.filter((r) => r.method !== 'GET' && decodeURIComponent(r.path) === `/users/${id}/roles`).length;
    const roleLookups = () => stack.tenant.requestLog.filter((r) => r.path === '/roles').length;

    it('reads the RBAC roles where `roles` is readable; 403 where not; 404 outside the scope', async () => {
      const target = acme[5]!;
      stack.tenant.roles.setUserRoles(target, ['Org Viewer']);
      stack.tenant.store.get(target)!.app_metadata!.roles = ['admin'];
      const res = await as(DEMO_USERS.support).get(path(target));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ roles: ['Org Viewer'] });
      const unreadable = await as(DEMO_USERS.viewer).get(path(target));
      expect(unreadable.status).toBe(403);
      expect(unreadable.body.errorCode).toBe('field_not_readable');
      const globex = stack.tenant.store.all().find((u) => u.app_metadata?.org === 'globex')!.user_id;
      expect((await as(DEMO_USERS.support).get(path(globex))).status).toBe(404);
    });

    it('adds and removes roles as Auth0 role ids; the answer and the tenant agree', async () => {
      const target = acme[6]!;
      const added = await as(DEMO_USERS.admin)
        .post(path(target))
        .send({ roles: ['Org Viewer', 'Help Desk'] });
      expect(added.status).toBe(200);
      expect(added.body).toEqual({ roles: ['Help Desk', 'Org Viewer'] });
      expect(stack.tenant.roles.namesOf(target)).toEqual(['Help Desk', 'Org Viewer']);
      const posted = stack.tenant.requestLog.filter((r) => r.method === 'POST' && decodeURIComponent(r.path) === `/users/${target}/roles`);
      expect(posted.at(-1)!.body).toEqual({ roles: expect.arrayContaining([stack.tenant.roles.byName('Org Viewer')!.id]) });
      const removed = await as(DEMO_USERS.admin)
        .delete(path(target))
        .send({ roles: ['Help Desk'] });
      expect(removed.body).toEqual({ roles: ['Org Viewer'] });
      expect(stack.tenant.roles.namesOf(target)).toEqual(['Org Viewer']);
      // Names are resolved once, then cached.
      const lookups = roleLookups();
      await as(DEMO_USERS.admin)
        .delete(path(target))
        .send({ roles: ['Org Viewer'] });
      expect(roleLookups()).toBe(lookups);
      expect(stack.tenant.roles.namesOf(target)).toEqual([]);
    });

    it('a role the tenant does not have is 400 invalid_roles; a malformed body is 400; nothing is written', async () => {
      const target = acme[6]!;
      const before = writes(target);
      const unknown = await as(DEMO_USERS.admin)
        .post(path(target))
        .send({ roles: ['Ghost Role'] });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errorCode).toBe('invalid_roles');
      for (const body of [{ roles: [] }, { roles: ['tab\tname'] }, { roles: 'Org Viewer' }, { roles: ['Org Viewer'], extra: 1 }]) {
        const res = await as(DEMO_USERS.admin).post(path(target)).send(body);
        expect(res.status).toBe(400);
      }
      expect(writes(target)).toBe(before);
    });

    it('a role not in the grant list is refused before anything reaches the tenant', async () => {
      const manager = acme[7]!;
      const target = acme[8]!;
      stack.tenant.roles.setUserRoles(manager, ['Role Manager']);
      const calls = stack.tenant.requestLog.length;
      const res = await as(manager)
        .post(path(target))
        .send({ roles: ['Tenant Admin'] });
      expect(res.status).toBe(403);
      expect(res.body.errorCode).toBe('role_not_grantable');
      // Only the caller's own lookup (profile and roles) reached the tenant.
      const sent = stack.tenant.requestLog.slice(calls).map((r) => `${r.method} ${decodeURIComponent(r.path)}`);
      expect(sent.every((line) => line.startsWith(`GET /users/${manager}`))).toBe(true);
      expect(stack.tenant.roles.namesOf(target)).toEqual([]);
      const granted = await as(manager)
        .post(path(target))
        .send({ roles: ['Org Viewer'] });
      expect(granted.status).toBe(200);
      expect(stack.tenant.roles.namesOf(target)).toEqual(['Org Viewer']);
    });

    it('target protection counts RBAC roles; an org-scoped caller changes no tenant role; nobody changes its own', async () => {
      const manager = acme[7]!;
      const target = acme[9]!;
      stack.tenant.roles.setUserRoles(target, ['Org Viewer', 'Tenant Admin']);
      const res = await as(manager)
        .delete(path(target))
        .send({ roles: ['Org Viewer'] });
      expect(res.status).toBe(403);
      expect(res.body.errorCode).toBe('target_protected');
      expect(stack.tenant.roles.namesOf(target)).toEqual(['Org Viewer', 'Tenant Admin']);
      const scoped = await as(DEMO_USERS.support)
        .post(path(acme[8]!))
        .send({ roles: ['Org Viewer'] });
      expect(scoped.status).toBe(403);
      expect(scoped.body.errorCode).toBe('action_forbidden');
      const self = await as(DEMO_USERS.admin)
        .delete(path(DEMO_USERS.admin))
        .send({ roles: ['Tenant Admin'] });
      expect(self.status).toBe(403);
      expect(self.body.errorCode).toBe('self_forbidden');
      expect(stack.tenant.roles.namesOf(DEMO_USERS.admin)).toEqual(['Tenant Admin']);
      stack.tenant.roles.setUserRoles(target, []);
    });

    it('/me/permissions and capabilities say what the roles routes allow, from the same decision', async () => {
      expect((await permissions(DEMO_USERS.admin)).user_roles).toEqual({
        source: 'rbac',
        field: 'roles',
        read: true,
        change: true,
        grant: ['*'],
      });
      expect((await permissions(DEMO_USERS.support)).user_roles).toMatchObject({ read: true, change: false, grant: [] });
      const manager = acme[7]!;
      stack.tenant.roles.setUserRoles(manager, ['Role Manager']);
      const [plain, above] = [acme[11]!, acme[12]!];
      stack.tenant.roles.setUserRoles(plain, []);
      stack.tenant.roles.setUserRoles(above, ['Help Desk']);
      const caps = (await as(manager).get(`/users/${encodeURIComponent(plain)}/capabilities`)).body;
      expect(caps.roles).toEqual({ read: { allowed: true }, change: { allowed: true } });
      expect(caps.grantable_roles).toEqual(['Org Viewer']);
      const refused = (await as(manager).get(`/users/${encodeURIComponent(above)}/capabilities`)).body;
      expect(refused.roles.change).toMatchObject({ allowed: false, errorCode: 'target_protected' });
      expect(refused.grantable_roles).toEqual([]);
      // What capabilities said is what the route does.
      expect(
        (
          await as(manager)
            .post(path(above))
            .send({ roles: ['Org Viewer'] })
        ).body.errorCode,
      ).toBe('target_protected');
      expect(
        (
          await as(manager)
            .post(path(plain))
            .send({ roles: ['Org Viewer'] })
        ).status,
      ).toBe(200);
    });

    it("a role removed through usergate binds on the caller's very next request (no clock moved)", async () => {
      const holder = acme[10]!;
      stack.tenant.roles.setUserRoles(holder, ['Help Desk']);
      expect((await as(holder).get('/users')).status).toBe(200);
      expect((await as(holder).get('/users')).status).toBe(200);
      const removed = await as(DEMO_USERS.admin)
        .delete(path(holder))
        .send({ roles: ['Help Desk'] });
      expect(removed.status).toBe(200);
      const next = await as(holder).get('/users');
      expect(next.status).toBe(403);
      expect(next.body.errorCode).toBe('no_role');
    });
  });

  it('sends nothing Auth0 would refuse', () => {
    expect(stack.tenant.invalidRequests()).toEqual([]);
  });
});

describe('/users/:id/roles with ROLES_SOURCE=app_metadata', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.stop());
  const as = (sub: string) => stack.as(stack.tokenFor(sub));
  const path = (id: string) => `/users/${encodeURIComponent(id)}/roles`;

  it('reads, adds and removes app_metadata roles, under the grant list and scope', async () => {
    expect((await as(DEMO_USERS.admin).get(path(DEMO_USERS.support))).body).toEqual({ roles: ['support'] });
    const added = await as(DEMO_USERS.admin)
      .post(path(DEMO_USERS.none))
      .send({ roles: ['viewer', 'viewer'] });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ roles: ['viewer'] });
    expect(stack.tenant.store.get(DEMO_USERS.none)!.app_metadata!.roles).toEqual(['viewer']);
    // The RBAC model is not touched in this mode.
    expect(stack.tenant.roles.namesOf(DEMO_USERS.none)).toEqual([]);
    const scoped = await as(DEMO_USERS.support)
      .delete(path(DEMO_USERS.none))
      .send({ roles: ['viewer'] });
    expect(scoped.status).toBe(403);
    expect(stack.tenant.store.get(DEMO_USERS.none)!.app_metadata!.roles).toEqual(['viewer']);
    const removed = await as(DEMO_USERS.admin)
      .delete(path(DEMO_USERS.none))
      .send({ roles: ['viewer'] });
    expect(removed.body).toEqual({ roles: [] });
    expect(stack.tenant.store.get(DEMO_USERS.none)!.app_metadata!.roles).toEqual([]);
    // A name app_metadata does not take (a space) is refused, nothing written.
    const spaced = await as(DEMO_USERS.admin)
      .post(path(DEMO_USERS.none))
      .send({ roles: ['Tenant Admin'] });
    expect(spaced.status).toBe(400);
    expect(spaced.body.errorCode).toBe('invalid_roles');
    expect(stack.tenant.store.get(DEMO_USERS.none)!.app_metadata!.roles).toEqual([]);
    expect(stack.tenant.invalidRequests()).toEqual([]);
  });
});

describe('/users/:id/roles with ROLES_SOURCE=claim', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { ROLES_SOURCE: 'claim', CLAIM_BLOCKED_CHECK: 'false' } });
  });
  afterAll(() => stack.stop());

  it('answers 501 not_configured: a token claim cannot be written', async () => {
    const token = stack.tokenFor(DEMO_USERS.admin, { claims: { 'https://usergate.dev/roles': ['admin'] } });
    const path = `/users/${encodeURIComponent(DEMO_USERS.support)}/roles`;
    const before = stack.tenant.requestLog.length;
    for (const res of [
      await stack.as(token).get(path),
      await stack
        .as(token)
        .post(path)
        .send({ roles: ['viewer'] }),
      await stack
        .as(token)
        .delete(path)
        .send({ roles: ['support'] }),
    ]) {
      expect(res.status).toBe(501);
      expect(res.body.errorCode).toBe('not_configured');
    }
    expect(stack.tenant.requestLog.length).toBe(before);
    const me = await stack.as(token).get('/me/permissions');
    expect(me.body.user_roles).toEqual({ source: 'claim', field: 'app_metadata.roles', read: false, change: false, grant: [] });
    const caps = await stack.as(token).get(`/users/${encodeURIComponent(DEMO_USERS.support)}/capabilities`);
    expect(caps.body.roles.read).toMatchObject({ allowed: false, errorCode: 'not_configured' });
  });
});

describe('ROLES_SOURCE=rbac: Management API scopes', () => {
  it('/readyz names the scopes the roles routes need that the machine token lacks; app_metadata needs none of them', async () => {
    const scopes = DEFAULT_CLIENT.scopes.filter((s) => s !== 'read:roles');
    const stack = await startStack({
      policy: POLICY,
      tenant: { clients: [{ ...DEFAULT_CLIENT, scopes }] },
      env: { ROLES_SOURCE: 'rbac', ORG_SOURCE: 'app_metadata' },
    });
    try {
      const res = await stack.http.get('/readyz');
      expect(res.body.checks.machineToken).toEqual({
        state: 'warning',
        detail: 'action "update" needs the Management API scope read:roles, which usergate\'s machine token lacks',
      });
    } finally {
      await stack.stop();
    }
    const plain = await startStack({ policy: POLICY, tenant: { clients: [{ ...DEFAULT_CLIENT, scopes }] } });
    try {
      expect((await plain.http.get('/readyz')).body.checks.machineToken).toEqual({ state: 'ok' });
    } finally {
      await plain.stop();
    }
  });
});
