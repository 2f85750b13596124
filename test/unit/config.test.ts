import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withDotenv } from '../../src/config/dotenv';
import { ConfigError, loadConfig } from '../../src/config/env';

const base = {
  AUTH0_DOMAIN: 'acme.eu.auth0.com',
  AUTH0_AUDIENCE: 'https://usergate.acme/api',
  MGMT_CLIENT_ID: 'm2m',
  MGMT_CLIENT_SECRET: 's3cret-value',
};

function errorOf(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('when only the required variables are set, then every documented default applies', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      logLevel: 'info',
      auth: {
        issuer: 'https://acme.eu.auth0.com/',
        jwksUri: 'https://acme.eu.auth0.com/.well-known/jwks.json',
        algorithms: ['RS256'],
        clockToleranceS: 5,
        audience: base.AUTH0_AUDIENCE,
      },
      management: {
        tokenUrl: 'https://acme.eu.auth0.com/oauth/token',
        audience: 'https://acme.eu.auth0.com/api/v2/',
        apiUrl: 'https://acme.eu.auth0.com/api/v2',
        timeoutMs: 10000,
        maxRetries: 2,
      },
      roles: {
        source: 'app_metadata',
        rolesClaim: 'https://usergate.dev/roles',
        orgClaim: 'https://usergate.dev/org',
        rolesPath: 'roles',
        orgPath: 'org',
        cacheTtlS: 60,
      },
      aclFile: 'config/acl.yaml',
      corsOrigins: [],
    });
    expect(Object.isFrozen(config.auth)).toBe(true);
  });

  it('when AUTH0_DOMAIN carries a scheme and port, then every derived URL uses that origin', () => {
    const config = loadConfig({ ...base, AUTH0_DOMAIN: 'http://127.0.0.1:4010' });
    expect(config.auth.issuer).toBe('http://127.0.0.1:4010/');
    expect(config.management.audience).toBe('http://127.0.0.1:4010/api/v2/');
    expect(config.management.apiUrl).toBe('http://127.0.0.1:4010/api/v2');
  });

  it.each([
    [{ AUTH0_DOMAIN: undefined }, /^Invalid configuration: AUTH0_DOMAIN is required/],
    [{ AUTH0_AUDIENCE: undefined }, /^Invalid configuration: AUTH0_AUDIENCE is required/],
    [{ MGMT_CLIENT_ID: undefined }, /^Invalid configuration: MGMT_CLIENT_ID is required/],
    [{ MGMT_CLIENT_SECRET: undefined }, /^Invalid configuration: MGMT_CLIENT_SECRET is required/],
    [{ PORT: 'eighty' }, /^Invalid configuration: PORT must be a whole number/],
    [{ PORT: '70000' }, /^Invalid configuration: PORT must be at most 65535/],
    [{ LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL must be one of/],
    [{ AUTH0_TOKEN_ALGORITHMS: 'none' }, /^Invalid configuration: AUTH0_TOKEN_ALGORITHMS .*"none" is refused/],
    [{ AUTH0_TOKEN_ALGORITHMS: 'RS256,HS256' }, /^Invalid configuration: AUTH0_TOKEN_ALGORITHMS .*"HS256" is refused/],
    [{ AUTH0_CLOCK_TOLERANCE_S: '-1' }, /^Invalid configuration: AUTH0_CLOCK_TOLERANCE_S must be a whole number/],
    [{ MGMT_TIMEOUT_MS: '10' }, /^Invalid configuration: MGMT_TIMEOUT_MS must be at least 100/],
    [{ MGMT_MAX_RETRIES: '99' }, /^Invalid configuration: MGMT_MAX_RETRIES must be at most 5/],
    [{ ROLES_SOURCE: 'ldap' }, /^Invalid configuration: ROLES_SOURCE must be one of claim, app_metadata/],
    [{ ROLES_PATH: 'a..b' }, /^Invalid configuration: ROLES_PATH must be a dot path/],
    [{ AUTH0_DOMAIN: 'http://acme.example' }, /^Invalid configuration: AUTH0_DOMAIN must use https/],
    [{ AUTH0_DOMAIN: 'acme.example/path' }, /^Invalid configuration: AUTH0_DOMAIN must be a domain or an origin/],
    [{ AUTH0_JWKS_URI: 'not a url' }, /^Invalid configuration: AUTH0_JWKS_URI must be an absolute URL/],
    [{ MGMT_API_URL: 'http://10.0.0.1/api/v2' }, /^Invalid configuration: MGMT_API_URL must use https/],
    [{ CORS_ORIGINS: '*' }, /^Invalid configuration: CORS_ORIGINS must list origins/],
    [{ CORS_ORIGINS: 'https://admin.acme.example/' }, /^Invalid configuration: CORS_ORIGINS must list origins/],
    [{ CORS_ORIGINS: 'https://ok.example, https://*.acme.example' }, /^Invalid configuration: CORS_ORIGINS must list origins/],
  ])('when %j, then start-up stops with one line naming the variable', (change, expected) => {
    const message = errorOf({ ...base, ...change });
    expect(message).toMatch(expected);
    expect(message).not.toContain('\n');
  });

  it('when NODE_ENV=production and AUTH0_DOMAIN is missing, then it is a config error, never the dev tenant', () => {
    expect(errorOf({ NODE_ENV: 'production' })).toMatch(/AUTH0_DOMAIN is required when NODE_ENV=production/);
  });

  it('when several variables are wrong, then one message on one line names each, with what is wrong with it', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ NODE_ENV: 'production', PORT: 'eighty', CORS_ORIGINS: '*', MGMT_RATE_READ: '40', SHUTDOWN_GRACE_MS: '-5' });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.map((p) => p.name).sort()).toEqual(
      [
        'AUTH0_AUDIENCE',
        'AUTH0_DOMAIN',
        'CORS_ORIGINS',
        'MGMT_CLIENT_ID',
        'MGMT_CLIENT_SECRET',
        'MGMT_RATE_READ',
        'PORT',
        'SHUTDOWN_GRACE_MS',
      ].sort(),
    );
    expect(error!.message).not.toContain('\n');
    expect(error!.message).toMatch(/^Invalid configuration: /);
    for (const expected of [
      'AUTH0_DOMAIN is required when NODE_ENV=production',
      'AUTH0_AUDIENCE is required (the identifier of the Auth0 API',
      "MGMT_CLIENT_ID is required (the client id of usergate's machine-to-machine application)",
      'MGMT_CLIENT_SECRET is required',
      'PORT must be a whole number',
      'CORS_ORIGINS must list origins',
      'MGMT_RATE_READ must be BURST/PER_MINUTE',
      'SHUTDOWN_GRACE_MS must be a whole number',
    ])
      expect(error!.message).toContain(expected);
  });

  it('when a variable is wrong in two ways, then it is named once, with its first problem', () => {
    const message = errorOf({ ...base, AUTH0_TOKEN_ALGORITHMS: 'none,HS256' });
    expect(message).toBe(
      'Invalid configuration: AUTH0_TOKEN_ALGORITHMS must list asymmetric algorithms only (RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512); "none" is refused',
    );
  });

  it('SHUTDOWN_GRACE_MS is how long a stopping process lets requests finish: 10000 by default', () => {
    expect(loadConfig(base).shutdownGraceMs).toBe(10_000);
    expect(loadConfig({ ...base, SHUTDOWN_GRACE_MS: '2500' }).shutdownGraceMs).toBe(2500);
    expect(errorOf({ ...base, SHUTDOWN_GRACE_MS: '700000' })).toBe('Invalid configuration: SHUTDOWN_GRACE_MS must be at most 600000');
  });

  it("the dev tenant's settings are not the product's: a bad DEV_TENANT_RATE_LIMIT does not stop a production start", () => {
    expect(loadConfig({ ...base, NODE_ENV: 'production', DEV_TENANT_RATE_LIMIT: 'gold' }).production).toBe(true);
  });

  it('never puts the secret into an error message', () => {
    expect(errorOf({ ...base, PORT: 'x' })).not.toContain(base.MGMT_CLIENT_SECRET);
  });

  it('TICKET_RESULT_URLS is an exact allowlist of https URLs (http on loopback only), none by default', () => {
    expect(loadConfig(base).ticketResultUrls).toEqual([]);
    expect(loadConfig({ ...base, TICKET_RESULT_URLS: ' https://app.example/done , http://127.0.0.1:5173/cb' }).ticketResultUrls).toEqual([
      'https://app.example/done',
      'http://127.0.0.1:5173/cb',
    ]);
    expect(errorOf({ ...base, TICKET_RESULT_URLS: 'https://*.example/done' })).toMatch(
      /^Invalid configuration: TICKET_RESULT_URLS must list exact URLs/,
    );
    expect(errorOf({ ...base, TICKET_RESULT_URLS: 'http://app.example/done' })).toMatch(
      /^Invalid configuration: TICKET_RESULT_URLS must use https/,
    );
    expect(errorOf({ ...base, TICKET_RESULT_URLS: 'app.example/done' })).toMatch(
      /^Invalid configuration: TICKET_RESULT_URLS must be an absolute URL/,
    );
    expect(errorOf({ ...base, TICKET_RESULT_URLS: 'https://u:p@app.example/' })).toMatch(/TICKET_RESULT_URLS must not carry credentials/);
  });

  it('AUTH0_PLAN is enterprise or standard (the default); TICKET_CLIENT_ID is a client id, none by default', () => {
    expect(loadConfig(base).auth0Plan).toBe('standard');
    expect(loadConfig({ ...base, AUTH0_PLAN: 'enterprise' }).auth0Plan).toBe('enterprise');
    const wrong = errorOf({ ...base, AUTH0_PLAN: 'professional' });
    expect(wrong).toContain('AUTH0_PLAN');
    expect(wrong).toContain('enterprise, standard');
    expect(loadConfig(base).ticketClientId).toBeUndefined();
    expect(loadConfig({ ...base, TICKET_CLIENT_ID: 'AbC123_-x' }).ticketClientId).toBe('AbC123_-x');
    expect(errorOf({ ...base, TICKET_CLIENT_ID: 'https://evil.example' })).toContain('TICKET_CLIENT_ID');
  });
});

describe('.env (read by the entry points only)', () => {
  const dirs: string[] = [];
  const dir = (): string => {
    const made = mkdtempSync(join(tmpdir(), 'usergate-dotenv-'));
    dirs.push(made);
    return made;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('without a file, the environment is used as it is', () => {
    const env = { AUTH0_DOMAIN: 'acme.eu.auth0.com' };
    expect(withDotenv(env, dir())).toEqual({ env, fromFile: [] });
  });

  it("the file's settings fill in what the environment does not set; the environment wins", () => {
    const at = dir();
    writeFileSync(join(at, '.env'), '# a comment\nAUTH0_DOMAIN=file.eu.auth0.com\nAUTH0_AUDIENCE="https://api.example/x y"\nPORT=4000\n');
    const { env, fromFile } = withDotenv({ AUTH0_DOMAIN: 'env.eu.auth0.com', LOG_LEVEL: 'warn' }, at);
    expect(env).toEqual({ AUTH0_DOMAIN: 'env.eu.auth0.com', AUTH0_AUDIENCE: 'https://api.example/x y', PORT: '4000', LOG_LEVEL: 'warn' });
    expect(fromFile).toEqual(['AUTH0_AUDIENCE', 'PORT']);
  });

  it('a .env that cannot be read stops start-up naming it', () => {
    const at = dir();
    mkdirSync(join(at, '.env'));
    expect(() => withDotenv({}, at)).toThrow(ConfigError);
    expect(() => withDotenv({}, at)).toThrow(/^Invalid configuration: \.env cannot be read \(EISDIR: /);
  });
});
