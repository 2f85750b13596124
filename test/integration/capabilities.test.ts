import { DEMO_USERS, type StoredUser } from '../../dev-tenant';
import { startStack, type Stack } from '../helpers/stack';
import { seedTarget } from '../helpers/targets';

/**
 * GET /users/:id/capabilities over real HTTP against the dev tenant with the shipped config/acl.yaml:
 * for several caller/target pairs, ask first, then perform every action and check that what was said
 * is what happens (allowed: a 2xx; refused: that errorCode). Delete goes last, on a fresh target.
 */
type Caps = {
  user_id: string;
  actions: Record<string, { allowed: true } | { allowed: false; errorCode: string; message: string }>;
  writable: string[];
  grantable_roles: string[];
};

/** The refusals of the policy: an allowed action never answers one (Auth0 may still refuse, e.g. a ticket for a Google user). */
const POLICY_CODES = [
  'no_role',
  'action_forbidden',
  'user_not_found',
  'target_protected',
  'self_forbidden',
  'field_not_writable',
  'field_not_readable',
  'role_not_grantable',
  'org_forbidden',
  'attribute_not_updatable',
  'connection_forbidden',
];

/** A PATCH body inside `writable`: one plain path (roles and org left as they are). */
function bodyWithin(writable: string[]): Record<string, unknown> {
  if (writable.includes('blocked')) return { blocked: false };
  if (writable.includes('user_metadata')) return { user_metadata: { note: 'from capabilities' } };
  const path = writable.find((p) => !p.startsWith('app_metadata'))!;
  return { [path.split('.')[0]!]: path === 'email_verified' ? true : 'X' };
}

describe('GET /users/:id/capabilities', () => {
  let stack: Stack;
  let org: string;
  let otherOrg: string;
  beforeAll(async () => {
    stack = await startStack();
    org = stack.tenant.store.get(DEMO_USERS.support)!.app_metadata!.org as string;
    otherOrg = stack.tenant.store
      .all()
      .map((u) => u.app_metadata?.org as string | undefined)
      .find((o) => o && o !== org)!;
  });
  afterAll(async () => {
    expect(stack.tenant.invalidRequests()).toEqual([]);
    await stack.stop();
  });

  const as = (sub: string) => stack.as(stack.tokenFor(sub));
  const path = (id: string, suffix = '') => `/users/${encodeURIComponent(id)}${suffix}`;

  /** Performs one action as its route does; answers the status and errorCode. */
  async function perform(sub: string, action: string, id: string, caps: Caps): Promise<{ status: number; errorCode?: string }> {
    const http = as(sub);
    const json = (req: ReturnType<typeof http.post>) => req.set('content-type', 'application/json').send('{}');
    const res = await {
      read: () => http.get(path(id)),
      update: () => http.patch(path(id)).send(caps.actions.update!.allowed ? bodyWithin(caps.writable) : { name: 'N', blocked: true }),
      delete: () => http.delete(path(id)),
      reset_password: () => json(http.post(path(id, '/password-change-ticket'))),
      send_verification: () => json(http.post(path(id, '/verification-email'))),
      unblock: () => http.delete(path(id, '/blocks')),
      reset_mfa: () => http.delete(path(id, '/authentication-methods')),
      logout: () => http.delete(path(id, '/sessions')),
      read_logs: () => http.get(path(id, '/logs')),
    }[action]!();
    return { status: res.status, errorCode: (res.body as { errorCode?: string }).errorCode };
  }

  async function agrees(sub: string, target: StoredUser): Promise<Caps> {
    const res = await as(sub).get(path(target.user_id, '/capabilities'));
    expect(res.status).toBe(200);
    const caps = res.body as Caps;
    expect(caps.user_id).toBe(target.user_id);
    const order = [...Object.keys(caps.actions).filter((a) => a !== 'delete'), 'delete'];
    for (const action of order) {
      const said = caps.actions[action]!;
      const done = await perform(sub, action, target.user_id, caps);
      if (!said.allowed) {
        expect({ action, errorCode: done.errorCode }).toEqual({ action, errorCode: said.errorCode });
        continue;
      }
      expect({ action, policyRefusal: POLICY_CODES.includes(done.errorCode ?? '') }).toEqual({ action, policyRefusal: false });
      expect({ action, status: done.status < 300 }).toEqual({ action, status: true });
    }
    return caps;
  }

  it('admin on a plain user: everything allowed, every writable attribute, any role grantable', async () => {
    const caps = await agrees(DEMO_USERS.admin, seedTarget(stack.tenant, { org }));
    expect(Object.values(caps.actions).every((a) => a.allowed)).toBe(true);
    expect(caps.writable).toEqual(expect.arrayContaining(['email', 'name', 'blocked', 'app_metadata', 'user_metadata']));
    expect(caps.grantable_roles).toEqual(expect.arrayContaining(['admin', 'support', 'viewer']));
  });

  it('support on a user of its org: its writes, only viewer grantable, no delete', async () => {
    const caps = await agrees(DEMO_USERS.support, seedTarget(stack.tenant, { org, roles: ['viewer'] }));
    expect(caps.actions.delete).toMatchObject({ allowed: false, errorCode: 'action_forbidden' });
    expect(caps.writable).toEqual(expect.arrayContaining(['blocked', 'email', 'user_metadata', 'app_metadata.roles']));
    expect(caps.grantable_roles).toEqual(['viewer']);
  });

  it('support on an admin of its org: read only, every other action target_protected, nothing writable', async () => {
    const caps = await agrees(DEMO_USERS.support, seedTarget(stack.tenant, { org, roles: ['admin'] }));
    expect(caps.actions.read).toEqual({ allowed: true });
    expect(caps.actions.update).toMatchObject({ allowed: false, errorCode: 'target_protected' });
    expect(caps.actions.logout).toMatchObject({ allowed: false, errorCode: 'target_protected' });
    expect([caps.writable, caps.grantable_roles]).toEqual([[], []]);
  });

  it('support on a Google user of its org: email and password left out of writable, no password link (Auth0 is not asked)', async () => {
    const tickets = () => stack.tenant.requestLog.filter((r) => r.operation === 'POST /tickets/password-change').length;
    const before = tickets();
    const caps = await agrees(DEMO_USERS.support, seedTarget(stack.tenant, { org, social: true }));
    expect(caps.actions.reset_password).toMatchObject({ allowed: false, errorCode: 'no_password' });
    expect(tickets()).toBe(before);
    expect(caps.actions.update).toEqual({ allowed: true });
    expect(caps.writable).not.toContain('email');
    expect(caps.writable).not.toContain('password');
    expect(caps.writable).toContain('name');
  });

  it('admin on its own account: self_forbidden for update and delete, nothing writable', async () => {
    const me = stack.tenant.store.get(DEMO_USERS.admin)!;
    const res = await as(DEMO_USERS.admin).get(path(me.user_id, '/capabilities'));
    const caps = res.body as Caps;
    expect(caps.actions.update).toMatchObject({ allowed: false, errorCode: 'self_forbidden' });
    expect(caps.actions.delete).toMatchObject({ allowed: false, errorCode: 'self_forbidden' });
    expect([caps.writable, caps.grantable_roles]).toEqual([[], []]);
    const patched = await as(DEMO_USERS.admin).patch(path(me.user_id)).send({ name: 'Me' });
    expect(patched.body.errorCode).toBe('self_forbidden');
  });

  it('outside the caller scope it is a 404, as a read is; without a role, 403 no_role', async () => {
    const elsewhere = seedTarget(stack.tenant, { org: otherOrg });
    const caps = await as(DEMO_USERS.support).get(path(elsewhere.user_id, '/capabilities'));
    const read = await as(DEMO_USERS.support).get(path(elsewhere.user_id));
    expect([caps.status, caps.body.errorCode]).toEqual([404, 'user_not_found']);
    expect([read.status, read.body.errorCode]).toEqual([404, 'user_not_found']);
    const none = await as(DEMO_USERS.none).get(path(elsewhere.user_id, '/capabilities'));
    expect([none.status, none.body.errorCode]).toEqual([403, 'no_role']);
  });
});
