import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_USERS } from '../../dev-tenant';
import { MachineTokenProvider } from '../../src/management/machine-token';
import { startStack, type Stack } from '../helpers/stack';
import { seedTarget } from '../helpers/targets';

describe('machine token', () => {
  it('a cold burst of 500 requests costs exactly one token request', async () => {
    const stack = await startStack({ env: { ROLES_SOURCE: 'claim', CLAIM_BLOCKED_CHECK: 'false' } });
    try {
      const token = stack.tokenFor('auth0|burst', { claims: { 'https://usergate.dev/roles': ['admin'] } });
      const res = await Promise.all(
        Array.from({ length: 500 }, () =>
          stack.http.get(`/users/${encodeURIComponent(DEMO_USERS.viewer)}`).set('authorization', `Bearer ${token}`),
        ),
      );
      expect(res.filter((r) => r.status !== 200)).toEqual([]);
      expect(stack.tenant.counters.tokenRequests).toBe(1);
      expect(stack.tenant.invalidRequests()).toEqual([]);
    } finally {
      await stack.stop();
    }
  });

  it('is refreshed a leeway before it expires (injected clock), and reused until then', async () => {
    let clock = Date.now();
    const stack = await startStack({ now: () => clock, tenant: { tokenExpiresIn: 3600 } });
    try {
      const admin = stack.tokenFor(DEMO_USERS.admin);
      await stack.http.get('/users?per_page=1').set('authorization', `Bearer ${admin}`);
      expect(stack.tenant.counters.tokenRequests).toBe(1);
      clock += (3600 - 61) * 1000;
      await stack.http.get('/users?per_page=1').set('authorization', `Bearer ${admin}`);
      expect(stack.tenant.counters.tokenRequests).toBe(1);
      clock += 2000;
      await stack.http.get('/users?per_page=1').set('authorization', `Bearer ${admin}`);
      expect(stack.tenant.counters.tokenRequests).toBe(2);
    } finally {
      await stack.stop();
    }
  });

  it('a 401 from the Management API drops the token and retries once with a new one', async () => {
    let clock = Date.now();
    const stack = await startStack({ now: () => clock, env: { ROLES_SOURCE: 'claim', CLAIM_BLOCKED_CHECK: 'false' } });
    try {
      const token = stack.tokenFor('auth0|x', { claims: { 'https://usergate.dev/roles': ['admin'] } });
      expect((await stack.http.get('/users?per_page=1').set('authorization', `Bearer ${token}`)).status).toBe(200);
      // Rotate the tenant's keys: the cached machine token no longer verifies upstream.
      const old = stack.tenant.keys.active.kid;
      stack.tenant.keys.addKey();
      stack.tenant.keys.retireKey(old);
      clock += 11_000; // past the JWKS cooldown, so usergate learns the new app-token key too
      const fresh = stack.tokenFor('auth0|x', { claims: { 'https://usergate.dev/roles': ['admin'] } });
      const res = await stack.http.get('/users?per_page=1').set('authorization', `Bearer ${fresh}`);
      expect(res.status).toBe(200);
      expect(stack.tenant.counters.tokenRequests).toBe(2);
    } finally {
      await stack.stop();
    }
  });

  it('when the token endpoint is down, 503 with a clear message; the failure is not cached; no secret in the logs', async () => {
    const stack = await startStack({ env: { ROLES_SOURCE: 'claim', CLAIM_BLOCKED_CHECK: 'false' } });
    try {
      const token = stack.tokenFor('auth0|x', { claims: { 'https://usergate.dev/roles': ['admin'] } });
      stack.tenant.faults.inject({ method: 'POST', path: '/oauth/token', kind: 'status', status: 500, times: Infinity });
      const down = await stack.http.get('/users?per_page=1').set('authorization', `Bearer ${token}`);
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({
        errorCode: 'mgmt_token_unavailable',
        message: expect.stringContaining('token endpoint answered 500'),
      });
      stack.tenant.faults.clear();
      expect((await stack.http.get('/users?per_page=1').set('authorization', `Bearer ${token}`)).status).toBe(200);
      const logs = JSON.stringify(stack.logs);
      expect(logs).not.toContain(stack.config.management.clientSecret);
    } finally {
      await stack.stop();
    }
  });

  it('when the secret is wrong, 503 says the token endpoint refused it', async () => {
    const stack = await startStack({ env: { ROLES_SOURCE: 'claim', CLAIM_BLOCKED_CHECK: 'false', MGMT_CLIENT_SECRET: 'not-the-secret' } });
    try {
      const token = stack.tokenFor('auth0|x', { claims: { 'https://usergate.dev/roles': ['admin'] } });
      const res = await stack.http.get('/users?per_page=1').set('authorization', `Bearer ${token}`);
      expect(res.status).toBe(503);
      expect(res.body.message).toContain('401 access_denied');
      expect(JSON.stringify(stack.logs)).not.toContain('not-the-secret');
    } finally {
      await stack.stop();
    }
  });
});

describe('machine token from another Auth0-compatible token endpoint', () => {
  it('takes expires_in given as a numeric string, and reuses the token until the leeway', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: `tok-${requests}`, token_type: 'Bearer', expires_in: '3600' }));
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    let clock = 0;
    const port = (server.address() as AddressInfo).port;
    const tokens = new MachineTokenProvider({
      tokenUrl: `http://127.0.0.1:${port}/oauth/token`,
      clientId: 'c',
      clientSecret: 's',
      audience: 'a',
      timeoutMs: 1000,
      now: () => clock,
    });
    try {
      expect(await tokens.getToken()).toBe('tok-1');
      clock += (3600 - 61) * 1000;
      expect(await tokens.getToken()).toBe('tok-1');
      clock += 2000;
      expect(await tokens.getToken()).toBe('tok-2');
      expect(requests).toBe(2);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('upstream faults', () => {
  let stack: Stack;
  let admin: string;
  beforeAll(async () => {
    stack = await startStack({ env: { ROLES_SOURCE: 'claim', CLAIM_BLOCKED_CHECK: 'false', MGMT_TIMEOUT_MS: '300' } });
    admin = stack.tokenFor('auth0|admin', { claims: { 'https://usergate.dev/roles': ['admin'] } });
  });
  afterAll(async () => {
    expect(stack.tenant.invalidRequests()).toEqual([]);
    await stack.stop();
  });
  beforeEach(() => {
    stack.tenant.faults.clear();
    stack.waits.length = 0;
  });
  const list = () => stack.http.get('/users?per_page=1').set('authorization', `Bearer ${admin}`);
  const calls = () => stack.tenant.requestLog.filter((r) => r.operation === 'GET /users').length;

  it('429 then success: waits for Retry-After (plus jitter) and answers 200', async () => {
    stack.tenant.faults.inject({ method: 'GET', path: '/api/v2/users', kind: 'status', status: 429, retryAfter: 2 });
    const res = await list();
    expect(res.status).toBe(200);
    expect(stack.waits).toHaveLength(1);
    expect(stack.waits[0]).toBeGreaterThanOrEqual(2000);
    expect(stack.waits[0]).toBeLessThan(2250);
  });

  it('429 without Retry-After: waits exactly until x-ratelimit-reset (plus jitter), then succeeds on the one retry', async () => {
    // usergate and the tenant share one clock, at the start of the tenant's 2 s refill window; each wait
    // usergate asks for advances it.
    let clock = Math.ceil(Date.now() / 2000) * 2000;
    const limited = await startStack({
      env: { ROLES_SOURCE: 'claim', CLAIM_BLOCKED_CHECK: 'false' },
      now: () => clock,
      onSleep: (ms) => (clock += ms),
      tenant: {
        now: () => clock,
        rateLimit: { read: { burst: 1, refill: 1, windowMs: 2000 }, write: { burst: 1, refill: 1, windowMs: 2000 }, shared: true },
      },
    });
    try {
      const token = limited.tokenFor('auth0|limited', { claims: { 'https://usergate.dev/roles': ['admin'] } });
      const get = () => limited.http.get('/users?per_page=1').set('authorization', `Bearer ${token}`);
      expect((await get()).status).toBe(200);
      const callsBefore = limited.tenant.counters.apiCalls;
      const res = await get();
      // The bucket is empty: the tenant answers 429 with x-ratelimit-reset 2 s ahead and no Retry-After.
      expect(res.status).toBe(200);
      expect(limited.waits).toHaveLength(1);
      expect(limited.waits[0]).toBeGreaterThanOrEqual(2000);
      expect(limited.waits[0]).toBeLessThan(2250);
      expect(limited.tenant.counters.apiCalls - callsBefore).toBe(2); // the 429, then the one retry
    } finally {
      await limited.stop();
    }
  });

  it('429 until the retries are spent: the client gets 429 with Retry-After, after 1 + MGMT_MAX_RETRIES attempts', async () => {
    const before = calls();
    stack.tenant.faults.inject({ method: 'GET', path: '/api/v2/users', kind: 'status', status: 429, retryAfter: 1, times: 10 });
    const res = await list();
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body.errorCode).toBe('rate_limited');
    expect(calls() - before).toBe(3);
  });

  it('a Retry-After longer than the cap is passed to the client at once', async () => {
    stack.tenant.faults.inject({ method: 'GET', path: '/api/v2/users', kind: 'status', status: 429, retryAfter: 30 });
    const res = await list();
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('30');
    expect(stack.waits).toEqual([]);
  });

  it('5xx on a read is retried, then 502 without the upstream address', async () => {
    const before = calls();
    stack.tenant.faults.inject({ method: 'GET', path: '/api/v2/users', kind: 'status', status: 500, times: 10 });
    const res = await list();
    expect(res.status).toBe(502);
    expect(res.body.errorCode).toBe('upstream_error');
    expect(JSON.stringify(res.body)).not.toContain('127.0.0.1');
    expect(calls() - before).toBe(3);
  });

  it('5xx on a write is not retried', async () => {
    const target = seedTarget(stack.tenant, { org: 'acme' });
    stack.tenant.faults.inject({ method: 'PATCH', path: '/api/v2/users*', kind: 'status', status: 503, times: 10 });
    const before = stack.tenant.requestLog.filter((r) => r.method === 'PATCH').length;
    const res = await stack.http
      .patch(`/users/${encodeURIComponent(target.user_id)}`)
      .set('authorization', `Bearer ${admin}`)
      .send({ blocked: true });
    expect(res.status).toBe(502);
    expect(stack.tenant.requestLog.filter((r) => r.method === 'PATCH').length - before).toBe(1);
  });

  it('a timeout on every attempt is 504, and nothing hangs', async () => {
    stack.tenant.faults.inject({ method: 'GET', path: '/api/v2/users', kind: 'latency', ms: 1000, times: 3 });
    const started = Date.now();
    const res = await list();
    expect(res.status).toBe(504);
    expect(res.body.errorCode).toBe('upstream_timeout');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a dropped connection is retried on a read; dropped every time it is 502', async () => {
    stack.tenant.faults.inject({ method: 'GET', path: '/api/v2/users', kind: 'drop' });
    expect((await list()).status).toBe(200);
    stack.tenant.faults.inject({ method: 'GET', path: '/api/v2/users', kind: 'drop', times: 10 });
    const res = await list();
    expect(res.status).toBe(502);
    expect(res.body.message).toContain('connection failed');
  });

  it('an upstream 4xx passes through with Auth0 message and code', async () => {
    const body = { connection: 'Username-Password-Authentication', email: 'dup@example.org', password: 'Passw0rd!x' };
    await stack.http.post('/users').set('authorization', `Bearer ${admin}`).send(body);
    const res = await stack.http.post('/users').set('authorization', `Bearer ${admin}`).set('x-request-id', 'dup-1').send(body);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'The user already exists.',
      errorCode: 'auth0_idp_error',
      requestId: res.headers['x-request-id'],
    });
  });
});
