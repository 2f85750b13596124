import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { DEMO_USERS } from '../../dev-tenant';
import { deskRoutes } from '../../src/http/contract/desk';
import { successStatus } from '../../src/http/contract/route';
import { ORG_ACTIONS } from '../../src/policy/fixed-fields';
import { allPaths, startStack, type Stack } from '../helpers/stack';
import { seedTarget } from '../helpers/targets';

/**
 * Role x action x field matrix, with every expectation read from config/acl.yaml itself (not from
 * usergate's policy code): for each demo role and each endpoint, allowed or denied, and every path
 * in every answer readable by the role and never always-hidden.
 */
interface RoleDoc {
  can: string[];
  read?: string[];
  write?: string[];
  scope?: 'org' | 'all';
  connections?: string[];
  log_fields?: string[];
}
const acl = parse(readFileSync('config/acl.yaml', 'utf8')) as {
  roles: Record<string, RoleDoc>;
  self: { read: string[] };
  hidden: string[];
};
const ALWAYS_HIDDEN = ['password', 'identities.access_token', 'identities.refresh_token', 'identities.access_token_secret', ...acl.hidden];

const covered = (patterns: string[], path: string) => patterns.some((p) => p === '*' || path === p || path.startsWith(`${p}.`));
/** A path may appear when it is covered, or when it leads to a covered pattern (a partly readable object). */
const readablePath = (patterns: string[], path: string) => covered(patterns, path) || patterns.some((p) => p.startsWith(`${path}.`));

function expectOnlyReadable(body: unknown, patterns: string[]): void {
  for (const path of allPaths(body)) {
    expect({ path, readable: readablePath(patterns, path) }).toEqual({ path, readable: true });
    expect({ path, hidden: covered(ALWAYS_HIDDEN, path) }).toEqual({ path, hidden: false });
  }
}

const ROLES = ['admin', 'support', 'viewer', 'auditor', 'none'] as const;

/** The support desk's routes as the contract mounts them: method, path suffix, policy action, success status. */
const DESK = Object.values(deskRoutes).map(
  (route) => [route.method, route.path.split('/').pop()!, route.action, successStatus(route)] as const,
);

/** The actions the matrix below exercises, allowed and denied: the users routes and the desk's. */
const MATRIX_ACTIONS = [...new Set(['list', 'read', 'create', 'update', 'delete', ...DESK.map(([, , action]) => action)])];

describe('the matrix covers the policy file', () => {
  it.each(MATRIX_ACTIONS)('action %s is allowed to at least one role, so its allowed branch runs', (action) => {
    expect(ROLES.filter((role) => acl.roles[role]?.can.includes(action))).not.toEqual([]);
  });

  it('every action the policy file names is one the matrix exercises', () => {
    const named = new Set(Object.values(acl.roles).flatMap((r) => r.can));
    // The organization actions work in an Auth0 organization, not on the matrix's users: test/integration/orgs.test.ts.
    const elsewhere: readonly string[] = ORG_ACTIONS;
    expect([...named].filter((a) => !MATRIX_ACTIONS.includes(a) && !elsewhere.includes(a))).toEqual([]);
  });
});

describe.each(ROLES)('role %s', (role) => {
  const doc: RoleDoc = acl.roles[role] ?? { can: [] };
  const can = (action: string) => doc.can.includes(action);
  const read = doc.read ?? [];
  let stack: Stack;
  let token: string;
  let org: string;
  beforeAll(async () => {
    // An Enterprise tenant, so that every desk route, the session list included, has its allowed branch.
    stack = await startStack({ env: { AUTH0_PLAN: 'enterprise' }, tenant: { plan: 'enterprise' } });
    const sub = DEMO_USERS[role];
    token = stack.tokenFor(sub);
    org = stack.tenant.store.get(sub)!.app_metadata!.org as string;
  });
  afterAll(async () => {
    expect(stack.tenant.invalidRequests()).toEqual([]);
    await stack.stop();
  });
  const as = <T extends { set: (k: string, v: string) => T }>(req: T) => req.set('authorization', `Bearer ${token}`);
  const otherOrg = () => (org === 'acme' ? 'globex' : 'acme');

  it(`GET /users: ${can('list') ? 'allowed' : 'denied'}, narrowed to the org when scoped, only readable fields`, async () => {
    seedTarget(stack.tenant, { org: otherOrg(), social: true });
    const res = await as(stack.http.get('/users?per_page=100&include_totals=true'));
    if (!can('list')) {
      expect(res.status).toBe(403);
      return;
    }
    expect(res.status).toBe(200);
    const users = res.body.users as Record<string, unknown>[];
    expect(users.length).toBeGreaterThan(0);
    expectOnlyReadable(res.body.users, read);
    if (doc.scope === 'org') {
      const inOrg = stack.tenant.store.all().filter((u) => u.app_metadata?.org === org).length;
      expect(res.body.total).toBe(inOrg);
      // Judged by the store, not by the answer: a scoped role need not read the org.
      expect(users.every((u) => stack.tenant.store.get(u.user_id as string)!.app_metadata?.org === org)).toBe(true);
    } else {
      expect(res.body.total).toBe(stack.tenant.store.size);
    }
  });

  it(`GET /users/:id: ${can('read') ? 'allowed' : 'denied'} in the org; outside it ${doc.scope === 'org' ? '404' : 'the same'}`, async () => {
    const mine = seedTarget(stack.tenant, { org, social: true });
    const theirs = seedTarget(stack.tenant, { org: otherOrg(), social: true });
    const inOrg = await as(stack.http.get(`/users/${encodeURIComponent(mine.user_id)}`));
    const outOrg = await as(stack.http.get(`/users/${encodeURIComponent(theirs.user_id)}`));
    if (!can('read')) {
      expect([inOrg.status, outOrg.status]).toEqual([403, 403]);
      return;
    }
    expect(inOrg.status).toBe(200);
    expectOnlyReadable(inOrg.body, read);
    expect(inOrg.body.user_id).toBe(mine.user_id);
    if (doc.scope === 'org') {
      expect(outOrg.status).toBe(404);
      expect(outOrg.body.errorCode).toBe('user_not_found');
    } else {
      expect(outOrg.status).toBe(200);
      expectOnlyReadable(outOrg.body, read);
    }
  });

  it(`GET /users-by-email: ${can('list') && covered(read, 'email') ? 'allowed' : 'denied'}`, async () => {
    const target = seedTarget(stack.tenant, { org });
    const res = await as(stack.http.get(`/users-by-email?email=${encodeURIComponent(target.email!)}`));
    if (!can('list') || !covered(read, 'email')) {
      expect(res.status).toBe(403);
      return;
    }
    expect(res.status).toBe(200);
    expect(res.body.map((u: { user_id: string }) => u.user_id)).toEqual([target.user_id]);
    expectOnlyReadable(res.body, read);
  });

  it(`POST /users: ${can('create') ? 'allowed' : 'denied'}; the password never comes back`, async () => {
    const email = `created-${role}-${Date.now()}@example.org`;
    const res = await as(stack.http.post('/users')).send({
      connection: 'Username-Password-Authentication',
      email,
      password: 'Corr3ct-Horse!',
    });
    const stored = stack.tenant.store.all().find((u) => u.email === email);
    if (!can('create')) {
      expect(res.status).toBe(403);
      expect(stored).toBeUndefined();
      return;
    }
    expect(res.status).toBe(201);
    expect(JSON.stringify(res.body)).not.toContain('Corr3ct-Horse!');
    expectOnlyReadable(res.body, read);
    if (doc.scope === 'org') expect(stored!.app_metadata!.org).toBe(org);
  });

  it(`PATCH /users/:id: ${can('update') ? 'allowed for writable fields only' : 'denied'}`, async () => {
    const target = seedTarget(stack.tenant, { org });
    const writable = (doc.write ?? []).includes('*') || (doc.write ?? []).includes('blocked');
    const res = await as(stack.http.patch(`/users/${encodeURIComponent(target.user_id)}`)).send({ blocked: true });
    if (!can('update') || !writable) {
      expect(res.status).toBe(403);
      expect(stack.tenant.store.get(target.user_id)!.blocked).toBeUndefined();
      return;
    }
    expect(res.status).toBe(200);
    expect(stack.tenant.store.get(target.user_id)!.blocked).toBe(true);
    expectOnlyReadable(res.body, read);
    // last_ip is never writable, whatever the policy says.
    const notWritable = ['family_name', 'app_metadata.org'].find((f) => !covered(doc.write ?? [], f)) ?? 'last_ip';
    const body = notWritable.startsWith('app_metadata') ? { app_metadata: { org: 'elsewhere' } } : { [notWritable]: 'x' };
    const refused = await as(stack.http.patch(`/users/${encodeURIComponent(target.user_id)}`)).send(body);
    expect(refused.status).toBe(403);
    expect(refused.body.errorCode).toBe('field_not_writable');
    expect(refused.body.message).toContain(notWritable);
  });

  it(`DELETE /users/:id: ${can('delete') ? 'allowed' : 'denied'}`, async () => {
    const target = seedTarget(stack.tenant, { org });
    const res = await as(stack.http.delete(`/users/${encodeURIComponent(target.user_id)}`));
    expect(res.status).toBe(can('delete') ? 204 : 403);
    expect(stack.tenant.store.get(target.user_id) === undefined).toBe(can('delete'));
  });

  it('GET /me answers the self policy fields only', async () => {
    const res = await as(stack.http.get('/me'));
    expect(res.status).toBe(200);
    expect(res.body.user_id).toBe(DEMO_USERS[role]);
    expectOnlyReadable(res.body, acl.self.read);
  });

  it('GET /me/permissions reports what the policy file grants the role', async () => {
    const res = await as(stack.http.get('/me/permissions'));
    expect(res.status).toBe(200);
    expect(res.body.actions).toEqual([...doc.can].sort());
    expect(res.body.read).toEqual(read.includes('*') ? ['*'] : [...read].sort());
    expect(res.body.log_fields).toEqual(can('read_logs') ? [...(doc.log_fields ?? [])].sort() : []);
  });

  it.each(DESK)(`%s /users/:id/%s (%s) on a user of the role's org`, async (method, suffix, action, status) => {
    const target = seedTarget(stack.tenant, { org });
    stack.tenant.desk.log(target, { type: 's', description: 'Successful login', ip: '192.0.2.9', user_agent: 'UA', details: { a: 1 } });
    // Everything but reading users (the caller's own profile, the target) is a desk call.
    const deskCalls = () => stack.tenant.requestLog.filter((r) => r.operation !== 'GET /users/{id}').length;
    const before = deskCalls();
    let req = as(stack.http[method](`/users/${encodeURIComponent(target.user_id)}/${suffix}`));
    if (method === 'post') req = req.set('content-type', 'application/json').send('{}');
    const res = await req;
    if (!can(action)) {
      expect([res.status, res.body.errorCode]).toEqual([403, role === 'none' ? 'no_role' : 'action_forbidden']);
      expect(deskCalls()).toBe(before);
      return;
    }
    expect(res.status).toBe(status);
    if (action === 'read_logs') {
      const stored = stack.tenant.desk.logs.get(target.user_id)![0]!;
      expect(res.body).toHaveLength(1);
      expect(Object.keys(res.body[0]).sort()).toEqual((doc.log_fields ?? []).filter((f) => f in stored).sort());
    }
  });
});
