import { once } from 'node:events';
import type { Server } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp } from './app';
import { withDotenv } from './config/dotenv';
import { ConfigError, loadConfig } from './config/env';
import { LivePolicy } from './config/live-policy';
import { readPolicyFile } from './config/policy-file';
import { buildDependencies, machineTokenFailure } from './dependencies';
import { createLogger } from './http/logger';
import { startMetricsServer } from './metrics/server';

export interface StartOptions {
  /** Called once usergate listens, with its loopback URL (the dev entry point prints its banner here). */
  onListening?: (url: string, metricsUrl?: string) => void;
  /** Called after the server closed on SIGTERM/SIGINT, before the process exits (the dev entry point stops its tenant). */
  onStopped?: () => Promise<void>;
  /** The names the entry point took from `.env` (logged at start, never their values). */
  fromDotenv?: string[];
}

/**
 * The process: loads the config from `env`, builds the dependencies, listens, and shuts down
 * gracefully on SIGTERM or SIGINT. `dist/server.js` calls it with `process.env` over `.env`; the dev
 * entry point (dev/start.ts) calls it after starting the dev tenant, with an environment that points at it.
 * It reads no file of settings itself: only the entry points do.
 */
export async function start(env: Record<string, string | undefined>, options: StartOptions = {}): Promise<Server> {
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel);
  if (options.fromDotenv?.length) {
    logger.info({ names: options.fromDotenv }, 'settings read from .env (the process environment wins over it)');
  }
  const readPolicy = () => readPolicyFile(config.aclFile, config.roles);
  const policies = new LivePolicy(readPolicy(), readPolicy);
  const deps = buildDependencies(config, logger, policies);
  // From here on, SIGHUP reloads the policy instead of ending the process.
  process.on('SIGHUP', () => reloadPolicy(policies, config.aclFile, logger));
  await deps.cluster.connect();
  const app = createApp(deps);
  if (deps.console && !existsSync(join(deps.console.dir, 'index.html'))) {
    logger.warn({ dir: deps.console.dir }, 'the console is enabled but not built: run npm run build (service and console)');
  }
  const server = app.listen(config.port, config.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const metricsServer =
    deps.metrics && config.metricsPort !== undefined ? await startMetricsServer(deps.metrics, config.metricsPort, config.host) : undefined;
  const metricsPort = metricsServer ? (metricsServer.address() as AddressInfo).port : undefined;
  logger.info({ port, host: config.host, metricsPort, issuer: config.auth.issuer, rolesSource: config.roles.source }, 'usergate listening');
  // Start-up check of the machine token's scopes: a warning per action and missing scope, never fatal.
  deps.scopeWarnings().then(
    (warnings) => warnings.forEach((warning) => logger.warn({ check: 'mgmt_scopes' }, warning)),
    (err: unknown) => logger.error({ check: 'mgmt_token' }, `${machineTokenFailure(err)}; the Management API scopes cannot be checked`),
  );
  options.onListening?.(`http://127.0.0.1:${port}`, metricsPort === undefined ? undefined : `http://127.0.0.1:${metricsPort}/metrics`);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    const exit = (): void => {
      logger.info('stopped');
      logger.flush();
      process.exit(0);
    };
    const force = setTimeout(() => {
      logger.warn('in-flight requests did not finish in time; closing them');
      server.closeAllConnections();
      // The upstream calls of the requests just cut may still run: the clients get a second to close, no more.
      setTimeout(exit, 1000).unref();
    }, config.shutdownGraceMs);
    force.unref();
    // Keep-alive connections become idle once their in-flight response is written: close them then.
    const reaper = setInterval(() => server.closeIdleConnections(), 100);
    reaper.unref();
    metricsServer?.close();
    server.close(() => {
      void Promise.allSettled([deps.management.close(), deps.cluster.close(), options.onStopped?.() ?? Promise.resolve()]).finally(exit);
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return server;
}

/**
 * SIGHUP: ACL_FILE is read again. A valid file serves from the next request on; an invalid one is
 * refused, the last good policy keeps serving, and the problems go to the log (error) and /readyz.
 */
function reloadPolicy(policies: LivePolicy, file: string, logger: Logger): void {
  const outcome = policies.reload();
  if (outcome.ok) logger.info({ file, policyVersion: outcome.version, previousVersion: outcome.previous }, 'policy reloaded');
  else
    logger.error(
      { file, problems: outcome.problems, policyVersion: outcome.version },
      'policy reload refused; the last good policy serves',
    );
}

/** Start-up failures end the process with one line on stderr and exit code 1. */
export function exitOnStartFailure(err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`usergate failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(1);
}

/** The production entry point: the process environment over the working directory's `.env`. */
function main(): Promise<Server> {
  const { env, fromFile } = withDotenv(process.env);
  return start(env, { fromDotenv: fromFile });
}

if (require.main === module) main().catch(exitOnStartFailure);
