/*
 * The peer: the BFF a team would write by hand on Auth0's own libraries, kept here for the benchmark
 * only (it is not part of usergate). express-oauth2-jwt-bearer verifies the app token; the auth0 SDK's
 * ManagementClient (client credentials, its own token cache) reads the user or searches; the answer is
 * cut to a fixed list of top-level fields. No role lookup, no policy, no org narrowing: it does less
 * than usergate, so it is a conservative peer. Same logging stance as usergate in production: one pino
 * line per request (pino-http), helmet's headers.
 *
 * The SDK builds `https://<domain>/api/v2` and `https://<domain>/oauth/token` and offers no base-URL
 * option; it does take a custom `fetch` (used for both the token request and the API calls). So the
 * peer gives it a placeholder domain and a fetch that rewrites that origin to the dev tenant's
 * `http://127.0.0.1:<port>`; the fetch itself is Node's global fetch, what the SDK uses by default.
 *
 * argv: <tenant url> <app audience> <management audience> <client id> <client secret>
 */
import { once } from 'node:events';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { ManagementClient } from 'auth0';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import pino from 'pino';
import { pinoHttp } from 'pino-http';

// Loaded without its type declarations: they add `auth` to Express's global Request type, which would
// clash with usergate's own `req.auth` in the one type-checked program (src, test and bench).
const { auth } = createRequire(__filename)('express-oauth2-jwt-bearer') as {
  auth: (options: { issuerBaseURL: string; audience: string }) => RequestHandler;
};

const FIELDS = [
  'user_id',
  'email',
  'email_verified',
  'name',
  'nickname',
  'picture',
  'blocked',
  'created_at',
  'last_login',
  'logins_count',
  'user_metadata',
  'app_metadata',
];
const PLACEHOLDER = 'https://tenant.invalid';

function pick(user: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) if (user[f] !== undefined) out[f] = user[f];
  return out;
}

async function main(): Promise<void> {
  const [tenantUrl, appAudience, managementAudience, clientId, clientSecret] = process.argv.slice(2) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const loopbackFetch: typeof fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return fetch(url.startsWith(PLACEHOLDER) ? tenantUrl + url.slice(PLACEHOLDER.length) : url, init);
  };
  const management = new ManagementClient({
    domain: new URL(PLACEHOLDER).host,
    audience: managementAudience,
    clientId,
    clientSecret,
    fetch: loopbackFetch,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Slim request lines, as usergate writes them (pino-http's default would log every header, the token too).
  app.use(
    pinoHttp({
      logger: pino({ level: 'info' }),
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(helmet());
  app.use(auth({ issuerBaseURL: tenantUrl, audience: appAudience }));
  app.get('/users/:id', async (req, res, next) => {
    try {
      const user = await management.users.get(req.params.id);
      res.json(pick(user as Record<string, unknown>));
    } catch (err) {
      next(err);
    }
  });
  app.get('/users', async (req, res, next) => {
    try {
      const page = await management.users.list({ q: typeof req.query.q === 'string' ? req.query.q : '', search_engine: 'v3' });
      res.json(page.data.map((u) => pick(u as Record<string, unknown>)));
    } catch (err) {
      next(err);
    }
  });
  app.use((err: { status?: number; statusCode?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(err.status ?? err.statusCode ?? 500).json({ error: err instanceof Error ? err.message : 'failed' });
  });

  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  process.stdout.write(JSON.stringify({ port: (server.address() as AddressInfo).port }) + '\n');
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

void main();
