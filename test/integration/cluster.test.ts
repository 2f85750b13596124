import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startDevTenant, type DevTenant } from '../../dev-tenant';
import { replicaEnv, startRedis, startReplica, type Replica } from '../helpers/cluster';
import { seedTarget } from '../helpers/targets';

/*
 * Three real usergate processes sharing one real redis-server (Debian's; persistence off, a free port),
 * against a dev tenant in this process whose counters and request log show what reached "Auth0".
 * Role names are this test's own, from its own policy file.
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

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'usergate-cluster-'));
  writeFileSync(join(dir, 'acl.yaml'), POLICY);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function startCluster(env: Record<string, string>, beforeReplicas?: (tenant: DevTenant) => void) {
  const redis = await startRedis();
  const tenant = await startDevTenant();
  beforeReplicas?.(tenant);
  const common = { ...replicaEnv(tenant, redis.url, join(dir, 'acl.yaml')), ...env };
  const started = performance.now();
  const replicas = await Promise.all([1, 2, 3].map(() => startReplica(common)));
  return {
    redis,
    tenant,
    replicas,
    /** How long the three replicas took to start and serve, in ms. */
    startMs: performance.now() - started,
    async stop() {
      await Promise.all(replicas.map((r) => r.stop()));
      await tenant.stop();
      await redis.stop();
    },
  };
}

const get = (replica: Replica, path: string, token: string) =>
  fetch(`${replica.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
const lookupsOf = (tenant: DevTenant, sub: string) =>
  tenant.requestLog.filter(
    (r) =>
      r.operation === 'GET /users/{id}' && decodeURIComponent(r.path).endsWith(sub) && String(r.query.fields) === 'app_metadata,blocked',
  ).length;
const usersCalls = (tenant: DevTenant) => tenant.requestLog.filter((r) => r.operation === 'GET /users').length;

describe('three replicas sharing Redis (roles from app_metadata)', () => {
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  beforeAll(async () => {
    cluster = await startCluster({ MGMT_RATE_READ: '10000/100000', CALLER_RATE: '10000/100000' });
  }, 120_000);
  afterAll(() => cluster?.stop());

  it('three cold replicas (each checks its token scopes at start-up) and a burst of 60 requests over them cost one token request', async () => {
    const { tenant, replicas } = cluster;
    const steward = seedTarget(tenant, { roles: ['steward'] });
    const token = tenant.mintAppToken(steward.user_id);
    const statuses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => get(replicas[i % 3]!, `/users?per_page=1&page=${i}`, token).then((r) => r.status)),
    );
    expect(statuses).toEqual(Array(60).fill(200));
    expect(tenant.counters.tokenRequests).toBe(1);
    expect(lookupsOf(tenant, steward.user_id)).toBe(1);
  });

  it('9 requests of one caller over the replicas cost one caller lookup', async () => {
    const { tenant, replicas } = cluster;
    const reader = seedTarget(tenant, { roles: ['reader'] });
    const token = tenant.mintAppToken(reader.user_id);
    const statuses = await Promise.all(
      Array.from({ length: 9 }, (_, i) => get(replicas[i % 3]!, `/users?per_page=1&page=${i}`, token).then((r) => r.status)),
    );
    expect(statuses).toEqual(Array(9).fill(200));
    expect(lookupsOf(tenant, reader.user_id)).toBe(1);
  });

  it.each([
    { change: 'roles revoked', body: { app_metadata: { roles: [] } }, refusal: 'no_role' },
    { change: 'a block made', body: { blocked: true }, refusal: 'caller_blocked' },
  ])('$change through replica A: the target is refused on B and C within 100 ms ($refusal)', async ({ body, refusal }) => {
    const { tenant, replicas } = cluster;
    const [a, b, c] = replicas as [Replica, Replica, Replica];
    const steward = seedTarget(tenant, { roles: ['steward'] });
    const target = seedTarget(tenant, { roles: ['reader'] });
    const targetToken = tenant.mintAppToken(target.user_id);
    // B and C have the target cached (one lookup for the cluster, then each replica's local copy).
    expect((await get(b, '/users?per_page=1', targetToken)).status).toBe(200);
    expect((await get(c, '/users?per_page=1', targetToken)).status).toBe(200);
    const lookupsBefore = lookupsOf(tenant, target.user_id);
    expect(lookupsBefore).toBe(1);

    const patched = await fetch(`${a.url}/users/${encodeURIComponent(target.user_id)}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${tenant.mintAppToken(steward.user_id)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(patched.status).toBe(200);
    // Another process's pub/sub: no clock to inject. 100 ms after A answered, B and C refuse (their
    // cached entries live for ROLES_CACHE_TTL_S = 60 s otherwise). bench/cluster.ts measures the latency.
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const replica of [b, c]) {
      const res = await get(replica, '/users?per_page=1', targetToken);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { errorCode: string }).errorCode).toBe(refusal);
    }
    expect(lookupsOf(tenant, target.user_id)).toBe(lookupsBefore + 1);
  });

  it('the machine token in Redis is sealed: not a token, and refused by the Management API as it is', async () => {
    const { tenant, redis } = cluster;
    const client = new Redis(redis.url);
    try {
      const keys = await client.keys('usergate:*:mgmt-token');
      expect(keys).toHaveLength(1);
      const stored = (await client.get(keys[0]!))!;
      expect(stored).not.toMatch(/eyJ/);
      for (const candidate of [stored, ...stored.split('.')]) {
        const res = await fetch(`${tenant.url}/api/v2/users?per_page=1`, { headers: { authorization: `Bearer ${candidate}` } });
        expect(res.status).toBe(401);
      }
      // Caller entries are sealed too: no roles readable (or forgeable) in Redis.
      const callers = (await client.keys('usergate:*')).filter((k) => /^usergate:[0-9a-f]+:caller:[\w-]+$/.test(k));
      expect(callers.length).toBeGreaterThan(0);
      for (const key of callers) expect(await client.get(key)).not.toMatch(/steward|reader/);
    } finally {
      client.disconnect();
    }
  });

  it('Redis killed mid-run: every request still succeeds, and /readyz stays ready and says degraded', async () => {
    const { tenant, replicas, redis } = cluster;
    const steward = seedTarget(tenant, { roles: ['steward'] });
    const token = tenant.mintAppToken(steward.user_id);
    const round = (from: number) =>
      Promise.all(
        Array.from({ length: 15 }, (_, i) => get(replicas[i % 3]!, `/users?per_page=1&page=${from + i}`, token).then((r) => r.status)),
      );
    expect(await round(0)).toEqual(Array(15).fill(200));
    await redis.kill();
    expect(await round(15)).toEqual(Array(15).fill(200));
    // A caller no replica has seen yet is looked up locally.
    const newcomer = seedTarget(tenant, { roles: ['reader'] });
    const newcomerToken = tenant.mintAppToken(newcomer.user_id);
    const statuses = await Promise.all(replicas.map((r) => get(r, '/users?per_page=1', newcomerToken).then((res) => res.status)));
    expect(statuses).toEqual([200, 200, 200]);
    for (const replica of replicas) {
      const ready = await fetch(`${replica.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', checks: { redis: { state: 'warning', detail: 'degraded' } } });
      // Logged once per change of state, not per request.
      const degraded = replica.output().match(/Redis unreachable or slow/g)?.length ?? 0;
      const resumed = replica.output().match(/Redis is back/g)?.length ?? 0;
      expect(degraded).toBe(resumed + 1);
    }
  });
});

describe('three replicas sharing one upstream budget (roles from claims)', () => {
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  beforeAll(async () => {
    cluster = await startCluster({
      ROLES_SOURCE: 'claim',
      CLAIM_BLOCKED_CHECK: 'false',
      MGMT_RATE_READ: '5/60',
      CALLER_RATE: '10000/100000',
    });
  }, 120_000);
  afterAll(() => cluster?.stop());

  it('with MGMT_RATE_READ=5/60 a burst of 45 reads over the replicas: Auth0 sees at most the budget, the rest get 429 with Retry-After', async () => {
    const { tenant, replicas } = cluster;
    const token = tenant.mintAppToken('auth0|burst-caller', { claims: { [ROLES_CLAIM]: ['steward'] } });
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 45 }, async (_, i) => {
        const res = await get(replicas[i % 3]!, `/users?per_page=1&page=${i}`, token);
        return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { errorCode?: string } };
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    const ok = answers.filter((a) => a.status === 200).length;
    const limited = answers.filter((a) => a.status === 429);
    expect(ok + limited.length).toBe(45);
    expect(limited.length).toBeGreaterThan(0);
    for (const a of limited) {
      expect(a.body.errorCode).toBe('rate_limited');
      expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    // The bucket: 5 at once, then one a second (refills during the burst and its queue wait).
    expect(usersCalls(tenant)).toBe(ok);
    expect(ok).toBeLessThanOrEqual(5 + Math.ceil(elapsedS));
    expect(ok).toBeGreaterThanOrEqual(5);
  }, 30_000);
});

describe('three replicas sharing per-caller buckets (roles from claims)', () => {
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  beforeAll(async () => {
    // The replicas' first token request (the start-up scope check) fails once.
    // MGMT_TIMEOUT_MS is also the token lock's lifetime: 30 s, so that waiting it out cannot pass for a slow start.
    cluster = await startCluster(
      {
        ROLES_SOURCE: 'claim',
        CLAIM_BLOCKED_CHECK: 'false',
        CALLER_RATE: '3/60',
        MGMT_RATE_READ: '10000/100000',
        MGMT_TIMEOUT_MS: '30000',
      },
      (tenant) => tenant.faults.inject({ method: 'POST', path: '/oauth/token', kind: 'status', status: 500 }),
    );
  }, 120_000);
  afterAll(() => cluster?.stop());

  it('the first token request fails: the next replica asks at once and the others share its token', async () => {
    const { tenant, replicas } = cluster;
    const statuses = await Promise.all(
      replicas.map((r, i) =>
        get(r, '/users?per_page=1', tenant.mintAppToken(`auth0|early-${i}`, { claims: { [ROLES_CLAIM]: ['reader'] } })).then(
          (res) => res.status,
        ),
      ),
    );
    expect(statuses).toEqual([200, 200, 200]);
    // One token issued (the failed request was answered by the injected fault, which the tenant does not count).
    expect(tenant.counters.tokenRequests).toBe(1);
    // Nobody sat out the lock's lifetime (MGMT_TIMEOUT_MS, 30 s) waiting for the replica that failed.
    expect(cluster.startMs).toBeLessThan(20_000);
  });

  it("one caller flooding over the replicas is held to its share while another caller's requests succeed", async () => {
    const { tenant, replicas } = cluster;
    const flooder = tenant.mintAppToken('auth0|runaway-script', { claims: { [ROLES_CLAIM]: ['steward'] } });
    const other = tenant.mintAppToken('auth0|colleague', { claims: { [ROLES_CLAIM]: ['reader'] } });
    const started = performance.now();
    const [flood, others] = await Promise.all([
      Promise.all(
        Array.from({ length: 30 }, async (_, i) => {
          const res = await get(replicas[i % 3]!, `/users?per_page=1&page=${i}`, flooder);
          return { status: res.status, retryAfter: res.headers.get('retry-after') };
        }),
      ),
      Promise.all(Array.from({ length: 3 }, (_, i) => get(replicas[i]!, `/users?per_page=2&page=${i}`, other).then((r) => r.status))),
    ]);
    const elapsedS = (performance.now() - started) / 1000;
    expect(others).toEqual([200, 200, 200]);
    const ok = flood.filter((a) => a.status === 200).length;
    expect(ok).toBeGreaterThanOrEqual(3);
    expect(ok).toBeLessThanOrEqual(3 + Math.ceil(elapsedS));
    for (const a of flood.filter((x) => x.status !== 200)) {
      expect(a.status).toBe(429);
      expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    // Refused requests reached nothing upstream (beyond the previous test's three calls).
    expect(usersCalls(tenant)).toBe(ok + 3 + 3);
  });
});
