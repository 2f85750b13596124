/**
 * What usergate costs on top of the Management API, measured side by side on one machine:
 *   A  the dev tenant's Management API called straight
 *   B  the same calls through a bare pass-through proxy (http-proxy-middleware): the floor of any Node proxy
 *   C  the same reads through usergate with a real app token, for an admin and an org-scoped support caller
 * plus the cold-burst upstream counts, RSS before/after many requests, and the CPU profile's top frames.
 * Each server runs in its own process; autocannon drives load from this one. `--quick`: a short run
 * that checks the harness works (no thresholds).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

const QUICK = process.argv.includes('--quick');
const DURATION_S = QUICK ? 1 : 5;
const CONCURRENCY = [16, 128];
const RSS_REQUESTS = QUICK ? 2_000 : 100_000;
const BURST = QUICK ? 200 : 1_000;
const RESULTS = join(__dirname, 'results');

interface TenantInfo {
  url: string;
  appAudience: string;
  managementAudience: string;
  client: { clientId: string; clientSecret: string };
  adminToken: string;
  supportToken: string;
  targetId: string;
}

interface Child {
  child: ChildProcessWithoutNullStreams;
  stop: () => Promise<void>;
}

/** Spawns a node process and resolves with the first stdout line that `accept` returns a value for. */
async function startChild<T>(args: string[], env: Record<string, string>, accept: (line: string) => T | undefined): Promise<Child & { info: T }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env } });
  child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
  const lines = createInterface({ input: child.stdout });
  const info = await new Promise<T>((resolve, reject) => {
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not start within 30 s`));
    }, 30_000);
    lines.on('line', (line) => {
      const value = accept(line);
      if (value !== undefined) {
        clearTimeout(deadline);
        resolve(value);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(deadline);
      reject(new Error(`${args.join(' ')} exited with ${code}`));
    });
  });
  child.stdout.resume();
  return {
    child,
    info,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

const TS = ['-r', 'ts-node/register/transpile-only'];
const json = <T>(line: string): T | undefined => {
  try {
    return JSON.parse(line) as T;
  } catch {
    return undefined;
  }
};

function startTenant() {
  return startChild<TenantInfo>([...TS, join(__dirname, 'tenant-process.ts')], {}, (l) => json<TenantInfo>(l));
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** usergate on a free port; ready once /healthz answers (log lines may be off). */
async function startUsergate(tenant: TenantInfo, nodeArgs: string[] = [], logLevel = 'info'): Promise<Child & { info: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, 'dist/server.js'], {
    env: {
      ...process.env,
      AUTH0_DOMAIN: tenant.url,
      AUTH0_AUDIENCE: tenant.appAudience,
      MGMT_CLIENT_ID: tenant.client.clientId,
      MGMT_CLIENT_SECRET: tenant.client.clientSecret,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: logLevel,
      NODE_ENV: 'production',
      // This bench measures usergate's overhead, not its pacing (bench/cluster.ts does): budgets that never bind.
      MGMT_RATE_READ: '1000000/100000000',
      MGMT_RATE_WRITE: '1000000/100000000',
      CALLER_RATE: '1000000/100000000',
    },
  });
  child.stdout.resume(); // request logs are written, as in production, and dropped here
  child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('usergate did not start within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    info: port,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

async function machineToken(tenant: TenantInfo): Promise<string> {
  const res = await fetch(`${tenant.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: tenant.client.clientId, client_secret: tenant.client.clientSecret, audience: tenant.managementAudience }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
}

async function load(url: string, token: string, connections: number, opts: { duration?: number; amount?: number } = {}): Promise<Measured> {
  const result = await autocannon({
    url,
    connections,
    headers: { authorization: `Bearer ${token}` },
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.duration ?? DURATION_S }),
  });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

async function counters(tenant: TenantInfo): Promise<{ tokenRequests: number; jwksFetches: number; apiCalls: number }> {
  return (await (await fetch(`${tenant.url}/__dev/counters`)).json()) as { tokenRequests: number; jwksFetches: number; apiCalls: number };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
}

/** Self time per frame of a .cpuprofile, as a share of all samples. */
function topFrames(file: string, count: number): { frame: string; selfPct: number }[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  };
  const byFrame = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '');
    const frame = `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`.trim();
    byFrame.set(frame, (byFrame.get(frame) ?? 0) + hits);
  }
  return [...byFrame.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([frame, hits]) => ({ frame, selfPct: Math.round((hits / total) * 1000) / 10 }));
}

/** Share of samples per package or area, to say where the time goes. */
function byArea(file: string): Record<string, number> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: { callFrame: { url: string; functionName: string }; hitCount?: number }[] };
  const areas = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const url = node.callFrame.url;
    const area = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
      (/\/dist\/([^/]+)/.exec(url)?.[1] ? `usergate:${/\/dist\/([^/.]+)/.exec(url)![1]}` : url.startsWith('node:') ? 'node core' : `(${node.callFrame.functionName || 'native'})`);
    areas.set(area, (areas.get(area) ?? 0) + hits);
  }
  return Object.fromEntries([...areas.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => [k, Math.round((v / total) * 1000) / 10]));
}

async function main(): Promise<void> {
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });
  const started = Date.now();
  const report: Record<string, unknown> = { quick: QUICK, durationS: DURATION_S, node: process.version, when: new Date().toISOString() };

  const tenant = await startTenant();
  const t = tenant.info;
  const m2m = await machineToken(t);
  const idPath = `/users/${encodeURIComponent(t.targetId)}`;
  const q = encodeURIComponent('app_metadata.org:"acme" AND blocked:false');
  const routes = {
    'GET /users/{id}': { upstream: `/api/v2${idPath}`, usergate: idPath },
    'GET /users?q=': { upstream: `/api/v2/users?search_engine=v3&q=${q}`, usergate: `/users?q=${q}` },
  };

  const bare = await startChild<{ port: number }>([...TS, join(__dirname, 'bare-proxy.ts'), t.url], {}, (l) => json(l));
  const gate = await startUsergate(t);
  // The same usergate without per-request log lines, to show what request logging costs.
  const quiet = await startUsergate(t, [], 'warn');
  const quietUrl = `http://127.0.0.1:${quiet.info}`;
  const bareUrl = `http://127.0.0.1:${bare.info.port}`;
  const gateUrl = `http://127.0.0.1:${gate.info}`;

  // Warm every path once (JIT, keep-alive pools, usergate's token, JWKS and caller caches).
  for (const r of Object.values(routes)) {
    await load(t.url + r.upstream, m2m, 16, { duration: 1 });
    await load(bareUrl + r.upstream, m2m, 16, { duration: 1 });
    await load(gateUrl + r.usergate, t.adminToken, 16, { duration: 1 });
    await load(gateUrl + r.usergate, t.supportToken, 16, { duration: 1 });
    await load(quietUrl + r.usergate, t.adminToken, 16, { duration: 1 });
  }

  const rows: Record<string, unknown>[] = [];
  for (const connections of CONCURRENCY) {
    for (const [name, r] of Object.entries(routes)) {
      const A = await load(t.url + r.upstream, m2m, connections);
      const B = await load(bareUrl + r.upstream, m2m, connections);
      const Cadmin = await load(gateUrl + r.usergate, t.adminToken, connections);
      const Csupport = await load(gateUrl + r.usergate, t.supportToken, connections);
      const Cquiet = await load(quietUrl + r.usergate, t.adminToken, connections);
      const setups = { 'A direct': A, 'B bare proxy': B, 'C usergate admin': Cadmin, 'C usergate support (org)': Csupport, 'C admin, LOG_LEVEL=warn': Cquiet };
      for (const [label, m] of Object.entries(setups)) {
        rows.push({ route: name, c: connections, setup: label, ...m });
      }
      for (const [who, C] of Object.entries({ admin: Cadmin, support: Csupport, 'admin, LOG_LEVEL=warn': Cquiet })) {
        rows.push({
          route: name,
          c: connections,
          setup: `ratios ${who}`,
          'C/B rps': Math.round((C.rps / B.rps) * 100) / 100,
          'C/A rps': Math.round((C.rps / A.rps) * 100) / 100,
          'C-B p99 ms': C.p99 - B.p99,
          'C/A p99': Math.round((C.p99 / Math.max(A.p99, 1)) * 100) / 100,
        });
      }
    }
  }
  report.throughput = rows;
  await gate.stop();
  await quiet.stop();
  await bare.stop();

  // RSS of a fresh usergate before and after many requests.
  const rssGate = await startUsergate(t);
  const rssUrl = `http://127.0.0.1:${rssGate.info}${routes['GET /users/{id}'].usergate}`;
  await load(rssUrl, t.adminToken, 16, { amount: 1000 });
  const rssBefore = rssMb(rssGate.child.pid!);
  const rssRun = await load(rssUrl, t.adminToken, 32, { amount: RSS_REQUESTS });
  const rssAfter = rssMb(rssGate.child.pid!);
  // A second round of as many requests: growth that continues would be a leak, a plateau is the heap settling.
  const rssRun2 = await load(rssUrl, t.adminToken, 32, { amount: RSS_REQUESTS });
  report.rss = {
    requests: RSS_REQUESTS,
    beforeMb: rssBefore,
    afterMb: rssAfter,
    afterTwiceMb: rssMb(rssGate.child.pid!),
    errors: rssRun.errors + rssRun2.errors,
    non2xx: rssRun.non2xx + rssRun2.non2xx,
  };
  await rssGate.stop();

  // CPU profile of usergate under load (admin and support reads).
  const profDir = join(RESULTS, 'cpu');
  const profGate = await startUsergate(t, ['--cpu-prof', `--cpu-prof-dir=${profDir}`]);
  const profUrl = `http://127.0.0.1:${profGate.info}`;
  await load(profUrl + routes['GET /users/{id}'].usergate, t.adminToken, 16);
  await load(profUrl + routes['GET /users?q='].usergate, t.supportToken, 16);
  await profGate.stop();
  const profile = join(profDir, readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))!);
  report.cpuProfile = { file: profile.replace(process.cwd() + '/', ''), top: topFrames(profile, 15), byArea: byArea(profile) };
  await tenant.stop();

  // Cold burst: a fresh tenant and a fresh usergate, then many concurrent first requests.
  const coldTenant = await startTenant();
  const coldGate = await startUsergate(coldTenant.info);
  const before = await counters(coldTenant.info);
  const burst = await Promise.all(
    Array.from({ length: BURST }, () =>
      fetch(`http://127.0.0.1:${coldGate.info}/users/${encodeURIComponent(coldTenant.info.targetId)}`, {
        headers: { authorization: `Bearer ${coldTenant.info.adminToken}` },
      }).then((r) => r.status),
    ),
  );
  const after = await counters(coldTenant.info);
  report.coldBurst = {
    requests: BURST,
    ok: burst.filter((s) => s === 200).length,
    tokenRequests: after.tokenRequests - before.tokenRequests,
    jwksFetches: after.jwksFetches - before.jwksFetches,
    callerLookups: after.apiCalls - before.apiCalls - BURST,
  };
  await coldGate.stop();
  await coldTenant.stop();

  report.totalSeconds = Math.round((Date.now() - started) / 1000);
  writeFileSync(join(RESULTS, 'latest.json'), JSON.stringify(report, null, 2));
  console.table(rows.filter((r) => !String(r.setup).startsWith('ratios')));
  console.table(rows.filter((r) => String(r.setup).startsWith('ratios')));
  console.log('RSS', report.rss);
  console.log('cold burst', report.coldBurst);
  console.log('CPU profile: top self-time frames');
  console.table((report.cpuProfile as { top: unknown[] }).top);
  console.log('CPU profile: share of samples by area', (report.cpuProfile as { byArea: unknown }).byArea);
  console.log(`bench finished in ${String(report.totalSeconds)}s; full results in bench/results/latest.json`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
