import { readFileSync } from 'node:fs';
import { createUsergateClient, UsergateError } from '../../client';
import { DEMO_USERS } from '../../dev-tenant';
import { openApiDocument } from '../../src/http/contract/document';
import { startStack, type Stack } from '../helpers/stack';

describe('the typed client (client/, built) against the dev stack', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('was generated from the current document (npm run openapi refreshes client/openapi.json)', () => {
    expect(JSON.parse(readFileSync('client/openapi.json', 'utf8'))).toEqual(openApiDocument());
  });

  it('sends the token from getToken and returns typed data', async () => {
    let asked = 0;
    const client = createUsergateClient({
      baseUrl: `${stack.url}/`,
      getToken: () => {
        asked += 1;
        return Promise.resolve(stack.tokenFor(DEMO_USERS.support));
      },
    });
    const { data: me } = await client.GET('/me/permissions');
    expect(me?.sub).toBe(DEMO_USERS.support);
    expect(me?.actions).toContain('list');
    // Every key the answer has is declared, so a frontend reads these without a cast (TS2339 otherwise).
    expect(me?.self.can).toEqual(expect.any(Array));
    expect(me?.log_fields).toEqual(expect.any(Array));
    const { data: page } = await client.GET('/users', { params: { query: { per_page: 5, include_totals: 'true' } } });
    expect(page && !Array.isArray(page) ? page.users.length : -1).toBeLessThanOrEqual(5);
    expect(asked).toBe(2);
  });

  it('turns an error answer into a UsergateError with status, errorCode and requestId', async () => {
    const client = createUsergateClient({ baseUrl: stack.url, getToken: () => stack.tokenFor(DEMO_USERS.viewer) });
    const before = stack.tenant.requestLog.filter((r) => r.method === 'DELETE').length;
    const err = await client.DELETE('/users/{id}', { params: { path: { id: DEMO_USERS.admin } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsergateError);
    expect(err).toMatchObject({ status: 403, errorCode: 'action_forbidden', retryAfter: undefined });
    expect((err as UsergateError).requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(stack.tenant.requestLog.filter((r) => r.method === 'DELETE').length).toBe(before);
    const noToken = createUsergateClient({ baseUrl: stack.url, getToken: () => undefined });
    await expect(noToken.GET('/me')).rejects.toMatchObject({ status: 401, errorCode: 'credentials_required' });
  });

  it('carries Retry-After of a 429 as retryAfter (seconds)', async () => {
    const client = createUsergateClient({ baseUrl: stack.url, getToken: () => stack.tokenFor(DEMO_USERS.admin) });
    await client.GET('/me/permissions');
    stack.tenant.faults.inject({ method: 'GET', path: '/api/v2/users', kind: 'status', status: 429, retryAfter: 30 });
    const err = await client.GET('/users').catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, errorCode: 'rate_limited', retryAfter: 30 });
  });

  it('uses the fetch it is given', async () => {
    const seen: string[] = [];
    const client = createUsergateClient({
      baseUrl: stack.url,
      getToken: () => stack.tokenFor(DEMO_USERS.viewer),
      fetch: (request) => {
        seen.push(`${request.method} ${new URL(request.url).pathname} ${request.headers.get('authorization')?.slice(0, 7)}`);
        return fetch(request);
      },
    });
    await client.GET('/me/permissions');
    expect(seen).toEqual(['GET /me/permissions Bearer ']);
  });
});
