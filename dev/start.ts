/*
 * The development entry point (`npm start`): without AUTH0_DOMAIN (and outside production) it starts
 * the local dev tenant, then usergate's own start function against it, and prints a banner with a
 * token per demo role. With AUTH0_DOMAIN it only starts usergate. Production runs dist/server.js,
 * which holds no dev-tenant code.
 */
import { devBanner, registerConsole, startDevMode } from '../dev-tenant/dev-mode';
import { exitOnStartFailure, start } from '../src/server';

async function main(): Promise<void> {
  if (process.env.AUTH0_DOMAIN || process.env.NODE_ENV === 'production') {
    await start(process.env);
    return;
  }
  const dev = await startDevMode(process.env);
  try {
    await start(dev.env, {
      onListening: (url, metricsUrl) => {
        registerConsole(dev.tenant, url);
        process.stdout.write(devBanner(dev.tenant, url, metricsUrl) + '\n');
      },
      onStopped: () => dev.tenant.stop(),
    });
  } catch (err) {
    await dev.tenant.stop();
    throw err;
  }
}

main().catch(exitOnStartFailure);
