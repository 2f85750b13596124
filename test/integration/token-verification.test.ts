import { createHmac, randomBytes } from 'node:crypto';
import { DEMO_USERS } from '../../dev-tenant';
import { KeyRing } from '../../dev-tenant/key-ring';
import { startStack, type Stack } from '../helpers/stack';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('token verification (jsonwebtoken + jwks-rsa) over HTTP', () => {
  let clock = Date.now();
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ now: () => clock });
  });
  afterAll(() => stack.stop());
  afterEach(() => stack.tenant.faults.clear());

  const call = (authorization?: string) => {
    const req = stack.http.get('/me/permissions');
    return authorization === undefined ? req : req.set('authorization', authorization);
  };
  const now = () => Math.floor(Date.now() / 1000);
  const claims = () => ({ iss: stack.tenant.issuer, aud: stack.tenant.appAudience, sub: DEMO_USERS.admin, iat: now(), exp: now() + 600 });

  it('a valid token passes', async () => {
    expect((await call(`Bearer ${stack.tokenFor(DEMO_USERS.admin)}`)).status).toBe(200);
  });

  it('no Authorization header: 401 credentials_required with a bare Bearer challenge', async () => {
    const res = await call();
    expect(res.status).toBe(401);
    expect(res.body.errorCode).toBe('credentials_required');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="usergate"');
  });

  it.each([
    ['Basic dXNlcjpwYXNz', 'invalid_request'],
    ['Bearer', 'invalid_request'],
    ['Bearer a b', 'invalid_request'],
    ['Bearer garbage', 'invalid_token'],
    ['Bearer e30.e30.', 'invalid_token'],
  ])('Authorization %j: 401 %s with an RFC 6750 challenge', async (header, code) => {
    const res = await call(header);
    expect(res.status).toBe(401);
    expect(res.body.errorCode).toBe(code);
    expect(res.headers['www-authenticate']).toMatch(new RegExp(`^Bearer realm="usergate", error="${code}", error_description="[^"]+"$`));
  });

  it('alg none is refused', async () => {
    const token = `${b64({ alg: 'none', typ: 'JWT', kid: stack.tenant.keys.active.kid })}.${b64(claims())}.`;
    const res = await call(`Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.body.errorCode).toBe('invalid_token');
  });

  it('HS256 signed with the public key as the secret is refused', async () => {
    const publicPem = stack.tenant.keys.active.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const head = `${b64({ alg: 'HS256', typ: 'JWT', kid: stack.tenant.keys.active.kid })}.${b64(claims())}`;
    const signature = createHmac('sha256', publicPem).update(head).digest('base64url');
    const res = await call(`Bearer ${head}.${signature}`);
    expect(res.status).toBe(401);
    expect(res.body.message).toContain('algorithm');
  });

  it.each([
    ['a wrong issuer', { iss: 'https://evil.example/' }, 'invalid_token', '(iss)'],
    ['a wrong audience', { aud: 'https://other-api.example' }, 'invalid_token', '(aud)'],
    ['an expired token', { exp: now() - 60 }, 'token_expired', 'expired'],
    ['a token not yet valid', { nbf: now() + 120 }, 'invalid_token', '(nbf)'],
    ['no subject', { sub: undefined }, 'invalid_token', '(sub)'],
    ['no expiry', { exp: undefined }, 'invalid_token', '(exp)'],
  ])('%s is 401 %s', async (_name, payload, code, text) => {
    const res = await call(`Bearer ${stack.tokenFor(DEMO_USERS.admin, { payload })}`);
    expect(res.status).toBe(401);
    expect(res.body.errorCode).toBe(code);
    expect(res.body.message).toContain(text);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('a token expired within the clock tolerance (5 s) still passes', async () => {
    const res = await call(`Bearer ${stack.tokenFor(DEMO_USERS.admin, { payload: { exp: now() - 2 } })}`);
    expect(res.status).toBe(200);
  });

  it('no token content is echoed in the answer', async () => {
    const token = stack.tokenFor(DEMO_USERS.admin, { payload: { iss: 'https://evil.example/<script>' } });
    const res = await call(`Bearer ${token}`);
    expect(JSON.stringify(res.body) + res.headers['www-authenticate']).not.toContain('evil.example');
  });

  describe('JWKS', () => {
    it('an unknown kid costs one refetch, then a flood of random kids costs no more within the cooldown', async () => {
      clock += 60_000;
      const stranger = new KeyRing();
      const before = stack.tenant.counters.jwksFetches;
      const first = await call(`Bearer ${stranger.sign(claims())}`);
      expect(first.status).toBe(401);
      expect(first.body.message).toContain('key the tenant does not publish');
      expect(stack.tenant.counters.jwksFetches).toBe(before + 1);
      const flood = await Promise.all(
        Array.from({ length: 200 }, () =>
          call(`Bearer ${stranger.sign(claims(), { ...stranger.active, kid: randomBytes(8).toString('hex') })}`),
        ),
      );
      expect(flood.every((r) => r.status === 401)).toBe(true);
      expect(stack.tenant.counters.jwksFetches).toBe(before + 1);
      clock += 11_000;
      await Promise.all(Array.from({ length: 50 }, () => call(`Bearer ${stranger.sign(claims())}`)));
      expect(stack.tenant.counters.jwksFetches).toBe(before + 2);
    });

    it('after a rotation, a token signed by the new key works after one refetch', async () => {
      clock += 11_000;
      const oldToken = stack.tokenFor(DEMO_USERS.admin);
      expect((await call(`Bearer ${oldToken}`)).status).toBe(200);
      const before = stack.tenant.counters.jwksFetches;
      stack.tenant.keys.addKey();
      const res = await call(`Bearer ${stack.tokenFor(DEMO_USERS.admin)}`);
      expect(res.status).toBe(200);
      expect(stack.tenant.counters.jwksFetches).toBe(before + 1);
      expect((await call(`Bearer ${oldToken}`)).status).toBe(200);
    });

    it('a cached verified token stops working once its key is retired and the key set is refetched', async () => {
      clock += 11_000;
      const oldToken = stack.tokenFor(DEMO_USERS.admin);
      expect((await call(`Bearer ${oldToken}`)).status).toBe(200);
      expect((await call(`Bearer ${oldToken}`)).status).toBe(200);
      const old = stack.tenant.keys.active.kid;
      stack.tenant.keys.addKey();
      stack.tenant.keys.retireKey(old);
      clock += 11_000;
      expect((await call(`Bearer ${stack.tokenFor(DEMO_USERS.admin)}`)).status).toBe(200);
      const res = await call(`Bearer ${oldToken}`);
      expect(res.status).toBe(401);
      expect(res.body.message).toContain('key the tenant does not publish');
    });

    it('when the JWKS endpoint is down, known keys keep working and an unknown key is 503, never 500', async () => {
      const known = stack.tokenFor(DEMO_USERS.admin);
      expect((await call(`Bearer ${known}`)).status).toBe(200);
      stack.tenant.faults.inject({ path: '/.well-known/jwks.json', kind: 'status', status: 503, times: Infinity });
      clock += 11_000;
      expect((await call(`Bearer ${known}`)).status).toBe(200);
      const res = await call(`Bearer ${new KeyRing().sign(claims())}`);
      expect(res.status).toBe(503);
      expect(res.body.errorCode).toBe('jwks_unavailable');
      expect(res.headers['retry-after']).toBeDefined();
    });
  });
});
