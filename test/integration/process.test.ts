import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPublicKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { DEFAULT_CLIENT, startDevTenant, type DevTenant } from '../../dev-tenant';
import { waitFor } from '../helpers/wait';
import { fromCheckout, workingDir } from '../helpers/working-dir';

/** Working directories made for the processes of this file, removed at its end. */
const dirs: { remove: () => void }[] = [];

/**
 * The real process: `dist/server.js` (production), or `dist-dev/dev/start.js` (what `npm start` runs
 * after its build step). It runs in `cwd`, by default an empty directory of its own, so that it never
 * reads the checkout's `.env`; the policy file is the checkout's unless `env` names another.
 */
function startProcess(
  env: Record<string, string>,
  entry = 'dist/server.js',
  cwd?: string,
): { child: ChildProcessWithoutNullStreams; output: () => string; stderr: () => string } {
  const dir = cwd ?? newDir();
  const child = spawn(process.execPath, [fromCheckout(entry)], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ACL_FILE: fromCheckout('config/acl.yaml'),
      ...env,
    },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { child, output: () => out, stderr: () => err };
}

function newDir(): string {
  const made = workingDir();
  dirs.push(made);
  return made.dir;
}

const exitCode = async (child: ChildProcessWithoutNullStreams): Promise<number | null> =>
  child.exitCode ?? ((await once(child, 'exit')) as [number | null])[0];

/** The environment of a production process against `tenant`, plus `extra`. */
const tenantEnv = (tenant: DevTenant, extra: Record<string, string> = {}): Record<string, string> => ({
  AUTH0_DOMAIN: tenant.url,
  AUTH0_AUDIENCE: tenant.appAudience,
  MGMT_CLIENT_ID: DEFAULT_CLIENT.clientId,
  MGMT_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
  ...extra,
});

describe('the usergate process', () => {
  afterAll(() => dirs.forEach((d) => d.remove()));

  it('the production build holds no dev-tenant code', () => {
    const files = readdirSync('dist', { recursive: true, encoding: 'utf8' });
    expect(files).toContain('server.js');
    expect(files.filter((f) => /dev-tenant|dev-mode/.test(f))).toEqual([]);
    for (const f of files.filter((f) => f.endsWith('.js'))) expect(readFileSync(join('dist', f), 'utf8')).not.toMatch(/dev-tenant/);
  });

  it('npm start without AUTH0_DOMAIN runs the dev tenant, prints a working token and curl line per demo role, and exits 0 on SIGTERM', async () => {
    const proc = startProcess({}, 'dist-dev/dev/start.js');
    try {
      const banner = await waitFor(
        () => (/usergate: (http:\S+)/.test(proc.output()) && proc.output().includes('TOKEN_NONE=') ? proc.output() : undefined),
        'the banner',
      );
      expect(banner).toContain('LOCAL DEV TENANT');
      const url = /usergate: (http:\S+)/.exec(banner)![1]!;
      const tenantUrl = /dev tenant: (http:\S+)/.exec(banner)![1]!;
      await waitFor(async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined), 'readiness');
      const jwks = (await (await fetch(`${tenantUrl}/.well-known/jwks.json`)).json()) as {
        keys: (import('node:crypto').JsonWebKey & { kid: string })[];
      };
      const tokens = [...banner.matchAll(/^TOKEN_([A-Z]+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!] as const);
      expect(tokens.map(([role]) => role)).toEqual(['ADMIN', 'SUPPORT', 'VIEWER', 'AUDITOR', 'NONE']);
      for (const [role, token] of tokens) {
        const kid = jwt.decode(token, { complete: true })!.header.kid;
        const key = createPublicKey({ key: jwks.keys.find((k) => k.kid === kid)!, format: 'jwk' });
        expect(() => jwt.verify(token, key, { algorithms: ['RS256'], issuer: `${tenantUrl}/` })).not.toThrow();
        expect(banner).toContain(`curl -s -H "Authorization: Bearer $TOKEN_${role}" ${url}/me/permissions`);
        expect((await fetch(`${url}/me/permissions`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      }
      // One curl line per support-desk capability, and each works as printed.
      const desk = [...banner.matchAll(/^curl -s(?: -X (\w+))? -H "Authorization: Bearer \$TOKEN_SUPPORT" "(\S+)" -w .*$/gm)];
      expect(desk.map((m) => `${m[1] ?? 'GET'} ${m[2]!.split('/').pop()!.split('?')[0]}`)).toEqual([
        'POST password-change-ticket',
        'POST verification-email',
        'GET blocks',
        'DELETE blocks',
        'GET authentication-methods',
        'DELETE authentication-methods',
        'GET sessions',
        'DELETE sessions',
        'GET logs',
      ]);
      // Each line works as printed (run by the shell, with curl), and ends with the status: 202 and 204 have no body.
      const support = tokens.find(([role]) => role === 'SUPPORT')![1];
      for (const [line, method] of desk) {
        const out = execFileSync('bash', ['-c', line.split('\n')[0]!], {
          env: { PATH: process.env.PATH ?? '', TOKEN_SUPPORT: support },
        }).toString();
        const status = /\nHTTP (\d{3})\n$/.exec(out)?.[1];
        expect({ line, succeeded: Number(status) >= 200 && Number(status) < 300 }).toEqual({ line, succeeded: true });
        if (method === 'POST' && line.includes('password-change-ticket')) {
          // The reset link it prints opens a page on the dev tenant.
          const link = (JSON.parse(out.slice(0, out.lastIndexOf('\nHTTP'))) as { ticket: string }).ticket;
          expect((await fetch(link)).status).toBe(200);
        }
      }
      proc.child.kill('SIGTERM');
      expect(await exitCode(proc.child)).toBe(0);
    } finally {
      proc.child.kill('SIGKILL');
    }
  }, 40_000);

  it('npm start with ROLES_SOURCE=rbac seeds Organizations and prints a tenant admin, an org admin and an org member whose curl lines all work as printed', async () => {
    const proc = startProcess({ ROLES_SOURCE: 'rbac' }, 'dist-dev/dev/start.js');
    try {
      const banner = await waitFor(
        () => (/usergate: (http:\S+)/.test(proc.output()) && proc.output().includes('TOKEN_ORG_MEMBER=') ? proc.output() : undefined),
        'the banner',
      );
      const url = /usergate: (http:\S+)/.exec(banner)![1]!;
      await waitFor(async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined), 'readiness');
      const tokens = Object.fromEntries([...banner.matchAll(/^(TOKEN_[A-Z_]+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
      expect(Object.keys(tokens)).toEqual(['TOKEN_TENANT_ADMIN', 'TOKEN_ORG_ADMIN', 'TOKEN_ORG_MEMBER']);
      expect(jwt.decode(tokens.TOKEN_TENANT_ADMIN!)).not.toHaveProperty('org_id');
      const orgId = (jwt.decode(tokens.TOKEN_ORG_ADMIN!) as { org_id: string }).org_id;
      expect((jwt.decode(tokens.TOKEN_ORG_MEMBER!) as { org_id: string }).org_id).toBe(orgId);
      const lines = [...banner.matchAll(/^curl -s .*$/gm)].map((m) => m[0]);
      expect(lines).toContain(`curl -s -H "Authorization: Bearer $TOKEN_ORG_ADMIN" ${url}/orgs/${orgId}/members`);
      for (const line of lines) {
        const out = execFileSync('bash', ['-c', `${line} -w '\nHTTP %{http_code}\n'`], {
          env: { PATH: process.env.PATH ?? '', ...tokens },
        }).toString();
        const status = /\nHTTP (\d{3})\n$/.exec(out)?.[1];
        expect({ line, status }).toEqual({ line, status: '200' });
      }
      // The org admin's roles act in its organization only: its permissions say so.
      const admin = (await (
        await fetch(`${url}/me/permissions`, { headers: { authorization: `Bearer ${tokens.TOKEN_ORG_ADMIN}` } })
      ).json()) as {
        org: string;
        scope: Record<string, string>;
      };
      expect(admin.org).toBe(orgId);
      expect(new Set(Object.values(admin.scope))).toEqual(new Set(['org']));
      proc.child.kill('SIGTERM');
      expect(await exitCode(proc.child)).toBe(0);
    } finally {
      proc.child.kill('SIGKILL');
    }
  }, 40_000);

  it('on SIGTERM it finishes an in-flight request before it exits 0', async () => {
    const tenant = await startDevTenant();
    const proc = startProcess(tenantEnv(tenant, { ROLES_SOURCE: 'claim', CLAIM_BLOCKED_CHECK: 'false', LOG_LEVEL: 'info' }));
    try {
      const port = await waitFor(() => /"port":(\d+)/.exec(proc.output())?.[1], 'listening');
      const token = tenant.mintAppToken('auth0|x', { claims: { 'https://usergate.dev/roles': ['admin'] } });
      tenant.faults.inject({ method: 'GET', path: '/api/v2/users', kind: 'latency', ms: 1000 });
      const inflight = fetch(`http://127.0.0.1:${port}/users?per_page=1`, { headers: { authorization: `Bearer ${token}` } });
      await waitFor(() => (tenant.requestLog.some((r) => r.operation === 'GET /users') ? true : undefined), 'the upstream call');
      proc.child.kill('SIGTERM');
      const res = await inflight;
      expect(res.status).toBe(200);
      expect(await exitCode(proc.child)).toBe(0);
      expect(proc.output()).toContain('finishing in-flight requests');
    } finally {
      proc.child.kill('SIGKILL');
      await tenant.stop();
    }
  }, 30_000);

  it('SHUTDOWN_GRACE_MS bounds how long a stopping process waits for a request in flight', async () => {
    const tenant = await startDevTenant();
    const proc = startProcess(
      tenantEnv(tenant, { ROLES_SOURCE: 'claim', CLAIM_BLOCKED_CHECK: 'false', LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: '300' }),
    );
    try {
      const port = await waitFor(() => /"port":(\d+)/.exec(proc.output())?.[1], 'listening');
      const token = tenant.mintAppToken('auth0|x', { claims: { 'https://usergate.dev/roles': ['admin'] } });
      tenant.faults.inject({ method: 'GET', path: '/api/v2/users', kind: 'latency', ms: 8000 });
      const inflight = fetch(`http://127.0.0.1:${port}/users?per_page=1`, { headers: { authorization: `Bearer ${token}` } }).then(
        (res) => res.status,
        () => 'connection closed',
      );
      await waitFor(() => (tenant.requestLog.some((r) => r.operation === 'GET /users') ? true : undefined), 'the upstream call');
      const stopping = Date.now();
      proc.child.kill('SIGTERM');
      expect(await inflight).toBe('connection closed');
      expect(await exitCode(proc.child)).toBe(0);
      expect(Date.now() - stopping).toBeLessThan(5000);
      expect(proc.output()).toContain('in-flight requests did not finish in time');
    } finally {
      proc.child.kill('SIGKILL');
      await tenant.stop();
    }
  }, 30_000);

  it('request lines reach stdout in batches: each within the flush interval when idle, and every one by exit', async () => {
    const tenant = await startDevTenant();
    const proc = startProcess(
      tenantEnv(tenant, {
        ROLES_SOURCE: 'claim',
        CLAIM_BLOCKED_CHECK: 'false',
        LOG_LEVEL: 'info',
        CALLER_RATE: '1000/60000', // this test is about logging, not the per-caller share
      }),
    );
    const completed = () => proc.output().match(/"msg":"request completed"/g)?.length ?? 0;
    try {
      const port = await waitFor(() => /"port":(\d+)/.exec(proc.output())?.[1], 'listening');
      const token = tenant.mintAppToken('auth0|x', { claims: { 'https://usergate.dev/roles': ['admin'] } });
      const read = () => fetch(`http://127.0.0.1:${port}/users?per_page=1`, { headers: { authorization: `Bearer ${token}` } });
      for (let i = 0; i < 3; i += 1) expect((await read()).status).toBe(200);
      // Three short lines do not fill a batch: the periodic flush (1 s) writes them, with no more traffic.
      await waitFor(() => (completed() === 3 ? true : undefined), 'three request lines', 5_000);
      const more = await Promise.all(Array.from({ length: 20 }, () => read().then((r) => r.status)));
      expect(more).toEqual(Array(20).fill(200));
      // 'close', not 'exit': the lines written synchronously at exit may still be in the pipe at 'exit'.
      const closed = once(proc.child, 'close');
      proc.child.kill('SIGTERM');
      const [code] = (await closed) as [number | null];
      expect(code).toBe(0);
      expect(completed()).toBe(23);
    } finally {
      proc.child.kill('SIGKILL');
      await tenant.stop();
    }
  }, 30_000);

  it('at start-up it warns, naming action and scope, for each Management API scope an enabled action lacks', async () => {
    const scopes = DEFAULT_CLIENT.scopes.filter((s) => s !== 'read:logs' && s !== 'delete:device_credentials');
    const tenant = await startDevTenant({ clients: [{ ...DEFAULT_CLIENT, scopes }] });
    const proc = startProcess(tenantEnv(tenant));
    try {
      const warnings = await waitFor(() => {
        const lines = proc
          .output()
          .split('\n')
          .filter((l) => l.includes('"check":"mgmt_scopes"'));
        return lines.length >= 2 ? lines.map((l) => (JSON.parse(l) as { msg: string }).msg) : undefined;
      }, 'the scope warnings');
      expect(warnings).toEqual([
        'action "logout" needs the Management API scope delete:device_credentials, which usergate\'s machine token lacks',
        'action "read_logs" needs the Management API scope read:logs or read:logs_users, which usergate\'s machine token lacks',
      ]);
    } finally {
      proc.child.kill('SIGKILL');
      await tenant.stop();
    }
  }, 30_000);

  it('with NODE_ENV=production and nothing set it refuses to start, naming every missing setting and each wrong one in one line', async () => {
    const proc = startProcess({ NODE_ENV: 'production', PORT: 'eighty' });
    expect(await exitCode(proc.child)).toBe(1);
    const lines = proc.stderr().trim().split('\n');
    expect(lines).toEqual([expect.stringMatching(/^Invalid configuration: /)]);
    for (const named of [
      'AUTH0_DOMAIN is required when NODE_ENV=production',
      'AUTH0_AUDIENCE is required',
      'MGMT_CLIENT_ID is required',
      'MGMT_CLIENT_SECRET is required',
      'PORT must be a whole number',
    ])
      expect(lines[0]).toContain(named);
    expect(proc.output()).not.toContain('DEV TENANT');
  });

  it('.env in the working directory is read at start, and the process environment wins over it', async () => {
    const tenant = await startDevTenant();
    const dir = newDir();
    // The file holds every required setting, and a wrong secret the environment overrides.
    writeFileSync(
      join(dir, '.env'),
      [
        '# copied from .env.example',
        `AUTH0_DOMAIN=${tenant.url}`,
        `AUTH0_AUDIENCE="${tenant.appAudience}"`,
        `MGMT_CLIENT_ID=${DEFAULT_CLIENT.clientId}`,
        'MGMT_CLIENT_SECRET=dotenv-secret-that-is-wrong',
        '',
      ].join('\n'),
    );
    const proc = startProcess({ MGMT_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret, LOG_LEVEL: 'info' }, 'dist/server.js', dir);
    try {
      const port = await waitFor(() => /"port":(\d+)/.exec(proc.output())?.[1], 'listening');
      const ready = await waitFor(async () => {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`);
        return res.status === 200 ? ((await res.json()) as { status: string }) : undefined;
      }, 'readiness with the secret of the environment');
      expect(ready.status).toBe('ready');
      const line = proc
        .output()
        .split('\n')
        .find((l) => l.includes('settings read from .env'));
      expect(JSON.parse(line!)).toMatchObject({ names: ['AUTH0_AUDIENCE', 'AUTH0_DOMAIN', 'MGMT_CLIENT_ID'] });
      expect(proc.output()).not.toContain('dotenv-secret-that-is-wrong');
      expect(proc.output()).not.toContain(DEFAULT_CLIENT.clientSecret);
    } finally {
      proc.child.kill('SIGKILL');
      await tenant.stop();
    }
  }, 30_000);

  it('with a wrong machine secret, /readyz and the start-up log say what the token endpoint answered, never the secret', async () => {
    const tenant = await startDevTenant();
    const secret = 'wrong-secret-4f1c9a';
    const proc = startProcess(tenantEnv(tenant, { MGMT_CLIENT_SECRET: secret, LOG_LEVEL: 'info' }));
    const expected =
      'no Management API token can be obtained: the token endpoint answered 401 access_denied (check MGMT_CLIENT_ID and MGMT_CLIENT_SECRET)';
    try {
      const port = await waitFor(() => /"port":(\d+)/.exec(proc.output())?.[1], 'listening');
      const logged = await waitFor(
        () =>
          proc
            .output()
            .split('\n')
            .find((l) => l.includes('"check":"mgmt_token"')),
        'the start-up line about the machine token',
      );
      expect(JSON.parse(logged)).toMatchObject({ level: 50, msg: `${expected}; the Management API scopes cannot be checked` });
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      const text = await res.text();
      expect(res.status).toBe(503);
      expect((JSON.parse(text) as { checks: Record<string, unknown> }).checks.machineToken).toEqual({ state: 'failing', detail: expected });
      expect(text).not.toContain(secret);
      expect(proc.output() + proc.stderr()).not.toContain(secret);
    } finally {
      proc.child.kill('SIGKILL');
      await tenant.stop();
    }
  }, 30_000);

  it('with a broken policy file it refuses to start, naming the problem', async () => {
    const tenant = await startDevTenant();
    try {
      const proc = startProcess({
        AUTH0_DOMAIN: tenant.url,
        AUTH0_AUDIENCE: 'a',
        MGMT_CLIENT_ID: 'x',
        MGMT_CLIENT_SECRET: 'y',
        ACL_FILE: fromCheckout('package.json'),
      });
      expect(await exitCode(proc.child)).toBe(1);
      // Every problem at once, each on its own line: the missing roles and package.json's own keys.
      expect(proc.stderr()).toMatch(/^Invalid policy file \S*package\.json: \d+ problems:$/m);
      expect(proc.stderr()).toMatch(/^ {2}- roles: is required$/m);
      expect(proc.stderr()).toMatch(/^ {2}- the file: unknown key\(s\) name, /m);
    } finally {
      await tenant.stop();
    }
  });
});
