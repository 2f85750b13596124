import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startDevTenant, type DevTenant } from '../../dev-tenant';
import { replicaEnv, startRedis, startReplica, type Replica } from '../helpers/cluster';
import { startHeldUpstream, startRedisLink } from '../helpers/held-upstream';
import { seedTarget } from '../helpers/targets';
import { waitFor } from '../helpers/wait';

/*
 * A revocation is final, over real processes: usergate replicas (dist/server.js), a real redis-server,
 * and the dev tenant behind a loopback proxy that holds a caller lookup after reading the upstream
 * (the state is read before the revocation, the answer arrives after it): the races are made, not hoped for.
 * Role names are this test's own.
 */
const POLICY = `
roles:
  steward:
    can: [list, read, update, delete]
    read: ["*"]
    write: [blocked, app_metadata]
    grant: [reader]
  reader:
    can: [list, read]
    read: [user_id, name]
`;
const ROLES_CLAIM = 'https://usergate.dev/roles';
const PACE = { MGMT_RATE_READ: '10000/100000', MGMT_RATE_WRITE: '10000/100000', CALLER_RATE: '10000/100000' };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'usergate-revocation-'));
  writeFileSync(join(dir, 'acl.yaml'), POLICY);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Setup {
  /** Replicas to start; default 2. */
  replicas?: number;
  /** No Redis: one process alone. */
  alone?: boolean;
  /** Replicas reach Redis through a link the test can cut. */
  link?: boolean;
  env?: Record<string, string>;
}

async function start(setup: Setup = {}) {
  const tenant = await startDevTenant();
  const upstream = await startHeldUpstream(tenant.url);
  const redis = setup.alone ? undefined : await startRedis();
  const link = redis && setup.link ? await startRedisLink(redis.port) : undefined;
  const env: Record<string, string> = {
    ...replicaEnv(tenant, link?.url ?? redis?.url ?? '', join(dir, 'acl.yaml')),
    MGMT_API_URL: upstream.apiUrl,
    ...PACE,
    ...setup.env,
  };
  if (!redis) delete env.REDIS_URL;
  const replicas = await Promise.all(Array.from({ length: setup.replicas ?? 2 }, () => startReplica(env)));
  return {
    tenant,
    upstream,
    redis,
    link,
    replicas,
    async stop() {
      await Promise.all(replicas.map((r) => r.stop()));
      await upstream.stop();
      await link?.stop();
      await tenant.stop();
      await redis?.stop();
    },
  };
}

const get = (replica: Replica, token: string) =>
  fetch(`${replica.url}/users?per_page=1`, { headers: { authorization: `Bearer ${token}` } });
const patch = (replica: Replica, token: string, id: string, body: unknown) =>
  fetch(`${replica.url}/users/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const outcome = async (res: Response) =>
  res.status === 200 ? 200 : `${res.status} ${((await res.json()) as { errorCode: string }).errorCode}`;
/** What every replica answers the caller now, one request each. */
const everywhere = async (replicas: Replica[], token: string) => Promise.all(replicas.map(async (r) => outcome(await get(r, token))));

function actors(tenant: DevTenant, claims = false) {
  const steward = seedTarget(tenant, { roles: ['steward'] });
  const target = seedTarget(tenant, { roles: ['reader'] });
  // The same roles in Auth0 RBAC, for ROLES_SOURCE=rbac (the other sources do not read them).
  tenant.roles.setUserRoles(steward.user_id, ['steward']);
  tenant.roles.setUserRoles(target.user_id, ['reader']);
  const mint = (sub: string, role: string) => tenant.mintAppToken(sub, claims ? { claims: { [ROLES_CLAIM]: [role] } } : {});
  return { steward: mint(steward.user_id, 'steward'), target, targetToken: mint(target.user_id, 'reader') };
}

describe('a lookup in flight during a revocation (one process, no Redis)', () => {
  let env: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    env = await start({ alone: true, replicas: 1 });
  }, 60_000);
  afterAll(() => env?.stop());

  it('the next request does not join the old lookup, and the old answer is not cached', async () => {
    const [r] = env.replicas as [Replica];
    const { steward, target, targetToken } = actors(env.tenant);
    const hold = env.upstream.holdLookupOf(target.user_id);
    const first = get(r, targetToken);
    await hold.arrived; // the upstream has read the target's role; its answer waits
    expect((await patch(r, steward, target.user_id, { app_metadata: { roles: [] } })).status).toBe(200);
    // Answered while the old lookup is still held: it did not join it.
    expect(await outcome(await get(r, targetToken))).toBe('403 no_role');
    hold.release();
    expect((await first).status).toBe(200); // it started before the revocation
    expect(await outcome(await get(r, targetToken))).toBe('403 no_role');
  });
});

describe('a lookup in flight during a revocation (replicas sharing Redis)', () => {
  let env: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    env = await start({ replicas: 3 });
  }, 60_000);
  afterAll(() => env?.stop());

  it("B's lookup that read the old role before A revoked it stores nothing: the next request is refused on every replica", async () => {
    const [a, b] = env.replicas as [Replica, Replica, Replica];
    const { steward, target, targetToken } = actors(env.tenant);
    const hold = env.upstream.holdLookupOf(target.user_id);
    const first = get(b, targetToken);
    await hold.arrived;
    expect((await patch(a, steward, target.user_id, { app_metadata: { roles: [] } })).status).toBe(200);
    expect(await everywhere(env.replicas, targetToken)).toEqual(['403 no_role', '403 no_role', '403 no_role']);
    hold.release();
    expect((await first).status).toBe(200);
    expect(await everywhere(env.replicas, targetToken)).toEqual(['403 no_role', '403 no_role', '403 no_role']);
  });

  it('a replayed sealed entry (written back into Redis after the revocation) grants nothing', async () => {
    const [a, , c] = env.replicas as [Replica, Replica, Replica];
    const { steward, target, targetToken } = actors(env.tenant);
    expect(await outcome(await get(a, targetToken))).toBe(200);
    const redis = new Redis(env.redis!.url);
    try {
      const hash = createHash('sha256').update(target.user_id).digest('base64url');
      // The entry itself (not the caller's rate bucket, `usergate:<deployment>:bucket:caller:<hash>`).
      const [key] = (await redis.keys(`usergate:*:caller:${hash}`)).filter((k) => /^usergate:[0-9a-f]+:caller:/.test(k));
      const old = (await redis.get(key!))!;
      expect(old).toBeTruthy();
      expect((await patch(a, steward, target.user_id, { app_metadata: { roles: [] } })).status).toBe(200);
      await redis.set(key!, old, 'PX', 3_600_000);
      // C never served the target: it reads the replayed entry from Redis, and refuses it.
      expect(await outcome(await get(c, targetToken))).toBe('403 no_role');
      await redis.set(key!, old, 'PX', 3_600_000);
      expect(await everywhere(env.replicas, targetToken)).toEqual(['403 no_role', '403 no_role', '403 no_role']);
    } finally {
      redis.disconnect();
    }
  });
});

describe('claim mode with the blocked check across replicas', () => {
  let env: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    env = await start({ replicas: 2, env: { ROLES_SOURCE: 'claim', CLAIM_BLOCKED_CHECK: 'true' } });
  }, 60_000);
  afterAll(() => env?.stop());

  it('a block through A is seen by B on its very next request', async () => {
    const { steward, target, targetToken } = actors(env.tenant, true);
    expect(await everywhere(env.replicas, targetToken)).toEqual([200, 200]);
    expect((await patch(env.replicas[0]!, steward, target.user_id, { blocked: true })).status).toBe(200);
    expect(await everywhere(env.replicas, targetToken)).toEqual(['403 caller_blocked', '403 caller_blocked']);
  });

  it('a blocked-check lookup in flight on B when A blocks the caller stores nothing', async () => {
    const [a, b] = env.replicas as [Replica, Replica];
    const { steward, target, targetToken } = actors(env.tenant, true);
    const hold = env.upstream.holdLookupOf(target.user_id);
    const first = get(b, targetToken);
    await hold.arrived;
    expect((await patch(a, steward, target.user_id, { blocked: true })).status).toBe(200);
    expect(await everywhere(env.replicas, targetToken)).toEqual(['403 caller_blocked', '403 caller_blocked']);
    hold.release();
    expect((await first).status).toBe(200);
    expect(await everywhere(env.replicas, targetToken)).toEqual(['403 caller_blocked', '403 caller_blocked']);
  });
});

describe('a revocation while Redis is unreachable', () => {
  let env: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    // Degraded TTL 0: while Redis is away every request looks the caller up (the default serves 5 s).
    env = await start({ replicas: 2, link: true, env: { LOG_LEVEL: 'info', REDIS_DEGRADED_TTL_S: '0' } });
  }, 60_000);
  afterAll(() => env?.stop());

  const count = (replica: Replica, text: string) => replica.output().split(text).length - 1;

  it('is kept as a tombstone and written when Redis is back: no replica serves the old role', async () => {
    const [a, b] = env.replicas as [Replica, Replica];
    const { steward, target, targetToken } = actors(env.tenant);
    expect(await everywhere(env.replicas, targetToken)).toEqual([200, 200]);
    env.link!.cut();
    await waitFor(() => (count(a, 'Redis unreachable') > 0 && count(b, 'Redis unreachable') > 0) || undefined, 'both replicas degraded');
    expect((await patch(a, steward, target.user_id, { app_metadata: { roles: [] } })).status).toBe(200);
    expect(await everywhere(env.replicas, targetToken)).toEqual(['403 no_role', '403 no_role']);
    env.link!.restore();
    // A shares again only after writing its tombstone; B reads Redis again once it shares.
    await waitFor(() => (count(a, 'sharing resumed') > 0 && count(b, 'sharing resumed') > 0) || undefined, 'both replicas sharing again');
    expect(await everywhere(env.replicas, targetToken)).toEqual(['403 no_role', '403 no_role']);
  });
});

/*
 * A revoking write whose outcome usergate does not learn (it timed out) but that Auth0 applies later:
 * the dev tenant holds the PATCH past MGMT_TIMEOUT_MS and applies it when the test releases it, as
 * Auth0 applies a request whose client gave up. The subject is unsettled meanwhile: nothing of it is
 * cached, so the request right after the write lands is refused, on every replica.
 */
describe.each([
  { name: 'one process, no Redis', setup: { alone: true, replicas: 1 } },
  { name: 'replicas sharing Redis', setup: { replicas: 2 } },
  { name: 'claim mode with the blocked check, replicas sharing Redis', setup: { replicas: 2, claims: true } },
  { name: 'roles from Auth0 RBAC, replicas sharing Redis', setup: { replicas: 2, rbac: true } },
])('a block that times out and lands later ($name)', ({ setup }) => {
  let env: Awaited<ReturnType<typeof start>>;
  const claims = 'claims' in setup;
  beforeAll(async () => {
    const modeEnv: Record<string, string> = claims
      ? { ROLES_SOURCE: 'claim', CLAIM_BLOCKED_CHECK: 'true' }
      : 'rbac' in setup
        ? { ROLES_SOURCE: 'rbac', ORG_SOURCE: 'app_metadata' }
        : {};
    env = await start({ ...setup, env: { MGMT_TIMEOUT_MS: '1000', ...modeEnv } });
  }, 60_000);
  afterAll(() => env?.stop());

  it('the revoked caller acts until the write lands, and is refused on its very next request after, everywhere', async () => {
    const [a] = env.replicas as [Replica];
    const { steward, target, targetToken } = actors(env.tenant, claims);
    const ok = env.replicas.map(() => 200);
    // Cached everywhere before the write.
    expect(await everywhere(env.replicas, targetToken)).toEqual(ok);
    const write = env.tenant.faults.inject({ method: 'PATCH', path: `/api/v2/users/${encodeURIComponent(target.user_id)}`, kind: 'hold' });
    expect(await outcome(await patch(a, steward, target.user_id, { blocked: true }))).toBe('504 upstream_timeout');
    await write.arrived;
    // Auth0 has not applied it yet: the caller still has its role.
    expect(await everywhere(env.replicas, targetToken)).toEqual(ok);
    expect(env.tenant.store.get(target.user_id)!.blocked).not.toBe(true);
    write.release();
    await write.served;
    expect(env.tenant.store.get(target.user_id)!.blocked).toBe(true);
    expect(await everywhere(env.replicas, targetToken)).toEqual(env.replicas.map(() => '403 caller_blocked'));
  });
});
