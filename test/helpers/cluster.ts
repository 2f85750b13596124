import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { DEFAULT_CLIENT, type DevTenant } from '../../dev-tenant';
import { waitFor } from './wait';
import { fromCheckout, workingDir } from './working-dir';

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const exited = (child: ChildProcess): Promise<unknown> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit');

/** A redis-server of its own on a free loopback port, persistence off; `kill` is the abrupt end. */
export async function startRedis() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(
    () =>
      /Ready to accept connections/.test(out)
        ? true
        : child.exitCode !== null
          ? Promise.reject(new Error(`redis-server exited: ${out}`))
          : undefined,
    'redis-server',
  );
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

/** The environment of a replica against `tenant`, sharing the Redis at `redisUrl`. */
export function replicaEnv(tenant: DevTenant, redisUrl: string, aclFile: string): Record<string, string> {
  return {
    AUTH0_DOMAIN: tenant.url,
    AUTH0_AUDIENCE: tenant.appAudience,
    MGMT_CLIENT_ID: DEFAULT_CLIENT.clientId,
    MGMT_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
    ACL_FILE: aclFile,
    REDIS_URL: redisUrl,
  };
}

/**
 * One usergate process (the built dist/server.js, as `npm start` runs it) on a free port, in an empty
 * working directory of its own (no `.env` of the checkout; `env` gives ACL_FILE as an absolute path).
 */
export async function startReplica(env: Record<string, string>) {
  const port = await freePort();
  const cwd = workingDir();
  const child = spawn(process.execPath, [fromCheckout('dist/server.js')], {
    cwd: cwd.dir,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
  });
  child.once('exit', () => cwd.remove());
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () =>
      child.exitCode !== null
        ? Promise.reject(new Error(`usergate exited: ${out}`))
        : (await fetch(`${url}/healthz`).then(
            (r) => r.ok,
            () => false,
          )) || undefined,
    'usergate',
  );
  return {
    url,
    output: () => out,
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

export type Replica = Awaited<ReturnType<typeof startReplica>>;
