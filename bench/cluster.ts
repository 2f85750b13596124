/**
 * The cluster scenario: N usergate replicas sharing one Redis, under load, against a dev tenant that
 * limits its Management API like Auth0's free plan (burst 2, 2 requests a second). Reports upstream
 * calls per client request, machine-token requests, 429s from "Auth0" (the goal is zero: usergate's
 * shared budget should answer them itself), and how long a role revocation made through one replica
 * takes to be refused on another. Usage: `npm run bench:cluster [-- --quick]`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevTenant, type DevTenant } from '../dev-tenant';
import { seedTarget } from '../test/helpers/targets';
import { replicaEnv, startRedis, startReplica, type Replica } from '../test/helpers/cluster';

const QUICK = process.argv.includes('--quick');
const DURATION_MS = QUICK ? 3_000 : 15_000;
const REPLICAS = QUICK ? [2] : [1, 3];
const CALLERS = 4;
const WORKERS_PER_REPLICA = 4;
/** Auth0's free plan on the Management API (until the dev tenant ships named presets). */
const FREE_PLAN = { capacity: 2, refillPerSecond: 2 };
const POLICY =
  'roles:\n  steward:\n    can: [list, read, update]\n    read: ["*"]\n    write: [app_metadata]\n    grant: [reader]\n  reader:\n    can: [list, read]\n    read: [user_id, name]\n';

interface Result {
  replicas: number;
  clientRequests: number;
  ok: number;
  limitedByUsergate: number;
  other: number;
  upstreamCalls: number;
  tokenRequests: number;
  auth0429s: number;
  /** Counted again after the invalidation round (writes and reads together). */
  auth0429sAfterWrites?: number;
  invalidationMs: number[];
  roundTripMs: number[];
}

const get = (replica: Replica, path: string, token: string) =>
  fetch(`${replica.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

async function load(replicas: Replica[], tokens: string[]): Promise<Pick<Result, 'clientRequests' | 'ok' | 'limitedByUsergate' | 'other'>> {
  const counts = { clientRequests: 0, ok: 0, limitedByUsergate: 0, other: 0 };
  const deadline = Date.now() + DURATION_MS;
  let n = 0;
  const worker = async (replica: Replica) => {
    while (Date.now() < deadline) {
      n += 1;
      const res = await get(replica, `/users?per_page=1&page=${n % 200}`, tokens[n % tokens.length]!);
      await res.arrayBuffer();
      counts.clientRequests += 1;
      if (res.status === 200) counts.ok += 1;
      else if (res.status === 429) counts.limitedByUsergate += 1;
      else counts.other += 1;
      // A frontend backs off on 429 as Retry-After says; this load does not, to stress the budget.
    }
  };
  await Promise.all(replicas.flatMap((r) => Array.from({ length: WORKERS_PER_REPLICA }, () => worker(r))));
  return counts;
}

/**
 * PATCH through the first replica, then poll the second until it refuses the target: the time from
 * A's answer to B's refusal, which includes that refused request's own round trip (returned too).
 */
async function invalidationLatency(tenant: DevTenant, a: Replica, b: Replica): Promise<[number, number]> {
  const steward = tenant.mintAppToken(seedTarget(tenant, { roles: ['steward'] }).user_id);
  const target = seedTarget(tenant, { roles: ['reader'] });
  const targetToken = tenant.mintAppToken(target.user_id);
  for (;;) if ((await get(b, '/users?per_page=1', targetToken)).status === 200) break; // cached on B
  // The budget may still be spent by the load phase: a 429 is waited out as its Retry-After says
  // (this measures invalidation, not the budget), a bounded number of times.
  let patched: Response | undefined;
  for (let attempt = 0; attempt < 10; attempt += 1) {
    patched = await fetch(`${a.url}/users/${encodeURIComponent(target.user_id)}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${steward}`, 'content-type': 'application/json' },
      body: JSON.stringify({ app_metadata: { roles: [] } }),
    });
    if (patched.status !== 429) break;
    await patched.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, Number(patched!.headers.get('retry-after') ?? '1') * 1000));
  }
  if (patched?.status !== 200) throw new Error(`PATCH answered ${String(patched?.status)}`);
  const answered = performance.now();
  for (;;) {
    const sent = performance.now();
    const res = await get(b, '/users?per_page=1', targetToken);
    await res.arrayBuffer();
    if (res.status === 403) return [performance.now() - answered, performance.now() - sent];
    if (performance.now() - answered > 5000) return [Infinity, 0];
  }
}

async function scenario(count: number, dir: string): Promise<Result> {
  const redis = await startRedis();
  const tenant = await startDevTenant({ rateLimit: FREE_PLAN });
  const env = {
    ...replicaEnv(tenant, redis.url, join(dir, 'acl.yaml')),
    // The free plan's 120/min is for reads and writes together: split it, a little under the limit,
    // with a burst of 1: calls granted apart can reach Auth0 together on a busy host.
    MGMT_RATE_READ: '1/100',
    MGMT_RATE_WRITE: '1/20',
    LOG_LEVEL: 'error',
  };
  const replicas = await Promise.all(Array.from({ length: count }, () => startReplica(env)));
  try {
    const tokens = Array.from({ length: CALLERS }, () => tenant.mintAppToken(seedTarget(tenant, { roles: ['reader'] }).user_id));
    const counts = await load(replicas, tokens);
    const upstreamCalls = tenant.counters.apiCalls;
    const result: Result = {
      replicas: count,
      ...counts,
      upstreamCalls,
      tokenRequests: tenant.counters.tokenRequests,
      auth0429s: tenant.rateLimit.refused,
      invalidationMs: [],
      roundTripMs: [],
    };
    if (count > 1) {
      await new Promise((resolve) => setTimeout(resolve, 2000)); // let the buckets refill before the writes
      for (let i = 0; i < (QUICK ? 1 : 5); i += 1) {
        const [latency, roundTrip] = await invalidationLatency(tenant, replicas[0]!, replicas[1]!);
        result.invalidationMs.push(latency);
        result.roundTripMs.push(roundTrip);
        await new Promise((resolve) => setTimeout(resolve, 1500));
      }
      result.auth0429sAfterWrites = tenant.rateLimit.refused;
    }
    return result;
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
    await tenant.stop();
    await redis.stop();
  }
}

async function main(): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const build = spawn(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
    build.on('exit', (code) => (code === 0 ? resolve() : reject(new Error('build failed'))));
  });
  const dir = mkdtempSync(join(tmpdir(), 'usergate-bench-cluster-'));
  writeFileSync(join(dir, 'acl.yaml'), POLICY);
  try {
    const rows: string[] = [];
    for (const count of REPLICAS) {
      const r = await scenario(count, dir);
      const median = (values: number[]) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)];
      const latency = median(r.invalidationMs);
      rows.push(
        `| ${r.replicas} | ${r.clientRequests} | ${r.ok} | ${r.limitedByUsergate} | ${r.other} | ${r.upstreamCalls} | ${(r.upstreamCalls / r.clientRequests).toFixed(3)} | ${r.tokenRequests} | ${r.auth0429s}${r.auth0429sAfterWrites === undefined ? '' : ` (${r.auth0429sAfterWrites} after the writes)`} | ${latency === undefined ? 'n/a' : `${latency.toFixed(0)} (max ${Math.max(...r.invalidationMs).toFixed(0)}; its own round trip ${median(r.roundTripMs)!.toFixed(0)})`} |`,
      );
    }
    process.stdout.write(
      [
        `cluster bench: ${DURATION_MS / 1000} s of load, ${WORKERS_PER_REPLICA} workers per replica, ${CALLERS} callers, tenant on the free-plan limit (burst 2, 2/s), MGMT_RATE_READ=1/100, MGMT_RATE_WRITE=1/20`,
        '',
        '| replicas | client requests | 200 | 429 from usergate | other | upstream calls | upstream per client request | token requests | 429s from Auth0 | invalidation ms, median |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
        ...rows,
      ].join('\n') + '\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
