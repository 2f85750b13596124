import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import supertest from 'supertest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config/env';
import { loadPolicyFile, validatePolicyDocument } from '../../src/config/policy-file';
import { buildDependencies } from '../../src/dependencies';
import { DEFAULT_CLIENT, startDevTenant, type DevTenant, type DevTenantOptions } from '../../src/dev-tenant';
import { createLogger } from '../../src/http/logger';
import { compilePolicy } from '../../src/policy/policy';

export interface StackOptions {
  env?: Record<string, string>;
  /** A policy document instead of config/acl.yaml. */
  policy?: unknown;
  tenant?: DevTenantOptions;
  /** An already running tenant to point at. */
  existingTenant?: DevTenant;
  now?: () => number;
  /** Where the built console is, when the console is enabled (default dist/console). */
  consoleDir?: string;
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

/**
 * usergate against a dev tenant, both listening on loopback: what the integration suites drive over
 * real HTTP. Waits are recorded instead of slept; logs are captured as parsed JSON lines.
 */
export async function startStack(options: StackOptions = {}) {
  const tenant = options.existingTenant ?? (await startDevTenant(options.tenant));
  const config = loadConfig({
    AUTH0_DOMAIN: tenant.url,
    AUTH0_AUDIENCE: tenant.appAudience,
    MGMT_CLIENT_ID: DEFAULT_CLIENT.clientId,
    MGMT_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
    LOG_LEVEL: 'info',
    MGMT_TIMEOUT_MS: '1000',
    ...options.env,
  });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  const policy = options.policy
    ? compilePolicy(validatePolicyDocument(options.policy, 'test policy'), config.roles)
    : loadPolicyFile(config.aclFile, config.roles);
  const waits: number[] = [];
  const deps = buildDependencies(config, logger, policy, {
    now: options.now,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  if (deps.console && options.consoleDir) deps.console = { ...deps.console, dir: options.consoleDir };
  const server: Server = createApp(deps).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    tenant,
    config,
    deps,
    logs,
    waits,
    url,
    http: supertest(url),
    /** Requests that carry a bearer token. */
    as(token: string) {
      const http = supertest(url);
      const auth = { authorization: `Bearer ${token}` };
      return {
        get: (path: string) => http.get(path).set(auth),
        patch: (path: string) => http.patch(path).set(auth),
        post: (path: string) => http.post(path).set(auth),
        delete: (path: string) => http.delete(path).set(auth),
      };
    },
    /** An app token for a user of the tenant, as Auth0 would issue after login. */
    tokenFor: (sub: string, opts?: Parameters<DevTenant['mintAppToken']>[1]) => tenant.mintAppToken(sub, opts),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.existingTenant) await tenant.stop();
    },
  };
}

/** Every key path of a JSON value, with array indexes dropped: `identities.access_token`. */
export function allPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => allPaths(item, prefix));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => {
      const path = prefix ? `${prefix}.${key}` : key;
      return [path, ...allPaths(child, path)];
    });
  }
  return [];
}
