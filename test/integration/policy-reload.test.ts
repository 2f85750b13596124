import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CLIENT, startDevTenant, type DevTenant } from '../../dev-tenant';
import { waitFor } from '../helpers/wait';

/*
 * The real production process (dist/server.js) reloading its policy file on SIGHUP. Role names are
 * this test's own, from its own files.
 */
const CLERK_LISTS = 'roles:\n  clerk:\n    can: [list, read]\n    read: [user_id, name]\n';
const CLERK_READS = 'roles:\n  clerk:\n    can: [read]\n    read: [user_id, name]\n';
const BROKEN = 'roles:\n  clerk:\n    can: [read, fly]\n    grant: [admn]\n    colour: red\n';
const versionOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

let tenant: DevTenant;
let proc: ChildProcessWithoutNullStreams;
let output = '';
let base: string;
let metricsUrl: string;
let token: string;
let file: string;

beforeAll(async () => {
  tenant = await startDevTenant();
  file = join(mkdtempSync(join(tmpdir(), 'policy-reload-')), 'acl.yaml');
  writeFileSync(file, CLERK_LISTS);
  proc = spawn(process.execPath, ['dist/server.js'], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      AUTH0_DOMAIN: tenant.url,
      AUTH0_AUDIENCE: tenant.appAudience,
      MGMT_CLIENT_ID: DEFAULT_CLIENT.clientId,
      MGMT_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
      ROLES_SOURCE: 'claim',
      CLAIM_BLOCKED_CHECK: 'false',
      ACL_FILE: file,
    },
  });
  proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const listening = await waitFor(() => /"port":(\d+).*"metricsPort":(\d+)/.exec(output) ?? undefined, 'listening');
  base = `http://127.0.0.1:${listening[1]}`;
  metricsUrl = `http://127.0.0.1:${listening[2]}/metrics`;
  token = tenant.mintAppToken('auth0|clerk', { claims: { 'https://usergate.dev/roles': ['clerk'] } });
}, 120_000);

afterAll(async () => {
  proc?.kill('SIGKILL');
  await tenant?.stop();
});

const call = (path: string) => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
const logLines = (msg: string) =>
  output
    .split('\n')
    .filter((l) => l.includes(`"msg":"${msg}`))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
/** Rewrites the file, sends SIGHUP, and waits for the process to log the reload's outcome (the `n`-th of that kind). */
async function reload(text: string, msg: string, n: number): Promise<Record<string, unknown>> {
  writeFileSync(file, text);
  proc.kill('SIGHUP');
  return waitFor(() => logLines(msg)[n - 1], msg);
}
const policyCheck = async () =>
  ((await (await fetch(`${base}/readyz`)).json()) as { checks: { policy: Record<string, unknown> } }).checks.policy;

describe('SIGHUP reloads the policy file', () => {
  let userId: string;

  it('a valid file serves from the next request on; a request in flight during the swap completes', async () => {
    const first = await call('/users?per_page=1');
    expect(first.status).toBe(200);
    userId = ((await first.json()) as { user_id: string }[])[0]!.user_id;
    expect(await policyCheck()).toMatchObject({ state: 'ok', version: versionOf(CLERK_LISTS) });

    tenant.faults.inject({ method: 'GET', path: '/api/v2/users', kind: 'latency', ms: 1000 });
    const inflight = call('/users?per_page=1');
    await waitFor(
      () => (tenant.requestLog.filter((r) => r.operation === 'GET /users').length >= 2 ? true : undefined),
      'the upstream call',
    );
    const reloaded = await reload(CLERK_READS, 'policy reloaded', 1);
    expect(reloaded).toMatchObject({ policyVersion: versionOf(CLERK_READS), previousVersion: versionOf(CLERK_LISTS) });
    // Decided before the swap, under the policy of its start: it finishes, and succeeds.
    expect((await inflight).status).toBe(200);

    const next = await call('/users?per_page=1');
    expect(next.status).toBe(403);
    expect(((await next.json()) as { errorCode: string }).errorCode).toBe('action_forbidden');
    expect((await call(`/users/${encodeURIComponent(userId)}`)).status).toBe(200);
    // /readyz shows the served policy at once (its other checks' verdict may be reused for 2 s).
    expect(await policyCheck()).toMatchObject({ state: 'ok', version: versionOf(CLERK_READS) });
    const metrics = await (await fetch(metricsUrl)).text();
    expect(metrics).toContain(`usergate_policy_info{version="${versionOf(CLERK_READS)}"} 1`);
    expect(metrics).not.toContain(versionOf(CLERK_LISTS));
  }, 30_000);

  it('a broken file is refused: the last good policy still decides, the log names every problem at error level, /readyz warns and stays 200', async () => {
    const refused = await reload(BROKEN, 'policy reload refused', 1);
    expect(refused.level).toBe(50);
    expect(refused.problems).toEqual([
      expect.stringContaining('roles.clerk.can[1]: "fly" is not an action'),
      'roles.clerk: unknown key(s) colour',
      expect.stringContaining('roles.clerk.grant[0]: "admn" is not a role the file defines'),
    ]);
    expect((await call('/users?per_page=1')).status).toBe(403);
    expect((await call(`/users/${encodeURIComponent(userId)}`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    const check = ((await ready.json()) as { checks: { policy: Record<string, unknown> } }).checks.policy;
    expect(check.state).toBe('warning');
    expect(check).toMatchObject({
      version: versionOf(CLERK_READS),
      error: expect.stringContaining('"admn" is not a role the file defines'),
    });
    expect(await (await fetch(metricsUrl)).text()).toContain(`usergate_policy_info{version="${versionOf(CLERK_READS)}"} 1`);

    // Fixed again: served, and the warning is gone.
    await reload(CLERK_LISTS, 'policy reloaded', 2);
    expect((await call('/users?per_page=1')).status).toBe(200);
    const fixed = await policyCheck();
    expect(fixed).toMatchObject({ state: 'ok', version: versionOf(CLERK_LISTS) });
    expect(fixed.error).toBeUndefined();
  }, 30_000);
});
