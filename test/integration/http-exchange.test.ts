import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { DEMO_USERS, startDevTenant } from '../../dev-tenant';
import { HttpError } from '../../src/errors';
import { AnswerTooLarge, exchange, ExchangeTimeout } from '../../src/management/http-exchange';
import type { MachineTokenProvider } from '../../src/management/machine-token';
import { ManagementClient } from '../../src/management/management-client';
import { machineToken } from '../helpers/machine-token';

/* The Management API client's transport over real loopback HTTP: a server of the test's own. */
let server: Server;
let origin: string;
const held: (() => void)[] = [];
/** Requests the server received, by path. */
const received = new Map<string, number>();
beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    received.set(url.pathname, (received.get(url.pathname) ?? 0) + 1);
    if (url.pathname === '/echo') {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json', 'x-ratelimit-remaining': '7' });
        res.end(JSON.stringify({ method: req.method, query: url.search, auth: req.headers.authorization, body }));
      });
    } else if (url.pathname === '/big') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ pad: 'x'.repeat(10_000) }));
    } else if (url.pathname === '/hang') {
      held.push(() => res.end('{}')); // answers only when the test lets it
    } else if (url.pathname === '/drop') {
      req.socket.destroy();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  held.forEach((release) => release());
  await new Promise((resolve) => server.close(resolve));
});

const limits = { timeoutMs: 2000, maxBytes: 1_000_000 };

describe('exchange (undici dispatch, whole answer as text)', () => {
  it('sends method, path, headers and body; answers status, lowercase headers and the body', async () => {
    const agent = new Agent();
    const answer = await exchange(
      agent,
      {
        origin,
        path: '/echo?a=1',
        method: 'POST',
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
        body: '{"x":1}',
      },
      limits,
    );
    expect(answer.status).toBe(201);
    expect(answer.headers['x-ratelimit-remaining']).toBe('7');
    expect(JSON.parse(answer.text)).toEqual({ method: 'POST', query: '?a=1', auth: 'Bearer t', body: '{"x":1}' });
    await agent.close();
  });

  it('an answer longer than maxBytes fails with AnswerTooLarge, and the connection is not left hanging', async () => {
    const agent = new Agent();
    await expect(
      exchange(agent, { origin, path: '/big', method: 'GET', headers: {} }, { ...limits, maxBytes: 1000 }),
    ).rejects.toBeInstanceOf(AnswerTooLarge);
    const after = await exchange(agent, { origin, path: '/echo', method: 'GET', headers: {} }, limits);
    expect(after.status).toBe(201);
    await agent.close();
  });

  it('a server that does not answer in time fails with ExchangeTimeout', async () => {
    const agent = new Agent();
    await expect(
      exchange(agent, { origin, path: '/hang', method: 'GET', headers: {} }, { ...limits, timeoutMs: 100 }),
    ).rejects.toBeInstanceOf(ExchangeTimeout);
    await agent.destroy();
  });

  it('time spent waiting for a pooled connection counts: a queued request times out too, and is never sent', async () => {
    const agent = new Agent({ connections: 1 });
    const first = exchange(agent, { origin, path: '/hang', method: 'GET', headers: {} }, { ...limits, timeoutMs: 5000 });
    const queued = exchange(agent, { origin, path: '/queued', method: 'GET', headers: {} }, { ...limits, timeoutMs: 100 });
    await expect(queued).rejects.toBeInstanceOf(ExchangeTimeout);
    held.splice(0).forEach((release) => release());
    expect((await first).status).toBe(200);
    // The connection is free again: the abandoned request must not go out on it.
    expect((await exchange(agent, { origin, path: '/echo', method: 'GET', headers: {} }, limits)).status).toBe(201);
    expect(received.get('/queued')).toBeUndefined();
    await agent.destroy();
  });

  it('a connection the server drops rejects with the network error (not a timeout)', async () => {
    const agent = new Agent();
    const failure = await exchange(agent, { origin, path: '/drop', method: 'GET', headers: {} }, limits).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(ExchangeTimeout);
    await agent.destroy();
  });

  it('an unreachable origin rejects rather than hanging', async () => {
    const agent = new Agent();
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const failure = await exchange(agent, { origin: `http://127.0.0.1:${port}`, path: '/', method: 'GET', headers: {} }, limits).catch(
      (err: unknown) => err,
    );
    expect((failure as { code?: string }).code).toBe('ECONNREFUSED');
    await agent.destroy();
  });
});

describe('the Management API client over the dev tenant', () => {
  it('an answer longer than the cap is a 502 upstream_error, and is not asked for again', async () => {
    const tenant = await startDevTenant();
    try {
      const token = await machineToken(tenant);
      const client = new ManagementClient({
        apiUrl: `${tenant.url}/api/v2`,
        tokens: { getToken: () => Promise.resolve(token), invalidate: () => undefined } as unknown as MachineTokenProvider,
        timeoutMs: 2000,
        maxRetries: 2,
        maxAnswerBytes: 200, // a user's profile is longer
      });
      const from = tenant.requestLog.length;
      const failure = await client.getUser(DEMO_USERS.viewer).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(HttpError);
      expect(failure).toMatchObject({ status: 502, code: 'upstream_error' });
      expect(tenant.requestLog.slice(from).filter((r) => r.operation === 'GET /users/{id}')).toHaveLength(1);
      await client.close();
    } finally {
      await tenant.stop();
    }
  });
});
