import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config/env';
import { loadPolicyFile } from './config/policy-file';
import { buildDependencies } from './dependencies';
import { createLogger } from './http/logger';

/** Longest wait for in-flight requests on shutdown, in ms. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  let env: Record<string, string | undefined> = process.env;
  let stopDevTenant: (() => Promise<void>) | undefined;
  let banner: ((url: string) => string) | undefined;
  if (!env.AUTH0_DOMAIN && env.NODE_ENV !== 'production') {
    // Loaded only here, so a production process never even imports the dev tenant.
    const { startDevMode, devBanner, registerConsole } = await import('./dev-tenant/dev-mode');
    const dev = await startDevMode(env);
    env = dev.env;
    stopDevTenant = () => dev.tenant.stop();
    banner = (url) => {
      registerConsole(dev.tenant, url);
      return devBanner(dev.tenant, url);
    };
  }
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel);
  const policy = loadPolicyFile(config.aclFile, config.roles);
  const deps = buildDependencies(config, logger, policy);
  const app = createApp(deps);
  if (deps.console && !existsSync(join(deps.console.dir, 'index.html'))) {
    logger.warn({ dir: deps.console.dir }, 'the console is enabled but not built: run npm run build:console');
  }
  const server = app.listen(config.port, config.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  logger.info({ port, host: config.host, issuer: config.auth.issuer, rolesSource: config.roles.source }, 'usergate listening');
  if (banner) process.stdout.write(banner(`http://127.0.0.1:${port}`) + '\n');

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    const force = setTimeout(() => {
      logger.warn('in-flight requests did not finish in time; closing them');
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    // Keep-alive connections become idle once their in-flight response is written: close them then.
    const reaper = setInterval(() => server.closeIdleConnections(), 100);
    reaper.unref();
    server.close(() => {
      void Promise.allSettled([deps.management.close(), stopDevTenant?.()]).finally(() => {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      });
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`usergate failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(1);
});
