import { DEFAULT_CLIENT, startDevTenant, type DevTenant } from '../../dev-tenant';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MachineTokenProvider, tokenFailureReason, type MachineTokenOptions } from '../../src/management/machine-token';

/** The provider against the dev tenant's /oauth/token on loopback, with its own clock per test. */
describe('machine-token provider', () => {
  let tenant: DevTenant;
  beforeAll(async () => {
    tenant = await startDevTenant({ tokenExpiresIn: 3600 });
  });
  afterAll(() => tenant.stop());
  beforeEach(() => tenant.faults.clear());

  const provider = (overrides: Partial<MachineTokenOptions> = {}) => {
    let clock = 1_800_000_000_000;
    const tokens = new MachineTokenProvider({
      tokenUrl: `${tenant.url}/oauth/token`,
      clientId: DEFAULT_CLIENT.clientId,
      clientSecret: DEFAULT_CLIENT.clientSecret,
      audience: tenant.managementAudience,
      timeoutMs: 2000,
      now: () => clock,
      ...overrides,
    });
    return { tokens, advance: (ms: number) => (clock += ms) };
  };
  const requests = () => tenant.counters.tokenRequests;

  it('reuses the token until the leeway before expires_in, then fetches a new one', async () => {
    const { tokens, advance } = provider({ leewayS: 60 });
    const before = requests();
    const first = await tokens.getToken();
    advance((3600 - 60) * 1000 - 1);
    expect(await tokens.getToken()).toBe(first);
    expect(requests() - before).toBe(1);
    advance(1);
    await tokens.getToken();
    expect(requests() - before).toBe(2);
  });

  it('concurrent callers share one request', async () => {
    const { tokens } = provider();
    const before = requests();
    const all = await Promise.all(Array.from({ length: 20 }, () => tokens.getToken()));
    expect(new Set(all).size).toBe(1);
    expect(requests() - before).toBe(1);
  });

  it('a failed request is not cached: 503 mgmt_token_unavailable naming the status, then the next call succeeds', async () => {
    const { tokens } = provider();
    tenant.faults.inject({ method: 'POST', path: '/oauth/token', kind: 'status', status: 500 });
    await expect(tokens.getToken()).rejects.toMatchObject({
      status: 503,
      code: 'mgmt_token_unavailable',
      message: expect.stringContaining('answered 500'),
    });
    await expect(tokens.getToken()).resolves.toEqual(expect.any(String));
  });

  it('a wrong secret: 503 naming the status and the OAuth error, never the secret', async () => {
    const { tokens } = provider({ clientSecret: 'wrong-secret' });
    const err = (await tokens.getToken().catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ status: 503, code: 'mgmt_token_unavailable' });
    expect(err.message).toMatch(/answered 401 access_denied$/);
    expect(err.message).not.toContain('wrong-secret');
  });

  it('the reason of a failure is told apart (for /readyz and the start-up log)', async () => {
    const err = await provider({ clientSecret: 'wrong-secret' })
      .tokens.getToken()
      .catch((e: unknown) => e);
    expect(tokenFailureReason(err)).toBe('the token endpoint answered 401 access_denied');
    expect(tokenFailureReason(new Error('other'))).toBeUndefined();
  });

  it("a token endpoint's error that is not a plain code (free text, an echo of the secret) is left out", async () => {
    const answers = ['the secret wrong-secret is not valid', 'wrong-secret', 'access denied'];
    const endpoint = createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: answers.shift() }));
    }).listen(0, '127.0.0.1');
    await once(endpoint, 'listening');
    try {
      const tokenUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/oauth/token`;
      for (let i = 0; i < 3; i += 1) {
        const err = await provider({ tokenUrl, clientSecret: 'wrong-secret' })
          .tokens.getToken()
          .catch((e: unknown) => e);
        expect(tokenFailureReason(err)).toBe('the token endpoint answered 401');
        expect((err as Error).message).not.toContain('wrong-secret');
      }
    } finally {
      endpoint.close();
    }
  });

  it('an endpoint slower than the timeout, or unreachable, is 503 saying which', async () => {
    // Held past the timeout; like Auth0, the tenant still serves it after the client gave up.
    const slow = tenant.faults.inject({ method: 'POST', path: '/oauth/token', kind: 'hold' });
    await expect(provider({ timeoutMs: 200 }).tokens.getToken()).rejects.toMatchObject({
      message: expect.stringContaining('did not answer in time'),
    });
    // Served now, so that it is not counted in a later test's token requests.
    slow.release();
    await slow.served;
    await expect(provider({ tokenUrl: 'http://127.0.0.1:1/oauth/token' }).tokens.getToken()).rejects.toMatchObject({
      code: 'mgmt_token_unavailable',
      message: expect.stringContaining('cannot be reached'),
    });
  });

  it('invalidate drops the cached token only when it is the one named', async () => {
    const { tokens } = provider();
    const before = requests();
    const first = await tokens.getToken();
    tokens.invalidate('some-older-token');
    expect(await tokens.getToken()).toBe(first);
    expect(requests() - before).toBe(1);
    tokens.invalidate(first);
    await tokens.getToken();
    expect(requests() - before).toBe(2);
  });

  it('a short lifetime halves the leeway: expires_in 60 is reused for 30 s', async () => {
    const short = await startDevTenant({ tokenExpiresIn: 60 });
    try {
      const { tokens, advance } = provider({ tokenUrl: `${short.url}/oauth/token`, audience: short.managementAudience });
      await tokens.getToken();
      advance(29_999);
      await tokens.getToken();
      expect(short.counters.tokenRequests).toBe(1);
      advance(1);
      await tokens.getToken();
      expect(short.counters.tokenRequests).toBe(2);
    } finally {
      await short.stop();
    }
  });
});
