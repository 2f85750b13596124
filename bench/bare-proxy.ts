/* B: the floor any Node proxy pays. A pass-through with no verification, no policy, no filtering. */
import { once } from 'node:events';
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxyMiddleware } from 'http-proxy-middleware';

async function main(): Promise<void> {
  const target = process.argv[2]!;
  // Keep-alive upstream, as usergate has (fetch keeps connections alive): the floor, not a strawman.
  const proxy = createProxyMiddleware({ target, changeOrigin: false, agent: new Agent({ keepAlive: true, maxSockets: 256 }) });
  const server = createServer((req, res) => {
    void proxy(req, res, () => {
      res.statusCode = 404;
      res.end();
    });
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  process.stdout.write(JSON.stringify({ port: (server.address() as AddressInfo).port }) + '\n');
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

void main();
