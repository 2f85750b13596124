import { DEMO_USERS } from '../../dev-tenant';
import { startStack, type Stack } from '../helpers/stack';

const userCalls = (stack: Stack, sub: string) =>
  stack.tenant.requestLog.filter((r) => r.method === 'GET' && decodeURIComponent(r.path) === `/users/${sub}`).length;

describe('caller resolution: ROLES_SOURCE=app_metadata', () => {
  let clock = Date.now();
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ now: () => clock, env: { ROLES_CACHE_TTL_S: '60' } });
  });
  afterAll(() => stack.stop());
  afterEach(() => stack.tenant.faults.clear());

  const permissions = (sub: string) => stack.http.get('/me/permissions').set('authorization', `Bearer ${stack.tokenFor(sub)}`);

  it('reads roles and org from the caller profile, then serves them from the cache until the TTL runs out', async () => {
    const sub = DEMO_USERS.support;
    const first = await permissions(sub);
    expect(first.body).toMatchObject({ roles: ['support'], org: 'acme', scope: { list: 'org' } });
    expect(userCalls(stack, sub)).toBe(1);
    stack.tenant.store.get(sub)!.app_metadata!.roles = ['auditor'];
    clock += 59_000;
    expect((await permissions(sub)).body.roles).toEqual(['support']);
    expect(userCalls(stack, sub)).toBe(1);
    clock += 2_000;
    expect((await permissions(sub)).body.roles).toEqual(['auditor']);
    expect(userCalls(stack, sub)).toBe(2);
    stack.tenant.store.get(sub)!.app_metadata!.roles = ['support'];
    clock += 61_000;
  });

  it('concurrent first requests of one caller share one upstream lookup', async () => {
    const sub = DEMO_USERS.viewer;
    const answers = await Promise.all(Array.from({ length: 25 }, () => permissions(sub)));
    expect(answers.every((r) => r.status === 200 && r.body.roles[0] === 'viewer')).toBe(true);
    expect(userCalls(stack, sub)).toBe(1);
  });

  it('a failed lookup is not cached: the next request looks up again', async () => {
    const sub = DEMO_USERS.auditor;
    stack.tenant.faults.inject({ method: 'GET', path: `/api/v2/users/${encodeURIComponent(sub)}`, kind: 'status', status: 500, times: 3 });
    const failed = await permissions(sub);
    expect(failed.status).toBe(502);
    expect(failed.body.errorCode).toBe('upstream_error');
    const ok = await permissions(sub);
    expect(ok.status).toBe(200);
    expect(ok.body.roles).toEqual(['auditor']);
  });

  it('a caller the tenant does not know, or a machine subject, has no role: 403 no_role on /users, /me/permissions still answers', async () => {
    for (const sub of ['auth0|ghost000000000000000000', 'some-client@clients']) {
      const res = await stack.http.get('/users').set('authorization', `Bearer ${stack.tokenFor(sub)}`);
      expect(res.status).toBe(403);
      expect(res.body.errorCode).toBe('no_role');
      expect((await permissions(sub)).body).toMatchObject({ roles: [], actions: [] });
    }
  });

  it.each([
    ['a string', 'admin'],
    ['non-string entries', [{ role: 'admin' }, 7, null]],
    ['a huge array', Array.from({ length: 500 }, () => 'admin')],
    ['an unknown role', ['superuser']],
  ])('roles stored as %s grant nothing, are logged, and never crash', async (_name, roles) => {
    const user = stack.tenant.store
      .all()
      .find((u) => !Object.values(DEMO_USERS).includes(u.user_id as never) && u.identities[0]!.provider === 'auth0')!;
    user.app_metadata = { org: 'acme', roles };
    clock += 120_000;
    const res = await stack.http.get('/users').set('authorization', `Bearer ${stack.tokenFor(user.user_id)}`);
    expect(res.status).toBe(403);
    expect(res.body.errorCode).toBe('no_role');
  });

  it('logs malformed role data as a warning naming the caller and the request', async () => {
    const user = stack.tenant.store
      .all()
      .find((u) => !Object.values(DEMO_USERS).includes(u.user_id as never) && u.identities[0]!.provider === 'auth0')!;
    user.app_metadata = { org: 'acme', roles: 'admin' };
    clock += 120_000;
    const res = await stack.http
      .get('/users')
      .set('authorization', `Bearer ${stack.tokenFor(user.user_id)}`)
      .set('x-request-id', 'malformed-roles-1');
    expect(res.status).toBe(403);
    // Warnings about the caller (not the request-completion line, which also carries the request id).
    const warnings = stack.logs.filter((l) => l.level === 40 && l.client_request_id === 'malformed-roles-1' && l.res === undefined);
    expect(warnings).toEqual([
      expect.objectContaining({ msg: expect.stringContaining('caller roles are not an array'), sub: user.user_id }),
    ]);
  });
});

describe('caller resolution: ROLES_SOURCE=claim', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: {
        ROLES_SOURCE: 'claim',
        CLAIM_BLOCKED_CHECK: 'false',
        ROLES_CLAIM: 'https://corp.example/r',
        ORG_CLAIM: 'https://corp.example/o',
      },
    });
  });
  afterAll(() => stack.stop());

  it('takes roles and org from the namespaced claims, without an upstream lookup', async () => {
    const before = stack.tenant.counters.apiCalls;
    const token = stack.tokenFor('auth0|claimuser', {
      claims: { 'https://corp.example/r': ['support'], 'https://corp.example/o': 'globex' },
    });
    const res = await stack.http.get('/me/permissions').set('authorization', `Bearer ${token}`);
    expect(res.body).toMatchObject({ roles: ['support'], org: 'globex' });
    expect(stack.tenant.counters.apiCalls).toBe(before);
  });

  it('ignores roles in un-namespaced or other claims', async () => {
    const token = stack.tokenFor('auth0|claimuser', { claims: { roles: ['admin'], 'https://usergate.dev/roles': ['admin'] } });
    const res = await stack.http.get('/users').set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(403);
  });
});

describe('audit log', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.stop());

  it("records allowed and denied mutations with caller, action, target, field names and usergate's request id, never values", async () => {
    const admin = stack.tokenFor(DEMO_USERS.admin);
    const viewer = stack.tokenFor(DEMO_USERS.viewer);
    const target = DEMO_USERS.support;
    const allowed = await stack.http
      .patch(`/users/${encodeURIComponent(target)}`)
      .set('authorization', `Bearer ${admin}`)
      .set('x-request-id', 'audit-1')
      .send({ user_metadata: { note: 'very-secret-value' } });
    // The viewer names the admin's request id as its own: the audit lines still tell them apart.
    const denied = await stack.http
      .patch(`/users/${encodeURIComponent(target)}`)
      .set('authorization', `Bearer ${viewer}`)
      .set('x-request-id', 'audit-1')
      .send({ blocked: true });
    const audits = stack.logs.filter((l) => l.audit === true);
    expect(audits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          sub: DEMO_USERS.admin,
          roles: ['admin'],
          action: 'update',
          target,
          fields: ['user_metadata.note'],
          outcome: 'allowed',
          requestId: allowed.headers['x-request-id'],
        }),
        expect.objectContaining({
          sub: DEMO_USERS.viewer,
          action: 'update',
          target,
          fields: ['blocked'],
          outcome: 'denied',
          reason: 'action_forbidden',
          requestId: denied.headers['x-request-id'],
        }),
      ]),
    );
    expect(allowed.headers['x-request-id']).not.toBe(denied.headers['x-request-id']);
    expect(audits.map((a) => a.requestId)).not.toContain('audit-1');
    expect(JSON.stringify(audits)).not.toContain('very-secret-value');
  });
});
