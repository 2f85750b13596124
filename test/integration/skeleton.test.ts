import { DEMO_USERS } from '../../dev-tenant';
import { startStack, type Stack } from '../helpers/stack';

describe('service skeleton over HTTP', () => {
  let stack: Stack;
  let admin: string;
  beforeAll(async () => {
    stack = await startStack();
    admin = stack.tokenFor(DEMO_USERS.admin);
  });
  afterAll(() => stack.stop());

  describe('request id', () => {
    it("when the caller sends a sane x-request-id, then usergate's own id answers and goes upstream, and the caller's is logged as client_request_id", async () => {
      const res = await stack.http.get('/users?per_page=1').set('authorization', `Bearer ${admin}`).set('x-request-id', 'trace-42.a');
      expect(res.status).toBe(200);
      const own = res.headers['x-request-id'] as string;
      expect(own).toMatch(/^[0-9a-f-]{36}$/);
      expect(stack.tenant.requestLog.at(-1)!.requestId).toBe(own);
      const line = stack.logs.find((l) => (l.req as { id?: string } | undefined)?.id === own);
      expect(line).toEqual(expect.objectContaining({ requestId: own, client_request_id: 'trace-42.a' }));
    });

    it.each(['a'.repeat(65), 'bad id', 'x;y=1', '<script>'])('when x-request-id is %j, then a fresh id replaces it', async (given) => {
      const res = await stack.http.get('/healthz').set('x-request-id', given);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('errors carry the request id in the body', async () => {
      const res = await stack.http.get('/nope').set('authorization', `Bearer ${admin}`).set('x-request-id', 'rid-1');
      const own = res.headers['x-request-id'] as string;
      expect(own).not.toBe('rid-1');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'No route for GET /nope.',
        errorCode: 'route_not_found',
        requestId: own,
      });
    });
  });

  describe('bodies', () => {
    const patch = () => stack.http.patch(`/users/${encodeURIComponent(DEMO_USERS.viewer)}`).set('authorization', `Bearer ${admin}`);

    it('when the body is over 100 kB, then 413 body_too_large', async () => {
      const res = await patch()
        .set('content-type', 'application/json')
        .send(JSON.stringify({ user_metadata: { big: 'x'.repeat(110_000) } }));
      expect(res.status).toBe(413);
      expect(res.body.errorCode).toBe('body_too_large');
    });

    it('when the JSON is malformed, then 400 invalid_json', async () => {
      const res = await patch().set('content-type', 'application/json').send('{"blocked": tru');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, errorCode: 'invalid_json' });
    });

    it.each([
      ['text/plain', 'blocked=true'],
      ['application/x-www-form-urlencoded', 'blocked=true'],
    ])('when a write is sent as %s, then 415', async (type, body) => {
      const res = await patch().set('content-type', type).send(body);
      expect(res.status).toBe(415);
      expect(res.body.errorCode).toBe('unsupported_media_type');
    });

    it.each([['[]'], ['"text"'], ['null']])('when the body is %s, then 400 invalid_body', async (body) => {
      const res = await patch().set('content-type', 'application/json').send(body);
      expect(res.status).toBe(400);
    });

    it.each([
      ['{"__proto__": {"isAdmin": true}, "blocked": true}', '__proto__'],
      ['{"user_metadata": {"constructor": {"prototype": {"x": 1}}}}', 'constructor'],
    ])('when a body carries %s, then 400 and nothing is polluted or forwarded', async (body, key) => {
      const before = stack.tenant.counters.apiCalls;
      const res = await patch().set('content-type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(key);
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      expect(stack.tenant.counters.apiCalls).toBe(before);
    });

    it('when a body is nested deeper than 16 levels, then 400', async () => {
      let deep: unknown = 1;
      for (let i = 0; i < 40; i++) deep = { a: deep };
      const res = await patch().send({ user_metadata: deep });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain('nested deeper');
    });
  });

  it('an unknown route answers 404 in the JSON error shape, with security headers and no-store', async () => {
    const res = await stack.http.post('/admin/eval').set('authorization', `Bearer ${admin}`).send({});
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-powered-by']).toBeUndefined();
    // helmet's headers (decided once at start, http/security-headers.ts), the strict CSP of a JSON API.
    expect(res.headers).toMatchObject({
      'content-security-policy': "default-src 'none';frame-ancestors 'none'",
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    });
  });

  it.each([
    ['put', '/users/auth0%7Cabc', 'GET, PATCH, DELETE'],
    ['delete', '/users', 'GET, POST'],
    ['post', '/me', 'GET, PATCH'],
  ] as const)('%s %s answers 405 with Allow: %s', async (method, path, allow) => {
    const res = await stack.http[method](path).set('authorization', `Bearer ${admin}`);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expect(res.body.errorCode).toBe('method_not_allowed');
  });

  it('never logs the authorization header or a token', async () => {
    await stack.http.get('/users?per_page=1').set('authorization', `Bearer ${admin}`);
    const text = JSON.stringify(stack.logs);
    expect(text).not.toContain(admin);
    expect(text).not.toContain(stack.config.management.clientSecret);
  });
});

describe('CORS', () => {
  it('without CORS_ORIGINS, no CORS headers are sent and a preflight needs a token like anything else', async () => {
    const stack = await startStack();
    try {
      const res = await stack.http.options('/users').set('origin', 'http://localhost:5173').set('access-control-request-method', 'GET');
      expect(res.status).toBe(401);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await stack.stop();
    }
  });

  it('with CORS_ORIGINS, listed origins get preflights and headers, others get none', async () => {
    const stack = await startStack({ env: { CORS_ORIGINS: 'http://localhost:5173' } });
    try {
      const preflight = await stack.http
        .options('/users')
        .set('origin', 'http://localhost:5173')
        .set('access-control-request-method', 'PATCH')
        .set('access-control-request-headers', 'authorization,content-type');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(preflight.headers['access-control-allow-methods']).toContain('PATCH');
      const get = await stack.as(stack.tokenFor(DEMO_USERS.viewer)).get('/me/permissions').set('origin', 'http://localhost:5173');
      expect(get.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(get.headers['access-control-expose-headers']).toContain('X-Request-Id');
      const other = await stack.http.options('/users').set('origin', 'https://evil.example').set('access-control-request-method', 'GET');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await stack.stop();
    }
  });
});

describe('health and readiness', () => {
  it('healthz is 200 without a token; readyz is 200 on the dev tenant and 503 with the reason once the tenant stops', async () => {
    let clock = Date.now();
    const stack = await startStack({ now: () => clock });
    try {
      expect((await stack.http.get('/healthz')).body).toEqual({ status: 'ok' });
      const ready = await stack.http.get('/readyz');
      expect(ready.status).toBe(200);
      await stack.tenant.stop();
      clock += 60_000;
      const down = await stack.http.get('/readyz');
      expect(down.status).toBe(503);
      expect(down.body.errorCode).toBe('not_ready');
      expect(down.body.message).toContain('the JWKS cannot be fetched');
    } finally {
      await stack.stop();
    }
  });

  it('readyz says when no machine token can be obtained', async () => {
    const stack = await startStack({ env: { MGMT_CLIENT_SECRET: 'wrong' } });
    try {
      const res = await stack.http.get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body.message).toContain('no Management API token can be obtained');
    } finally {
      await stack.stop();
    }
  });
});
