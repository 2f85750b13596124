import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, type Stack } from '../helpers/stack';

/** usergate serving the console: static files under their own CSP, the rest of the API unchanged. */
describe('/console', () => {
  let stack: Stack;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'console-static-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
    stack = await startStack({ env: { CONSOLE_CLIENT_ID: 'spa-client-1' }, consoleDir: dir });
  });
  afterAll(async () => {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the app without a token, under a CSP that allows its own files and the tenant only', async () => {
    const res = await stack.http.get('/console/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<title>console</title>');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ${stack.tenant.url}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    expect((await stack.http.get('/console/assets/app.js')).status).toBe(200);
  });

  it("tells the console where to sign in: tenant, its client id, usergate's audience; nothing secret", async () => {
    const res = await stack.http.get('/console/config.json');
    expect(res.body).toEqual({
      domain: stack.tenant.url,
      clientId: 'spa-client-1',
      audience: stack.tenant.appAudience,
      issuer: stack.tenant.issuer,
    });
  });

  it('the API keeps its strict CSP', async () => {
    const res = await stack.http.get('/healthz');
    expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
  });

  it('a missing file is a JSON 404, and a path outside the folder is not served', async () => {
    const res = await stack.http.get('/console/nope.js');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ errorCode: 'route_not_found' });
    const escape = await stack.http.get('/console/..%2f..%2fpackage.json');
    expect(escape.status).toBe(404);
    expect(escape.text).not.toContain('"dependencies"');
  });

  it('when the console is off, /console is an ordinary unknown route', async () => {
    const off = await startStack({
      env: { CONSOLE_CLIENT_ID: 'spa-client-1', CONSOLE_ENABLED: 'false' },
      consoleDir: dir,
      existingTenant: stack.tenant,
    });
    try {
      const res = await off.http.get('/console/');
      expect(res.status).toBe(401);
      expect(res.text).not.toContain('<title>');
    } finally {
      await off.stop();
    }
  });
});
