/*
 * The floor of the owner's stack: Express answering usergate's read routes by forwarding them to the
 * Management API (undici keep-alive pool, the machine token), parsing the JSON answer and serialising
 * it again. No verification, no caller, no policy, no filtering, no logging: what any Express BFF that
 * looks at its answers pays before doing anything of its own.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Agent, request } from 'undici';

async function main(): Promise<void> {
  const [tenantUrl, machineToken] = process.argv.slice(2) as [string, string];
  const dispatcher = new Agent({ connections: 128, keepAliveTimeout: 30_000 });
  const forward = async (req: express.Request, res: express.Response): Promise<void> => {
    const upstream = await request(`${tenantUrl}/api/v2${req.originalUrl}`, {
      headers: { authorization: `Bearer ${machineToken}`, accept: 'application/json' },
      dispatcher,
    });
    const body: unknown = JSON.parse(await upstream.body.text());
    res.status(upstream.statusCode).type('application/json').end(JSON.stringify(body));
  };
  const app = express();
  app.get('/users', forward);
  app.get('/users/:id', forward);
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  process.stdout.write(JSON.stringify({ port: (server.address() as AddressInfo).port }) + '\n');
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

void main();
