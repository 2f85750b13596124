/*
 * The development entry point (`npm start`): without AUTH0_DOMAIN (and outside production) it starts
 * the local dev tenant, then usergate's own start function against it, and prints a banner with a
 * token per demo role. With AUTH0_DOMAIN it only starts usergate. Production runs dist/server.js,
 * which holds no dev-tenant code. Settings come from the process environment over the working
 * directory's `.env`, as in production.
 */
import { devBanner, registerConsole, startDevMode } from '../dev-tenant/dev-mode';
import { withDotenv } from '../src/config/dotenv';
import { exitOnStartFailure, start } from '../src/server';

async function main(): Promise<void> {
  const { env, fromFile } = withDotenv(process.env);
  if (env.AUTH0_DOMAIN || env.NODE_ENV === 'production') {
    await start(env, { fromDotenv: fromFile });
    return;
  }
  const dev = await startDevMode(env);
  try {
    await start(dev.env, {
      fromDotenv: fromFile,
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
