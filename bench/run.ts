/**
 * What usergate costs per request, measured where it holds on a small shared machine: the CPU time
 * each process spends (utime+stime from /proc/<pid>/stat around a fixed number of requests), plus
 * throughput, latency at c=16 (autocannon) and at c=1 (a sequential loop timed with hrtime, µs), and
 * errors. Four setups answer the same reads against the same dev tenant:
 *   bare           a keep-alive pass-through proxy (http-proxy-middleware): the floor of any Node proxy
 *   express floor  Express forwarding with undici and re-serialising the JSON (bench/express-floor.ts):
 *                  the floor of the owner's stack, before any verification, policy or logging
 *   usergate       the service itself (NODE_ENV=production, LOG_LEVEL=info), admin and org-scoped callers
 *   peer           a hand-written BFF on Auth0's own libraries (bench/peer-bff.ts)
 * Reads spread over 300 users and 64 searches (identical concurrent GETs would be coalesced by usergate).
 * Rounds alternate the order of the setups; each figure is the median over rounds. Then steady RSS
 * over 300,000 requests, a cold burst, and (with --profile) usergate's CPU profile.
 * `--quick`: a short run that checks the harness works (no thresholds).
 */
import { execSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { Client } from 'undici';

const QUICK = process.argv.includes('--quick');
const PROFILE = process.argv.includes('--profile');
const ROUNDS = QUICK ? 1 : Number(process.env.BENCH_ROUNDS ?? 3);
/** Requests per cell at c=16 and at c=1 (the CPU figures are deltas over exactly these). */
const N16 = QUICK ? 500 : Number(process.env.BENCH_N16 ?? 8_000);
const N1 = QUICK ? 100 : Number(process.env.BENCH_N1 ?? 2_000);
const WARM = QUICK ? 100 : Number(process.env.BENCH_WARM ?? 1_000);
const RSS_BLOCK = QUICK ? 1_000 : Number(process.env.BENCH_RSS_BLOCK ?? 100_000);
const BURST = QUICK ? 200 : 1_000;
/** Distinct search queries the search cells spread over (the users read by id: bench/tenant-process.ts). */
const SEARCHES = 64;
const ONLY = process.env.BENCH_ONLY?.split(',');
/** A/B while optimising: copies of earlier `dist/` builds (comma-separated) run as extra setups in the same rounds. */
const BASELINE_DISTS = process.env.BENCH_BASELINE_DIST?.split(',') ?? [];
/** Cells only: no RSS blocks, profile or cold burst. */
const CELLS_ONLY = process.env.BENCH_CELLS_ONLY === '1';
/** Memory only: no cells (the RSS blocks, then the profile and cold burst as usual). */
const RSS_ONLY = process.env.BENCH_RSS_ONLY === '1';
const RESULTS = join(__dirname, 'results');

interface TenantInfo {
  url: string;
  appAudience: string;
  managementAudience: string;
  client: { clientId: string; clientSecret: string };
  adminToken: string;
  supportToken: string;
  targetId: string;
  /** The users read by id (bench/tenant-process.ts): the target and copies of it. */
  targetIds: string[];
}

interface Child {
  child: ChildProcessWithoutNullStreams;
  stop: () => Promise<void>;
}

/** Spawns a node process and resolves with the first stdout line that `accept` returns a value for. */
async function startChild<T>(
  args: string[],
  env: Record<string, string>,
  accept: (line: string) => T | undefined,
): Promise<Child & { info: T }> {
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
async function startUsergate(
  tenant: TenantInfo,
  nodeArgs: string[] = [],
  logLevel = 'info',
  dist = 'dist',
): Promise<Child & { info: number }> {
  const port = await freePort();
  // In the checkout the build belongs to: a baseline build reads its own config/acl.yaml (an older build
  // may not know the actions of today's policy file).
  const child = spawn(process.execPath, [...nodeArgs, resolve(dist, 'server.js')], {
    cwd: resolve(dist, '..'),
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
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
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
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: tenant.client.clientId,
      client_secret: tenant.client.clientSecret,
      audience: tenant.managementAudience,
    }),
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

/** Each request of the load goes to one of `paths`, drawn at random (identical concurrent GETs would be coalesced by usergate). */
async function load(
  origin: string,
  paths: string[],
  token: string,
  connections: number,
  opts: { duration?: number; amount?: number } = {},
): Promise<Measured> {
  const result = await autocannon({
    url: origin + paths[0]!,
    connections,
    headers: { authorization: `Bearer ${token}` },
    requests: [
      {
        setupRequest: (req: autocannon.Request) => ({ ...req, path: paths[Math.floor(Math.random() * paths.length)]! }),
      },
    ],
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.duration ?? 1 }),
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

const CLK_TCK = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;

/** CPU time (user + system, all threads) the process has used so far, in µs. */
function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLK_TCK; // utime (14), stime (15)
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const median = (values: number[]): number =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

/** c=1: one keep-alive connection, one request after the other, each timed with hrtime (µs). */
async function sequential(
  origin: string,
  paths: string[],
  token: string,
  amount: number,
): Promise<{ p50: number; p99: number; errors: number; seconds: number }> {
  const client = new Client(origin, { pipelining: 1 });
  const times: number[] = [];
  let errors = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < amount; i += 1) {
    const start = process.hrtime.bigint();
    try {
      const res = await client.request({ method: 'GET', path: paths[i % paths.length]!, headers: { authorization: `Bearer ${token}` } });
      await res.body.dump();
      if (res.statusCode !== 200) errors += 1;
    } catch {
      errors += 1;
    }
    times.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await client.close();
  times.sort((a, b) => a - b);
  return { p50: Math.round(quantile(times, 0.5)), p99: Math.round(quantile(times, 0.99)), errors, seconds };
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
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: { callFrame: { url: string; functionName: string }; hitCount?: number }[];
  };
  const areas = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const url = node.callFrame.url;
    const area =
      /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
      (/\/dist\/([^/]+)/.exec(url)?.[1]
        ? `usergate:${/\/dist\/([^/.]+)/.exec(url)![1]}`
        : url.startsWith('node:')
          ? 'node core'
          : `(${node.callFrame.functionName || 'native'})`);
    areas.set(area, (areas.get(area) ?? 0) + hits);
  }
  return Object.fromEntries(
    [...areas.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([k, v]) => [k, Math.round((v / total) * 1000) / 10]),
  );
}

interface Setup {
  name: string;
  pid: number;
  origin: string;
  /** The paths (requests spread over them) and token this setup is asked with, per route and caller. */
  request: (route: RouteName, caller: CallerName) => { paths: string[]; token: string };
}
type RouteName = 'by id' | 'search';
type CallerName = 'unscoped' | 'org';
const ROUTES: RouteName[] = ['by id', 'search'];
const CALLERS: CallerName[] = ['unscoped', 'org'];

interface Cell {
  setup: string;
  route: RouteName;
  caller: CallerName;
  proxyCpuUs: number;
  upstreamCpuUs: number;
  rps: number;
  p50ms: number;
  p99ms: number;
  errors: number;
  c1p50us: number;
  c1p99us: number;
  c1ProxyCpuUs: number;
  c1Errors: number;
}

/** One cell: warm-up, N16 requests at c=16 with CPU deltas, then N1 sequential requests. */
async function measure(setup: Setup, upstreamPid: number, route: RouteName, caller: CallerName): Promise<Cell> {
  const { paths, token } = setup.request(route, caller);
  await load(setup.origin, paths, token, 16, { amount: WARM });
  const cpu0 = cpuMicros(setup.pid);
  const up0 = cpuMicros(upstreamPid);
  const t0 = process.hrtime.bigint();
  const m = await load(setup.origin, paths, token, 16, { amount: N16 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const proxyCpuUs = (cpuMicros(setup.pid) - cpu0) / N16;
  const upstreamCpuUs = (cpuMicros(upstreamPid) - up0) / N16;
  const c1cpu0 = cpuMicros(setup.pid);
  const s = await sequential(setup.origin, paths, token, N1);
  const c1ProxyCpuUs = (cpuMicros(setup.pid) - c1cpu0) / N1;
  return {
    setup: setup.name,
    route,
    caller,
    proxyCpuUs: Math.round(proxyCpuUs),
    upstreamCpuUs: Math.round(upstreamCpuUs),
    rps: Math.round(N16 / seconds),
    p50ms: m.p50,
    p99ms: m.p99,
    errors: m.errors + m.non2xx,
    c1p50us: s.p50,
    c1p99us: s.p99,
    c1ProxyCpuUs: Math.round(c1ProxyCpuUs),
    c1Errors: s.errors,
  };
}

const NUMERIC: (keyof Cell)[] = [
  'proxyCpuUs',
  'upstreamCpuUs',
  'rps',
  'p50ms',
  'p99ms',
  'errors',
  'c1p50us',
  'c1p99us',
  'c1ProxyCpuUs',
  'c1Errors',
];

/** The median of every figure over the rounds, per setup, route and caller. */
function medians(cells: Cell[]): Cell[] {
  const groups = new Map<string, Cell[]>();
  for (const c of cells) {
    const key = `${c.setup}|${c.route}|${c.caller}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.values()].map((list) => {
    const out = { ...list[0]! };
    for (const k of NUMERIC) (out as Record<string, unknown>)[k] = Math.round(median(list.map((c) => c[k] as number)));
    if (list.length > 1) (out as Record<string, unknown>).proxyCpuUsRounds = list.map((c) => c.proxyCpuUs);
    return out;
  });
}

async function main(): Promise<void> {
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });
  const started = Date.now();
  const report: Record<string, unknown> = {
    quick: QUICK,
    rounds: ROUNDS,
    n16: N16,
    n1: N1,
    node: process.version,
    when: new Date().toISOString(),
  };

  const tenant = await startTenant();
  const t = tenant.info;
  const m2m = await machineToken(t);
  const idPaths = t.targetIds.map((id) => `/users/${encodeURIComponent(id)}`);
  // Distinct searches that find the same users (the acme members not blocked): the same upstream work
  // each, and no two identical concurrent GETs for usergate to coalesce.
  const searches = Array.from(
    { length: SEARCHES },
    (_, k) => `app_metadata.org:"acme" AND blocked:false AND NOT email:"nobody-${k}@example.com"`,
  );
  const searchPaths = searches.map((q) => `/users?q=${encodeURIComponent(q)}`);
  // What usergate sends upstream for an org-scoped caller (policy/search-query.ts), so that the bare
  // proxy is asked for the same upstream work.
  const narrowed = (q: string) => `(${q}) AND app_metadata.org:"acme"`;
  const upstreamSearch = (q: string) => `/api/v2/users?search_engine=v3&q=${encodeURIComponent(q)}`;

  const bare = await startChild<{ port: number }>([...TS, join(__dirname, 'bare-proxy.ts'), t.url], {}, (l) => json(l));
  const floor = await startChild<{ port: number }>([...TS, join(__dirname, 'express-floor.ts'), t.url, m2m], {}, (l) => json(l));
  const peer = await startChild<{ port: number }>(
    [...TS, join(__dirname, 'peer-bff.ts'), t.url, t.appAudience, t.managementAudience, t.client.clientId, t.client.clientSecret],
    {},
    (l) => json(l),
  );
  const gate = await startUsergate(t);
  const baselines = await Promise.all(BASELINE_DISTS.map((dist) => startUsergate(t, [], 'info', dist)));
  const callerToken = (caller: CallerName) => (caller === 'unscoped' ? t.adminToken : t.supportToken);
  const asClient = (route: RouteName, caller: CallerName) => ({
    paths: route === 'by id' ? idPaths : searchPaths,
    token: callerToken(caller),
  });
  const setups: Setup[] = [
    {
      name: 'bare',
      pid: bare.child.pid!,
      origin: `http://127.0.0.1:${bare.info.port}`,
      request: (route: RouteName, caller: CallerName) => ({
        paths:
          route === 'by id' ? idPaths.map((p) => `/api/v2${p}`) : searches.map((q) => upstreamSearch(caller === 'org' ? narrowed(q) : q)),
        token: m2m,
      }),
    },
    {
      name: 'express floor',
      pid: floor.child.pid!,
      origin: `http://127.0.0.1:${floor.info.port}`,
      request: (route: RouteName, caller: CallerName) => ({
        paths:
          route === 'by id'
            ? idPaths
            : searches.map((q) => `/users?search_engine=v3&q=${encodeURIComponent(caller === 'org' ? narrowed(q) : q)}`),
        token: m2m,
      }),
    },
    { name: 'usergate', pid: gate.child.pid!, origin: `http://127.0.0.1:${gate.info}`, request: asClient },
    { name: 'peer', pid: peer.child.pid!, origin: `http://127.0.0.1:${peer.info.port}`, request: asClient },
    ...baselines.map((b, i) => ({
      name: `baseline ${BASELINE_DISTS[i]}`,
      pid: b.child.pid!,
      origin: `http://127.0.0.1:${b.info}`,
      request: asClient,
    })),
  ].filter((s) => !ONLY || ONLY.includes(s.name) || s.name.startsWith('baseline')) as Setup[];

  const cells: Cell[] = [];
  for (let round = 0; round < (RSS_ONLY ? 0 : ROUNDS); round += 1) {
    // Alternate which setup goes first, so none always runs on the warmest (or most disturbed) machine.
    const order = setups.map((_, i) => setups[(i + round) % setups.length]!);
    for (const route of ROUTES) {
      for (const caller of CALLERS) {
        for (const setup of order) {
          const cell = await measure(setup, tenant.child.pid!, route, caller);
          cells.push(cell);
          process.stderr.write(
            `round ${round + 1}/${ROUNDS} ${setup.name} ${route} ${caller}: ${cell.proxyCpuUs} µs CPU/req, c=1 p50 ${cell.c1p50us} µs\n`,
          );
        }
      }
    }
  }
  const table = medians(cells);
  report.cells = cells;
  report.medians = table;
  const find = (setup: string, route: RouteName, caller: CallerName) =>
    table.find((c) => c.setup === setup && c.route === route && c.caller === caller);
  const targets: Record<string, unknown>[] = [];
  for (const route of ROUTES) {
    for (const caller of CALLERS) {
      const [b, f, u, p] = [
        find('bare', route, caller),
        find('express floor', route, caller),
        find('usergate', route, caller),
        find('peer', route, caller),
      ];
      if (!u) continue;
      targets.push({
        route,
        caller,
        'usergate/bare CPU': b ? Math.round((u.proxyCpuUs / b.proxyCpuUs) * 100) / 100 : null,
        'express floor/bare CPU': b && f ? Math.round((f.proxyCpuUs / b.proxyCpuUs) * 100) / 100 : null,
        'usergate/express floor CPU': f ? Math.round((u.proxyCpuUs / f.proxyCpuUs) * 100) / 100 : null,
        'usergate/peer CPU': p ? Math.round((u.proxyCpuUs / p.proxyCpuUs) * 100) / 100 : null,
        'c=1 p50 usergate-bare µs': b ? u.c1p50us - b.c1p50us : null,
        'c=1 p50 express floor-bare µs': b && f ? f.c1p50us - b.c1p50us : null,
      });
    }
  }
  report.targets = targets;
  await gate.stop();
  for (const b of baselines) await b.stop();
  await peer.stop();
  await floor.stop();
  await bare.stop();
  if (CELLS_ONLY) {
    await tenant.stop();
    writeFileSync(join(RESULTS, 'latest.json'), JSON.stringify(report, null, 2));
    console.table(table.map(({ proxyCpuUsRounds: _r, ...rest }: Cell & { proxyCpuUsRounds?: unknown }) => rest));
    console.table(targets);
    return;
  }

  // Steady RSS of a fresh usergate: three blocks of requests (half reads by id, half org-scoped
  // searches). RSS follows V8's heap, which grows between major collections and shrinks at them, so a
  // single reading lands anywhere on that saw-tooth: RSS is sampled every 250 ms and each block is
  // reported by the median of its samples (and min/max). Growth from the 2nd to the 3rd block's
  // median would be a leak.
  const rssGate = await startUsergate(t);
  const rssOrigin = `http://127.0.0.1:${rssGate.info}`;
  const rssStart = rssMb(rssGate.child.pid!);
  const blocks: { medianMb: number; minMb: number; maxMb: number; endMb: number }[] = [];
  let rssErrors = 0;
  for (let block = 0; block < 3; block += 1) {
    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(rssMb(rssGate.child.pid!)), 250);
    const a = await load(rssOrigin, idPaths, t.adminToken, 16, { amount: RSS_BLOCK / 2 });
    const b = await load(rssOrigin, searchPaths, t.supportToken, 16, { amount: RSS_BLOCK / 2 });
    clearInterval(sampler);
    rssErrors += a.errors + a.non2xx + b.errors + b.non2xx;
    const end = rssMb(rssGate.child.pid!);
    samples.push(end);
    blocks.push({ medianMb: median(samples), minMb: Math.min(...samples), maxMb: Math.max(...samples), endMb: end });
  }
  report.rss = {
    blockRequests: RSS_BLOCK,
    startMb: rssStart,
    blocks,
    steadyMedianMb: blocks[2]!.medianMb,
    growth2to3MedianMb: blocks[2]!.medianMb - blocks[1]!.medianMb,
    errors: rssErrors,
  };
  await rssGate.stop();

  if (PROFILE) {
    // CPU profile of usergate under the same reads, for both callers.
    const profDir = join(RESULTS, 'cpu');
    const profGate = await startUsergate(t, ['--cpu-prof', `--cpu-prof-dir=${profDir}`]);
    const origin = `http://127.0.0.1:${profGate.info}`;
    for (const route of ROUTES) {
      for (const caller of CALLERS) {
        const { paths, token } = asClient(route, caller);
        await load(origin, paths, token, 16, { amount: N16 });
      }
    }
    await profGate.stop();
    const profile = join(
      profDir,
      readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))!,
    );
    report.cpuProfile = { file: profile.replace(process.cwd() + '/', ''), top: topFrames(profile, 25), byArea: byArea(profile) };
  }
  await tenant.stop();

  // Cold burst: a fresh tenant and a fresh usergate, then many concurrent first requests.
  const coldTenant = await startTenant();
  const coldGate = await startUsergate(coldTenant.info);
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
    // Counted over the fresh tenant's whole life: usergate's start-up (its scope check takes the token) and the burst.
    tokenRequests: after.tokenRequests,
    jwksFetches: after.jwksFetches,
    // The caller lookup plus the reads of the target; identical concurrent GETs share one upstream call.
    upstreamCalls: after.apiCalls,
  };
  await coldGate.stop();
  await coldTenant.stop();

  report.totalSeconds = Math.round((Date.now() - started) / 1000);
  writeFileSync(join(RESULTS, 'latest.json'), JSON.stringify(report, null, 2));
  console.table(table.map(({ proxyCpuUsRounds: _r, ...rest }: Cell & { proxyCpuUsRounds?: unknown }) => rest));
  console.table(targets);
  console.log('RSS', report.rss);
  console.log('cold burst', report.coldBurst);
  if (PROFILE) {
    console.log('CPU profile: top self-time frames');
    console.table((report.cpuProfile as { top: unknown[] }).top);
    console.log('CPU profile: share of samples by area', (report.cpuProfile as { byArea: unknown }).byArea);
  }
  console.log(`bench finished in ${String(report.totalSeconds)}s; full results in bench/results/latest.json`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
