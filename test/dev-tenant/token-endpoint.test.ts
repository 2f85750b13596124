import jwt from 'jsonwebtoken';
import { createPublicKey } from 'node:crypto';
import { DEFAULT_CLIENT, startDevTenant, type DevTenant } from '../../dev-tenant';

describe('dev tenant: /oauth/token and JWKS', () => {
  let clock = Date.UTC(2026, 0, 1);
  let tenant: DevTenant;
  beforeAll(async () => {
    tenant = await startDevTenant({ now: () => clock, tokenExpiresIn: 600 });
  });
  afterAll(() => tenant.stop());

  const ask = (body: Record<string, unknown>, form = false) =>
    fetch(`${tenant.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
      body: form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body),
    });
  const good = () => ({
    grant_type: 'client_credentials',
    client_id: DEFAULT_CLIENT.clientId,
    client_secret: DEFAULT_CLIENT.clientSecret,
    audience: tenant.managementAudience,
  });

  it.each([
    ['JSON', false],
    ['form', true],
  ])('when the secret is right (%s body), then an RS256 machine token with Auth0 claims is issued', async (_name, form) => {
    const res = await ask(good(), form);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number; scope: string };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(600);
    expect(body.scope).toContain('read:users');
    const decoded = jwt.decode(body.access_token, { complete: true })!;
    expect(decoded.header.alg).toBe('RS256');
    expect(decoded.payload).toMatchObject({
      iss: tenant.issuer,
      aud: tenant.managementAudience,
      sub: `${DEFAULT_CLIENT.clientId}@clients`,
      azp: DEFAULT_CLIENT.clientId,
      gty: 'client-credentials',
      exp: Math.floor(clock / 1000) + 600,
    });
  });

  it('when the secret is wrong, then 401 access_denied in Auth0 shape', async () => {
    const res = await ask({ ...good(), client_secret: 'nope' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
  });

  it('when the audience is not the Management API, then 403 access_denied', async () => {
    const res = await ask({ ...good(), audience: 'https://elsewhere/api/v2/' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toBe('access_denied');
  });

  it('when the grant type is not client_credentials, then 400 unsupported_grant_type', async () => {
    const res = await ask({ ...good(), grant_type: 'password' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('unsupported_grant_type');
  });

  it('when a machine token has expired on the tenant clock, then the API refuses it with Auth0 401', async () => {
    const token = ((await (await ask(good())).json()) as { access_token: string }).access_token;
    const ok = await fetch(`${tenant.url}/api/v2/users?per_page=1`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    clock += 601_000;
    const expired = await fetch(`${tenant.url}/api/v2/users?per_page=1`, { headers: { authorization: `Bearer ${token}` } });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Invalid token',
      attributes: { error: 'Invalid token' },
    });
  });

  it('when a key is added and the old one retired, then the JWKS publishes only the new key and it verifies new tokens', async () => {
    const before = ((await (await fetch(`${tenant.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }).keys;
    const added = tenant.keys.addKey();
    tenant.keys.retireKey(before[0]!.kid);
    const jwks = (await (await fetch(`${tenant.url}/.well-known/jwks.json`)).json()) as {
      keys: (import('node:crypto').JsonWebKey & { kid: string })[];
    };
    expect(jwks.keys.map((k) => k.kid)).toEqual([added.kid]);
    const token = tenant.mintAppToken('auth0|x');
    expect(jwt.decode(token, { complete: true })!.header.kid).toBe(added.kid);
    const key = createPublicKey({ key: jwks.keys[0]!, format: 'jwk' });
    expect(() => jwt.verify(token, key, { algorithms: ['RS256'], clockTimestamp: Math.floor(clock / 1000) })).not.toThrow();
    expect(tenant.counters.jwksFetches).toBeGreaterThanOrEqual(2);
  });

  it('serves OIDC discovery that points at its JWKS and token endpoint', async () => {
    const conf = (await (await fetch(`${tenant.url}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(conf.issuer).toBe(tenant.issuer);
    expect(conf.jwks_uri).toBe(`${tenant.url}/.well-known/jwks.json`);
  });
});
