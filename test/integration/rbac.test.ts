import { DEMO_USERS } from '../../dev-tenant';
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
    stack = await startStack({ policy: POLICY, now: () => clock, env: { ROLES_SOURCE: 'rbac', ROLES_CACHE_TTL_S: '60' } });
    const roles = stack.tenant.roles;
    roles.setUserRoles(DEMO_USERS.admin, ['Tenant Admin']);
    roles.setUserRoles(DEMO_USERS.support, ['Help Desk']);
    roles.setUserRoles(DEMO_USERS.viewer, ['Org Viewer']);
    acme = stack.tenant.store
      .all()
      .filter((u) => u.app_metadata?.org === 'acme' && !Object.values(DEMO_USERS).includes(u.user_id as never) && !u.blocked)
      .filter((u) => u.identities[0]!.connection === 'Username-Password-Authentication')
      .map((u) => u.user_id);
    for (const id of acme) roles.setUserRoles(id, []);
  });
  afterAll(() => stack.stop());
  afterEach(() => {
    clock += 120_000;
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

  it('sends nothing Auth0 would refuse', () => {
    expect(stack.tenant.invalidRequests()).toEqual([]);
  });
});
