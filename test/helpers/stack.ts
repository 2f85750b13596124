import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import supertest from 'supertest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config/env';
import { LivePolicy } from '../../src/config/live-policy';
import { readPolicyFile, validatePolicyDocument } from '../../src/config/policy-file';
import { buildDependencies } from '../../src/dependencies';
import { DEFAULT_CLIENT, startDevTenant, type DevTenant, type DevTenantOptions } from '../../dev-tenant';
import { createLogger } from '../../src/http/logger';
import { startMetricsServer } from '../../src/metrics/server';
import { directoryFor } from '../../src/directory';
import { compilePolicy } from '../../src/policy/policy';
import { validatingAgent } from './openapi';

export interface StackOptions {
  env?: Record<string, string>;
  /** A policy document instead of config/acl.yaml. */
  policy?: unknown;
  tenant?: DevTenantOptions;
  /** An already running tenant to point at. */
  existingTenant?: DevTenant;
  now?: () => number;
  /** Called with each wait usergate asks for instead of sleeping (a test can advance its clock here). */
  onSleep?: (ms: number) => void;
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
    // Suites send hundreds of requests in a second: budgets that do not pace them, unless a test sets its own.
    MGMT_RATE_READ: '100000/1000000',
    MGMT_RATE_WRITE: '100000/1000000',
    MGMT_RATE_OTHER: '100000/1000000',
    CALLER_RATE: '100000/1000000',
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
  // ACL_FILE (config/acl.yaml unless env names another) is served as server.ts serves it: reloadable, versioned.
  const readPolicy = () => readPolicyFile(config.aclFile, config.roles);
  const policy = options.policy
    ? compilePolicy(validatePolicyDocument(options.policy, 'test policy'), directoryFor(config.roles))
    : new LivePolicy(readPolicy(), readPolicy, options.now);
  const waits: number[] = [];
  const deps = buildDependencies(config, logger, policy, {
    now: options.now,
    sleep: (ms) => {
      waits.push(ms);
      options.onSleep?.(ms);
      return Promise.resolve();
    },
  });
  if (deps.console && options.consoleDir) deps.console = { ...deps.console, dir: options.consoleDir };
  const server: Server = createApp(deps).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // With METRICS_PORT in env (use '0'), the metrics listener runs too, as server.ts starts it.
  const metricsServer = deps.metrics ? await startMetricsServer(deps.metrics, 0, '127.0.0.1') : undefined;
  const metricsUrl = metricsServer ? `http://127.0.0.1:${(metricsServer.address() as AddressInfo).port}/metrics` : undefined;
  return {
    tenant,
    config,
    deps,
    logs,
    waits,
    url,
    metricsUrl,
    /** Plain requests; every answer is checked against usergate's OpenAPI document (helpers/openapi.ts). */
    http: validatingAgent(supertest(url)),
    /** Requests that carry a bearer token, checked the same way. */
    as(token: string) {
      const http = validatingAgent(supertest(url));
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
      await deps.cluster.close();
      if (metricsServer) await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
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
