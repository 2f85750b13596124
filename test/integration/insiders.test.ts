import { randomBytes } from 'node:crypto';
import { appMetadataCallerResolver } from '../../src/auth/resolve-caller';
import { DEMO_USERS } from '../../dev-tenant';
import { startStack, type Stack } from '../helpers/stack';
import { seedTarget } from '../helpers/targets';

/**
 * The privilege model against insiders: a support agent, a compromised staff account, a colleague who
 * was just let go, each trying what such an insider would. Every refusal leaves the dev tenant's store
 * as it was and sends no write upstream.
 */
const writesUpstream = (stack: Stack) => stack.tenant.requestLog.filter((r) => r.method !== 'GET').length;
const lookupsOf = (stack: Stack, sub: string) =>
  stack.tenant.requestLog.filter((r) => r.method === 'GET' && decodeURIComponent(r.path) === `/users/${sub}`).length;
const path = (id: string) => `/users/${encodeURIComponent(id)}`;
const randomSub = () => `auth0|${randomBytes(12).toString('hex')}`;

describe('insiders, with the shipped policy', () => {
  let stack: Stack;
  let support: string;
  let admin: string;
  beforeAll(async () => {
    stack = await startStack();
    support = stack.tokenFor(DEMO_USERS.support);
    admin = stack.tokenFor(DEMO_USERS.admin);
    // Resolve both callers once, so later counts of upstream calls see only what each test causes.
    for (const token of [support, admin]) await stack.as(token).get('/me/permissions');
  });
  afterAll(async () => {
    expect(stack.tenant.invalidRequests()).toEqual([]);
    await stack.stop();
  });

  describe('refused, and nothing changes', () => {
    let snapshot: unknown;
    let writes: number;
    beforeEach(() => {
      snapshot = stack.tenant.store.snapshot();
      writes = writesUpstream(stack);
    });
    afterEach(() => {
      expect(stack.tenant.store.snapshot()).toEqual(snapshot);
      expect(writesUpstream(stack)).toBe(writes);
    });
    const refresh = () => {
      snapshot = stack.tenant.store.snapshot();
    };

    it.each([
      [
        'takes over the admin of its own org by changing its email and password',
        { email: 'me@evil.example', email_verified: true, password: 'Hijack3d-now!' },
      ],
      ['locks the admin out', { blocked: true }],
      ['edits the admin profile', { name: 'Not an admin' }],
    ])('support %s: 403 target_protected naming admin', async (_what, body) => {
      const res = await stack.as(support).patch(path(DEMO_USERS.admin)).send(body);
      expect(res.status).toBe(403);
      expect(res.body.errorCode).toBe('target_protected');
      expect(res.body.message).toContain('admin');
    });

    it('support may not manage a peer (another support of its org), nor a user holding a role the policy does not know', async () => {
      const peer = seedTarget(stack.tenant, { org: 'acme', roles: ['support'] });
      const stranger = seedTarget(stack.tenant, { org: 'acme', roles: ['viewer', 'superuser'] });
      refresh();
      const a = await stack.as(support).patch(path(peer.user_id)).send({ blocked: true });
      expect(a.status).toBe(403);
      expect(a.body).toMatchObject({ errorCode: 'target_protected', message: expect.stringContaining('support') });
      const b = await stack
        .as(support)
        .patch(path(stranger.user_id))
        .send({ user_metadata: { note: 'x' } });
      expect(b.status).toBe(403);
      expect(b.body.errorCode).toBe('target_protected');
      expect(b.body.message).toContain('superuser');
      expect(b.body.message).not.toContain('viewer');
    });

    it('reading a higher account is unaffected', async () => {
      const res = await stack.as(support).get(path(DEMO_USERS.admin));
      expect(res.status).toBe(200);
      expect(res.body.user_id).toBe(DEMO_USERS.admin);
    });

    it.each([
      ['a dotted key inside app_metadata', { app_metadata: { 'roles.x': ['admin'] } }, 'roles.x'],
      ['a dotted root key', { 'app_metadata.roles': ['admin'] }, 'app_metadata.roles'],
      ['a $ key deep inside user_metadata', { user_metadata: { prefs: { $where: '1' } } }, '$where'],
      ['a root key that is no Auth0 attribute', { is_admin: true }, 'is_admin'],
    ])(
      'a body with %s is 400 naming the key, on POST /users, PATCH /users/:id and PATCH /me, before any upstream call',
      async (_what, body, key) => {
        const target = seedTarget(stack.tenant, { org: 'acme' });
        refresh();
        const calls = stack.tenant.counters.apiCalls;
        for (const res of [
          await stack
            .as(admin)
            .post('/users')
            .send({ connection: 'Username-Password-Authentication', email: 'k@acme.example', password: 'Passw0rd!x', ...body }),
          await stack.as(admin).patch(path(target.user_id)).send(body),
          await stack.as(support).patch('/me').send(body),
        ]) {
          expect(res.status).toBe(400);
          expect(res.body.errorCode).toBe('invalid_body');
          expect(res.body.message).toContain(key);
        }
        expect(stack.tenant.counters.apiCalls).toBe(calls);
      },
    );

    it.each(['get', 'patch', 'delete'] as const)(
      '%s /users/%%zz (malformed percent-encoding) is 400 invalid_path, and no error is logged',
      async (method) => {
        const logged = stack.logs.length;
        const agent = stack.as(admin);
        const res = await agent[method]('/users/%zz').send(method === 'patch' ? { blocked: true } : undefined);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ statusCode: 400, errorCode: 'invalid_path', requestId: expect.any(String) });
        expect(stack.logs.slice(logged).filter((l) => (l.level as number) >= 50)).toEqual([]);
      },
    );

    it('a policy where an org-scoped role grants a role reaching every org does not start, naming both roles', async () => {
      const policy = { roles: { lead: { can: ['update'], scope: 'org', grant: ['global'] }, global: { can: ['list', 'read'] } } };
      await expect(startStack({ existingTenant: stack.tenant, policy })).rejects.toThrow(
        /role "lead" has scope org but grants role "global", whose scope is all/,
      );
    });
  });

  describe('allowed', () => {
    it('support still manages the users of its org who hold only roles it may grant', async () => {
      const plain = seedTarget(stack.tenant, { org: 'acme' });
      const viewer = seedTarget(stack.tenant, { org: 'acme', roles: ['viewer'] });
      expect((await stack.as(support).patch(path(plain.user_id)).send({ blocked: true })).status).toBe(200);
      expect((await stack.as(support).patch(path(viewer.user_id)).send({ name: 'Renamed' })).status).toBe(200);
      expect(stack.tenant.store.get(plain.user_id)!.blocked).toBe(true);
      expect(stack.tenant.store.get(viewer.user_id)!.name).toBe('Renamed');
    });

    it('an admin (grant: *) manages another admin', async () => {
      const other = seedTarget(stack.tenant, { org: 'globex', roles: ['admin'] });
      const res = await stack.as(admin).patch(path(other.user_id)).send({ blocked: true });
      expect(res.status).toBe(200);
      expect(stack.tenant.store.get(other.user_id)!.blocked).toBe(true);
    });

    it('an account support creates with the role it may grant reaches its org only', async () => {
      const email = `minted-${randomBytes(4).toString('hex')}@acme.example`;
      const res = await stack
        .as(support)
        .post('/users')
        .send({ connection: 'Username-Password-Authentication', email, password: 'Minted-Passw0rd!', app_metadata: { roles: ['viewer'] } });
      expect(res.status).toBe(201);
      const minted = stack.tenant.store.all().find((u) => u.email === email)!;
      expect(minted.app_metadata).toEqual({ roles: ['viewer'], org: 'acme' });
      const list = await stack.as(stack.tokenFor(minted.user_id)).get('/users?per_page=100');
      expect(list.status).toBe(200);
      expect(list.body.length).toBeGreaterThan(0);
      for (const u of list.body as { user_id: string }[]) expect(stack.tenant.store.get(u.user_id)!.app_metadata?.org).toBe('acme');
      expect(stack.tenant.requestLog.at(-1)!.query.q).toBe('app_metadata.org:"acme"');
    });
  });
});

describe('insiders who were blocked, demoted or deleted (ROLES_SOURCE=app_metadata, cached 60 s)', () => {
  let stack: Stack;
  let admin: string;
  const clock = Date.now();
  beforeAll(async () => {
    // The clock never moves here: whatever is seen at once is not the cache running out.
    stack = await startStack({ now: () => clock, env: { ROLES_CACHE_TTL_S: '60' } });
    admin = stack.tokenFor(DEMO_USERS.admin);
  });
  afterAll(async () => {
    expect(stack.tenant.invalidRequests()).toEqual([]);
    await stack.stop();
  });

  /** A caller resolver of its own over this stack's Management API client and frozen clock (60 s TTL). */
  function resolverOnStack(extra: { maxEntries?: number } = {}) {
    return appMetadataCallerResolver({
      management: stack.deps.management,
      rolesPath: 'roles',
      orgPath: 'org',
      ttlS: 60,
      logger: stack.deps.logger,
      now: () => clock,
      ...extra,
    });
  }

  /** A support agent of acme who has already made a request, so its roles are cached. */
  async function cachedSupport(): Promise<{ id: string; token: string }> {
    const { user_id: id } = seedTarget(stack.tenant, { org: 'acme', roles: ['support'] });
    const token = stack.tokenFor(id);
    expect((await stack.as(token).get('/users?per_page=1')).status).toBe(200);
    return { id, token };
  }

  it('a caller blocked in its profile gets 403 caller_blocked everywhere but /healthz, and nothing it sends is forwarded', async () => {
    const { user_id: id } = seedTarget(stack.tenant, { org: 'acme', roles: ['support'] });
    stack.tenant.store.get(id)!.blocked = true;
    const token = stack.tokenFor(id);
    const victim = seedTarget(stack.tenant, { org: 'acme' });
    const snapshot = stack.tenant.store.snapshot();
    const writes = writesUpstream(stack);
    for (const res of [
      await stack.as(token).get('/users'),
      await stack.as(token).get(path(victim.user_id)),
      await stack.as(token).patch(path(victim.user_id)).send({ blocked: true }),
      await stack.as(token).get('/me'),
      await stack
        .as(token)
        .patch('/me')
        .send({ user_metadata: { a: 1 } }),
      await stack.as(token).get('/me/permissions'),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.errorCode).toBe('caller_blocked');
      expect(res.body).not.toHaveProperty('roles');
    }
    expect((await stack.as(token).get('/healthz')).status).toBe(200);
    expect(stack.tenant.store.snapshot()).toEqual(snapshot);
    expect(writesUpstream(stack)).toBe(writes);
    expect(lookupsOf(stack, id)).toBe(1);
  });

  it('revoking a role through usergate binds at once: the demoted caller next request has no role', async () => {
    const { id, token } = await cachedSupport();
    expect(
      (
        await stack
          .as(admin)
          .patch(path(id))
          .send({ app_metadata: { roles: [] } })
      ).status,
    ).toBe(200);
    const next = await stack.as(token).get('/users?per_page=1');
    expect(next.status).toBe(403);
    expect(next.body.errorCode).toBe('no_role');
  });

  it('blocking through usergate binds at once: the next request is 403 caller_blocked', async () => {
    const { id, token } = await cachedSupport();
    expect((await stack.as(admin).patch(path(id)).send({ blocked: true })).status).toBe(200);
    const next = await stack.as(token).get('/users?per_page=1');
    expect(next.status).toBe(403);
    expect(next.body.errorCode).toBe('caller_blocked');
  });

  it('moving a caller to another org through usergate binds at once', async () => {
    const { id, token } = await cachedSupport();
    expect(
      (
        await stack
          .as(admin)
          .patch(path(id))
          .send({ app_metadata: { org: 'globex' } })
      ).status,
    ).toBe(200);
    expect((await stack.as(token).get('/me/permissions')).body.org).toBe('globex');
  });

  it('deleting a caller through usergate binds at once: its still valid token has no role', async () => {
    const { id, token } = await cachedSupport();
    expect((await stack.as(admin).delete(path(id))).status).toBe(204);
    const next = await stack.as(token).get('/users?per_page=1');
    expect(next.status).toBe(403);
    expect(next.body.errorCode).toBe('no_role');
  });

  it('a change usergate did not make (the dashboard) is seen only when the cache runs out: invalidation is what binds', async () => {
    const { id, token } = await cachedSupport();
    stack.tenant.store.get(id)!.app_metadata!.roles = [];
    expect((await stack.as(token).get('/users?per_page=1')).status).toBe(200);
  });

  it('a token of a deleted or unknown user costs one upstream lookup per TTL, not one per request', async () => {
    const ghost = randomSub();
    const token = stack.tokenFor(ghost);
    for (let i = 0; i < 5; i++) {
      const res = await stack.as(token).get('/users');
      expect(res.status).toBe(403);
      expect(res.body.errorCode).toBe('no_role');
    }
    expect(lookupsOf(stack, ghost)).toBe(1);
  });

  it('a flood of random subjects stays bounded and never pushes out the entries of real callers', async () => {
    const resolver = resolverOnStack({ maxEntries: 5 });
    const real = DEMO_USERS.auditor;
    const before = lookupsOf(stack, real);
    expect((await resolver.resolve({ sub: real })).roles).toEqual(['auditor']);
    const flood = Array.from({ length: 15 }, randomSub);
    for (const sub of flood) expect((await resolver.resolve({ sub })).roles).toEqual([]);
    // The real caller is still cached; of the flood, only the newest 5 are: the oldest costs a lookup again.
    await resolver.resolve({ sub: real });
    expect(lookupsOf(stack, real)).toBe(before + 1);
    await resolver.resolve({ sub: flood.at(-1)! });
    expect(lookupsOf(stack, flood.at(-1)!)).toBe(1);
    await resolver.resolve({ sub: flood[0]! });
    expect(lookupsOf(stack, flood[0]!)).toBe(2);
  });

  it('a lookup that was under way when usergate changed the caller does not put the old answer back in the cache', async () => {
    const resolver = resolverOnStack();
    const { user_id: id } = seedTarget(stack.tenant, { org: 'acme', roles: ['support'] });
    const pending = resolver.resolve({ sub: id });
    await resolver.invalidate(id);
    expect((await pending).roles).toEqual(['support']);
    stack.tenant.store.get(id)!.app_metadata!.roles = [];
    expect((await resolver.resolve({ sub: id })).roles).toEqual([]);
    expect(lookupsOf(stack, id)).toBe(2);
  });
});

describe('insiders who were blocked or deleted (ROLES_SOURCE=claim)', () => {
  let clock = Date.now();
  let stack: Stack;
  const claims = { 'https://usergate.dev/roles': ['admin'], 'https://usergate.dev/org': 'acme' };
  beforeAll(async () => {
    stack = await startStack({ now: () => clock, env: { ROLES_SOURCE: 'claim', ROLES_CACHE_TTL_S: '60' } });
  });
  afterAll(() => stack.stop());

  it('by default a blocked caller is refused whatever its token claims, with one cached profile lookup per caller per TTL', async () => {
    const { user_id: id } = seedTarget(stack.tenant, { org: 'acme' });
    const token = stack.tokenFor(id, { claims });
    expect((await stack.as(token).get('/users?per_page=1')).status).toBe(200);
    expect((await stack.as(token).get('/users?per_page=1')).status).toBe(200);
    expect(lookupsOf(stack, id)).toBe(1);
    stack.tenant.store.get(id)!.blocked = true;
    clock += 61_000;
    const res = await stack.as(token).get('/users?per_page=1');
    expect(res.status).toBe(403);
    expect(res.body.errorCode).toBe('caller_blocked');
    expect(lookupsOf(stack, id)).toBe(2);
  });

  it('a deleted user keeps no claimed role', async () => {
    const res = await stack.as(stack.tokenFor(randomSub(), { claims })).get('/users?per_page=1');
    expect(res.status).toBe(403);
    expect(res.body.errorCode).toBe('no_role');
  });

  it('with CLAIM_BLOCKED_CHECK=false the token alone decides: the blocked user keeps its claimed roles until it expires (the documented trade)', async () => {
    const unchecked = await startStack({ existingTenant: stack.tenant, env: { ROLES_SOURCE: 'claim', CLAIM_BLOCKED_CHECK: 'false' } });
    try {
      const { user_id: id } = seedTarget(stack.tenant, { org: 'acme' });
      stack.tenant.store.get(id)!.blocked = true;
      const res = await unchecked.as(unchecked.tokenFor(id, { claims })).get('/users?per_page=1');
      expect(res.status).toBe(200);
      expect(lookupsOf(stack, id)).toBe(0);
    } finally {
      await unchecked.stop();
    }
  });
});

describe('insiders under a policy of other names, where an org-scoped desk role may delete', () => {
  let stack: Stack;
  let desk: string;
  beforeAll(async () => {
    stack = await startStack({
      policy: {
        roles: {
          desk: {
            can: ['list', 'read', 'update', 'delete'],
            read: ['*'],
            write: ['blocked', 'app_metadata.roles'],
            grant: ['member'],
            scope: 'org',
          },
          member: { can: ['read'], read: ['user_id'], scope: 'org' },
          boss: { can: ['list', 'read'], read: ['*'] },
        },
      },
    });
    const { user_id: id } = seedTarget(stack.tenant, { org: 'acme', roles: ['desk'] });
    desk = stack.tokenFor(id);
  });
  afterAll(async () => {
    expect(stack.tenant.invalidRequests()).toEqual([]);
    await stack.stop();
  });

  it('deleting a user who holds a role outside the grant is 403 target_protected, and the user stays', async () => {
    const boss = seedTarget(stack.tenant, { org: 'acme', roles: ['member', 'boss'] });
    const snapshot = stack.tenant.store.snapshot();
    const writes = writesUpstream(stack);
    const res = await stack.as(desk).delete(path(boss.user_id));
    expect(res.status).toBe(403);
    expect(res.body.errorCode).toBe('target_protected');
    expect(res.body.message).toContain('boss');
    expect(stack.tenant.store.snapshot()).toEqual(snapshot);
    expect(writesUpstream(stack)).toBe(writes);
  });

  it('deleting a user who holds only grantable roles is allowed', async () => {
    const member = seedTarget(stack.tenant, { org: 'acme', roles: ['member'] });
    expect((await stack.as(desk).delete(path(member.user_id))).status).toBe(204);
    expect(stack.tenant.store.get(member.user_id)).toBeUndefined();
  });
});
