import SwaggerParser from '@apidevtools/swagger-parser';
import { DEMO_USERS } from '../../dev-tenant';
import { startStack, type Stack } from '../helpers/stack';

describe('the OpenAPI document and the reference page', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('GET /openapi.json is an OpenAPI 3.1 document that a third-party validator accepts', async () => {
    const res = await stack.http.get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.openapi).toBe('3.1.0');
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(res.body))).resolves.toBeDefined();
    // The validator does refuse a broken document (this test can fail).
    const broken = structuredClone(res.body);
    broken.paths['/users'].get.parameters[0].in = 'body';
    await expect(SwaggerParser.validate(broken)).rejects.toThrow();
  });

  it('describes the bearer scheme, and each error status with its errorCode values', async () => {
    const doc = (await stack.http.get('/openapi.json')).body;
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.paths).length).toBeGreaterThan(10);
    const listUsers = doc.paths['/users'].get;
    expect(listUsers.security).toEqual([{ bearer: [] }]);
    const codes = (status: string) => JSON.stringify(listUsers.responses[status].content['application/json'].schema);
    expect(codes('401')).toContain('token_expired');
    expect(codes('403')).toContain('field_not_readable');
    expect(codes('429')).toContain('rate_limited');
    expect(listUsers.responses['429'].headers['Retry-After']).toBeDefined();
    const perPage = listUsers.parameters.find((p: { name: string }) => p.name === 'per_page');
    expect(perPage.schema.description).toContain('100');
  });

  it('mounts every operation the document describes, and answers any other method on its path 405 with the Allow it lists', async () => {
    const doc = (await stack.http.get('/openapi.json')).body as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const as = stack.as(stack.tokenFor(DEMO_USERS.admin));
    for (const [template, operations] of Object.entries(doc.paths)) {
      const path = template.replace('{id}', encodeURIComponent('auth0|nobody-here'));
      for (const [method, operation] of Object.entries(operations)) {
        if (operation.security?.length === 0) continue; // the probes and pages, mounted apart (and conditionally)
        const res = await as[method as 'get' | 'post' | 'patch' | 'delete'](path);
        expect({ method, template, errorCode: res.body.errorCode }).not.toEqual({ method, template, errorCode: 'route_not_found' });
        expect({ method, template, status: res.status }).not.toEqual({ method, template, status: 405 });
      }
      if (Object.values(operations).some((op) => op.security?.length === 0)) continue;
      const other = await stack.http.put(path).set('authorization', `Bearer ${stack.tokenFor(DEMO_USERS.admin)}`);
      expect({ template, status: other.status, allow: other.headers.allow }).toEqual({
        template,
        status: 405,
        allow: Object.keys(operations)
          .map((m) => m.toUpperCase())
          .join(', '),
      });
    }
  });

  it('/docs redirects to /docs/, which serves the kept reference page under its own CSP; the API keeps default-src none', async () => {
    const redirect = await stack.http.get('/docs');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('docs/');
    const page = await stack.http.get('/docs/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui-bundle.js');
    expect(page.text).not.toMatch(/https?:\/\//);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-eval');
    const bundle = await fetch(`${stack.url}/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    const init = await fetch(`${stack.url}/docs/init.js`);
    expect(await init.text()).toContain("'../openapi.json'");
    const api = await stack.as(stack.tokenFor(DEMO_USERS.viewer)).get('/me/permissions');
    expect(api.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
  });

  it('/readyz lists each dependency with its state and no secret', async () => {
    const res = await stack.http.get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.checks).toEqual({
      jwks: { state: 'ok' },
      machineToken: { state: 'ok' },
      policy: {
        state: 'ok',
        detail: expect.stringMatching(/^\d+ role\(s\) loaded$/),
        version: expect.stringMatching(/^[0-9a-f]{12}$/),
        loaded_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    });
    expect(res.text).not.toContain(stack.config.management.clientSecret);
  });
});

describe('/docs is configurable', () => {
  it('is off with NODE_ENV=production (404 route_not_found) while /openapi.json stays; DOCS_ENABLED=true turns it on', async () => {
    const off = await startStack({ env: { NODE_ENV: 'production' } });
    try {
      const res = await off.http.get('/docs/');
      expect(res.status).toBe(404);
      expect(res.body.errorCode).toBe('route_not_found');
      expect((await off.http.get('/openapi.json')).status).toBe(200);
    } finally {
      await off.stop();
    }
    const on = await startStack({ env: { NODE_ENV: 'production', DOCS_ENABLED: 'true' } });
    try {
      expect((await on.http.get('/docs/')).status).toBe(200);
    } finally {
      await on.stop();
    }
  });
});

describe('readiness when a dependency fails', () => {
  it('answers 503 not_ready with the failing check named and the others still shown', async () => {
    const stack = await startStack({ env: { MGMT_CLIENT_SECRET: 'wrong' } });
    try {
      const res = await stack.http.get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body.checks.machineToken).toEqual({
        state: 'failing',
        detail:
          'no Management API token can be obtained: the token endpoint answered 401 access_denied (check MGMT_CLIENT_ID and MGMT_CLIENT_SECRET)',
      });
      expect(res.body.checks.jwks).toEqual({ state: 'ok' });
      expect(res.text).not.toContain('wrong');
    } finally {
      await stack.stop();
    }
  });
});
