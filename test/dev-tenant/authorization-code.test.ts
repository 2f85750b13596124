import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import jwt from 'jsonwebtoken';
import { consoleClient, DEMO_USERS, startDevTenant, type DevTenant } from '../../dev-tenant';

/** Sign-in for SPAs on the dev tenant, driven over HTTP as the Auth0 SPA SDK drives it. */
describe('dev tenant: Authorization Code + PKCE', () => {
  let clock = Date.UTC(2026, 0, 1);
  let tenant: DevTenant;
  const app = 'http://127.0.0.1:3999';
  const redirectUri = `${app}/console/`;
  const clientId = 'usergate-dev-console';

  beforeAll(async () => {
    tenant = await startDevTenant({
      now: () => clock,
      spaClients: [consoleClient([app]), { clientId: 'other-spa', callbackUrls: [redirectUri], logoutUrls: [], webOrigins: [] }],
    });
  });
  afterAll(() => tenant.stop());

  const verifier = () => randomBytes(32).toString('base64url');
  const challenge = (v: string) => createHash('sha256').update(v).digest('base64url');

  function authorizeUrl(overrides: Record<string, string | undefined> = {}, v = verifier()): string {
    const params: Record<string, string | undefined> = {
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      response_mode: 'query',
      scope: 'openid profile email',
      audience: tenant.appAudience,
      state: 'state-123',
      nonce: 'nonce-456',
      code_challenge: challenge(v),
      code_challenge_method: 'S256',
      ...overrides,
    };
    const url = new URL(`${tenant.url}/authorize`);
    for (const [k, val] of Object.entries(params)) if (val !== undefined) url.searchParams.set(k, val);
    return url.toString();
  }

  /** Opens the login page and picks a user: the redirect back to the app, with code and state. */
  async function login(sub: string, v: string): Promise<URL> {
    return (await loginWithSession(sub, v)).back;
  }

  /** The same, with the login session cookie the tenant set (`name=value`). */
  async function loginWithSession(sub: string, v = verifier()): Promise<{ back: URL; cookie: string; setCookie: string }> {
    const page = await fetch(authorizeUrl({}, v));
    expect(page.status).toBe(200);
    const tx = /name="tx" value="([^"]+)"/.exec(await page.text())![1]!;
    const res = await fetch(`${tenant.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ tx, sub }).toString(),
    });
    expect(res.status).toBe(302);
    const setCookie = res.headers.get('set-cookie') ?? '';
    return { back: new URL(res.headers.get('location')!), cookie: setCookie.split(';')[0]!, setCookie };
  }

  /** A silent sign-in (`prompt=none`, as the SPA SDK's hidden frame sends it) with this cookie: what the frame posts back. */
  async function silent(cookie: string | undefined, v = verifier()): Promise<Record<string, string>> {
    const res = await fetch(authorizeUrl({ prompt: 'none', response_mode: 'web_message' }, v), {
      redirect: 'manual',
      headers: cookie ? { cookie } : {},
    });
    expect(res.status).toBe(200);
    const message = /postMessage\((\{.*\}), "/.exec(await res.text())![1]!;
    return (JSON.parse(message) as { response: Record<string, string> }).response;
  }

  const redeem = (body: Record<string, string>, origin?: string) =>
    fetch(`${tenant.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, redirect_uri: redirectUri, ...body }).toString(),
    });

  it('the login page lists the demo users, and picking one redirects back with a code and the state', async () => {
    const page = await fetch(authorizeUrl());
    const html = await page.text();
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    for (const sub of Object.values(DEMO_USERS)) expect(html).toContain(`value="${sub}"`);
    const v = verifier();
    const back = await login(DEMO_USERS.support, v);
    expect(back.origin + back.pathname).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe('state-123');
    expect(back.searchParams.get('code')).toMatch(/^[\w-]{20,}$/);
  });

  it("the code with its verifier yields an app token for usergate's audience and an ID token for the client", async () => {
    const v = verifier();
    const code = (await login(DEMO_USERS.admin, v)).searchParams.get('code')!;
    const res = await redeem({ code, code_verifier: v }, app);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(app);
    const body = (await res.json()) as { access_token: string; id_token: string; token_type: string };
    expect(body.token_type).toBe('Bearer');
    expect(jwt.decode(body.access_token)).toMatchObject({
      sub: DEMO_USERS.admin,
      aud: expect.arrayContaining([tenant.appAudience]),
      azp: clientId,
      iss: tenant.issuer,
    });
    expect(jwt.decode(body.id_token)).toMatchObject({
      sub: DEMO_USERS.admin,
      aud: clientId,
      nonce: 'nonce-456',
      iss: tenant.issuer,
      name: 'Alice Admin',
    });
  });

  it('a code is single use: the second exchange is refused', async () => {
    const v = verifier();
    const code = (await login(DEMO_USERS.viewer, v)).searchParams.get('code')!;
    expect((await redeem({ code, code_verifier: v })).status).toBe(200);
    const again = await redeem({ code, code_verifier: v });
    expect(again.status).toBe(403);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it.each([
    ['a wrong verifier', (v: string) => ({ code_verifier: verifier(), v })],
    ['another redirect_uri', (v: string) => ({ code_verifier: v, redirect_uri: `${app}/elsewhere/` })],
    ['another registered client', (v: string) => ({ code_verifier: v, client_id: 'other-spa' })],
  ])('a code presented with %s is refused, and is spent', async (_name, change) => {
    const v = verifier();
    const code = (await login(DEMO_USERS.viewer, v)).searchParams.get('code')!;
    const { v: _ignored, ...overrides } = { v: undefined, ...change(v) } as Record<string, string | undefined>;
    const bad = await redeem({ code, ...(overrides as Record<string, string>) });
    expect([401, 403]).toContain(bad.status);
    expect((await redeem({ code, code_verifier: v })).status).toBe(403);
  });

  it('a code expires after a minute', async () => {
    const v = verifier();
    const code = (await login(DEMO_USERS.viewer, v)).searchParams.get('code')!;
    clock += 61_000;
    const res = await redeem({ code, code_verifier: v });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it.each([
    ['no PKCE', { code_challenge: undefined, code_challenge_method: undefined }, 'invalid_request'],
    ['the plain PKCE method', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['the implicit flow', { response_type: 'token' }, 'unsupported_response_type'],
    ['another audience', { audience: 'https://other.example/api' }, 'access_denied'],
    ['no state', { state: undefined }, 'invalid_request'],
    ['prompt=none and no login session', { prompt: 'none' }, 'login_required'],
  ])('/authorize with %s redirects back with an error, no login page', async (_name, overrides, error) => {
    const res = await fetch(authorizeUrl(overrides), { redirect: 'manual' });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(redirectUri);
    expect(back.searchParams.get('error')).toBe(error);
  });

  it.each([
    ['an unknown client', { client_id: 'nobody' }],
    ['an unregistered redirect_uri', { redirect_uri: 'http://127.0.0.1:1/steal' }],
  ])('/authorize with %s answers 400 and redirects nowhere', async (_name, overrides) => {
    const res = await fetch(authorizeUrl(overrides), { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('a login form post with an unknown transaction is refused (the transaction id is the CSRF guard)', async () => {
    const res = await fetch(`${tenant.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ tx: 'forged', sub: DEMO_USERS.admin }).toString(),
    });
    expect(res.status).toBe(400);
  });

  it('the login pages refuse a request naming another host (loopback only)', async () => {
    // fetch will not send another Host: a raw request does (what a DNS-rebinding page would make).
    const url = new URL(authorizeUrl());
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(403);
  });

  it("/oauth/token answers CORS preflights for the client's web origins only", async () => {
    const ask = (origin: string) =>
      fetch(`${tenant.url}/oauth/token`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    const allowed = await ask(app);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(app);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('Auth0-Client');
    expect((await ask('http://127.0.0.1:1')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('picking a user starts a login session (an HttpOnly cookie) that answers a silent sign-in with a code for that user', async () => {
    const { cookie, setCookie } = await loginWithSession(DEMO_USERS.support);
    expect(setCookie).toMatch(/^dev_tenant_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
    const v = verifier();
    const answer = await silent(cookie, v);
    expect(answer.state).toBe('state-123');
    const tokens = (await (await redeem({ code: answer.code!, code_verifier: v })).json()) as { access_token: string };
    expect(jwt.decode(tokens.access_token)).toMatchObject({ sub: DEMO_USERS.support });
  });

  it('a silent sign-in without a session, with a forged one, or for a user since blocked answers login_required', async () => {
    expect(await silent(undefined)).toMatchObject({ error: 'login_required', state: 'state-123' });
    expect(await silent(`dev_tenant_session=${randomBytes(32).toString('base64url')}`)).toMatchObject({ error: 'login_required' });
    const { cookie } = await loginWithSession(DEMO_USERS.viewer);
    tenant.store.get(DEMO_USERS.viewer)!.blocked = true;
    try {
      expect(await silent(cookie)).toMatchObject({ error: 'login_required' });
    } finally {
      tenant.store.get(DEMO_USERS.viewer)!.blocked = false;
    }
  });

  it('a login session ends on /v2/logout and after three idle days', async () => {
    const first = await loginWithSession(DEMO_USERS.admin);
    const out = await fetch(`${tenant.url}/v2/logout?client_id=${clientId}&returnTo=${encodeURIComponent(redirectUri)}`, {
      redirect: 'manual',
      headers: { cookie: first.cookie },
    });
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect(await silent(first.cookie)).toMatchObject({ error: 'login_required' });

    const second = await loginWithSession(DEMO_USERS.admin);
    clock += 2 * 86_400_000;
    expect((await silent(second.cookie)).code).toBeDefined(); // used: extended for three more days
    clock += 3 * 86_400_000 + 1000;
    expect(await silent(second.cookie)).toMatchObject({ error: 'login_required' });
  });

  it('/v2/logout returns to an allowed logout URL only', async () => {
    const ok = await fetch(`${tenant.url}/v2/logout?client_id=${clientId}&returnTo=${encodeURIComponent(redirectUri)}`, {
      redirect: 'manual',
    });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe(redirectUri);
    const bad = await fetch(`${tenant.url}/v2/logout?client_id=${clientId}&returnTo=${encodeURIComponent('https://evil.example/')}`, {
      redirect: 'manual',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('location')).toBeNull();
  });
});
