import { readFileSync } from 'node:fs';
import { devTenantSettings } from '../../dev-tenant/settings';
import { ConfigError, loadConfig } from '../../src/config/env';
import { AUTH0_CODES, auth0Refusal, ERROR_STATUS, errors, HttpError } from '../../src/errors';

/**
 * The outside names of usergate: they change only together with docs/configuration.md, .env.example and this test.
 * Each comes with a value that the configuration must notice: a valid one that changes the loaded
 * configuration, or (for a setting whose every valid value may leave it unchanged) an invalid one that
 * must stop start-up naming the variable. So a name the schema stops reading fails here.
 */
const VARIABLES: Record<string, { changes: string } | { refuses: string }> = {
  PORT: { changes: '8080' },
  HOST: { changes: '127.0.0.1' },
  LOG_LEVEL: { changes: 'debug' },
  AUTH0_DOMAIN: { changes: 'other.eu.auth0.com' },
  AUTH0_AUDIENCE: { changes: 'https://other.example/api' },
  AUTH0_ISSUER: { changes: 'https://issuer.example/' },
  AUTH0_JWKS_URI: { changes: 'https://issuer.example/keys.json' },
  AUTH0_TOKEN_ALGORITHMS: { changes: 'RS256,ES256' },
  AUTH0_CLOCK_TOLERANCE_S: { changes: '30' },
  MGMT_CLIENT_ID: { changes: 'another-client' },
  MGMT_CLIENT_SECRET: { changes: 'another-secret' },
  MGMT_TOKEN_URL: { changes: 'https://token.example/oauth/token' },
  MGMT_AUDIENCE: { changes: 'https://acme.eu.auth0.com/api/v2/other' },
  MGMT_API_URL: { changes: 'https://api.example/api/v2' },
  MGMT_TIMEOUT_MS: { changes: '2000' },
  MGMT_MAX_RETRIES: { changes: '0' },
  ROLES_SOURCE: { changes: 'claim' },
  ROLES_CLAIM: { changes: 'https://acme.example/roles' },
  ORG_CLAIM: { changes: 'https://acme.example/org' },
  ROLES_PATH: { changes: 'authz.roles' },
  ORG_PATH: { changes: 'authz.org' },
  ROLES_CACHE_TTL_S: { changes: '5' },
  CLAIM_BLOCKED_CHECK: { changes: 'false' },
  ACL_FILE: { changes: 'config/other.yaml' },
  CORS_ORIGINS: { changes: 'https://admin.acme.example' },
  TICKET_RESULT_URLS: { changes: 'https://app.acme.example/done' },
  TICKET_CLIENT_ID: { changes: 'ticket-app' },
  INVITATION_CLIENT_ID: { changes: 'invite-app' },
  AUTH0_PLAN: { changes: 'enterprise' },
  REDIS_URL: { changes: 'redis://redis:6379/0' },
  REDIS_DEGRADED_TTL_S: { changes: '2' },
  MGMT_RATE_READ: { changes: '10/100' },
  MGMT_RATE_WRITE: { changes: '5/50' },
  MGMT_RATE_OTHER: { changes: '4/40' },
  MGMT_QUEUE_MS: { changes: '100' },
  CALLER_RATE: { changes: '3/30' },
  SHUTDOWN_GRACE_MS: { changes: '2000' },
  METRICS_PORT: { changes: '9464' },
  DOCS_ENABLED: { changes: 'false' },
  CONSOLE_ENABLED: { refuses: 'maybe' },
  CONSOLE_CLIENT_ID: { changes: 'console-spa' },
};

const base = {
  AUTH0_DOMAIN: 'acme.eu.auth0.com',
  AUTH0_AUDIENCE: 'https://usergate.acme/api',
  MGMT_CLIENT_ID: 'm2m',
  MGMT_CLIENT_SECRET: 's3cret-value',
};

/** The dev tenant's own settings: read by the dev tenant, never by usergate's configuration. */
const DEV_TENANT_VARIABLES = ['DEV_TENANT_PORT', 'DEV_TENANT_RATE_LIMIT', 'DEV_TENANT_PLAN'];

const configurationDoc = readFileSync('docs/configuration.md', 'utf8');
const errorsDoc = readFileSync('docs/errors.md', 'utf8');

/** The error table of docs/errors.md: `| status | \`code\` | when |` rows, in order. */
function documentedErrors(): [code: string, status: number][] {
  return [...errorsDoc.matchAll(/^\|\s*(\d{3})\s*\|\s*`([a-z0-9_]+)`\s*\|/gm)].map((m) => [m[2]!, Number(m[1])]);
}

/** docs/errors.md's table of Auth0's codes that pass through: `| Auth0 409 | \`code\` | when |`. */
function documentedAuth0Codes(): [code: string, status: number][] {
  return [...errorsDoc.matchAll(/^\|\s*Auth0 (\d{3})\s*\|\s*`([a-z0-9_]+)`\s*\|/gm)].map((m) => [m[2]!, Number(m[1])]);
}

describe('configuration contract', () => {
  const envExample = readFileSync('.env.example', 'utf8');

  it.each(Object.entries(VARIABLES))(
    '%s is read by the configuration, listed in .env.example and documented in docs/configuration.md',
    (name, probe) => {
      if ('changes' in probe) {
        expect(loadConfig({ ...base, [name]: probe.changes })).not.toEqual(loadConfig(base));
      } else {
        expect(() => loadConfig({ ...base, [name]: probe.refuses })).toThrow(ConfigError);
        expect(() => loadConfig({ ...base, [name]: probe.refuses })).toThrow(new RegExp(`\\b${name}\\b`));
      }
      expect(envExample).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
      expect(configurationDoc).toContain(`\`${name}\``);
    },
  );

  it.each(DEV_TENANT_VARIABLES)('%s is read by the dev tenant, never by usergate, and documented', (name) => {
    // A value the dev tenant refuses leaves a production configuration untouched.
    expect(loadConfig({ ...base, [name]: 'bogus' })).toEqual(loadConfig(base));
    expect(() => devTenantSettings({ [name]: 'bogus' }, 0, 'standard')).toThrow(new RegExp(`^${name} must`));
    expect(envExample).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
    expect(configurationDoc).toContain(`\`${name}\``);
  });

  it('a name nobody reads changes nothing (the check above can fail)', () => {
    expect(loadConfig({ ...base, USERGATE_NOT_A_SETTING: 'x' })).toEqual(loadConfig(base));
  });
});

describe('error catalogue contract', () => {
  const documented = documentedErrors();

  it('the error table of docs/errors.md lists each code once', () => {
    expect(documented.length).toBeGreaterThan(20);
    expect(new Set(documented.map(([code]) => code)).size).toBe(documented.length);
  });

  it('the error table of docs/errors.md and the catalogue list the same codes with the same statuses', () => {
    expect(Object.entries(ERROR_STATUS).sort()).toEqual([...documented].sort());
  });

  it("docs/errors.md's table of Auth0's codes and the catalogue's Auth0 set agree", () => {
    expect(Object.entries(AUTH0_CODES).sort()).toEqual(documentedAuth0Codes().sort());
  });

  it.each(Object.keys(ERROR_STATUS))('catalogue code %s has a row in the runbook of docs/errors.md', (code) => {
    const runbook = errorsDoc.slice(errorsDoc.indexOf('## Runbook'));
    expect(runbook).toMatch(new RegExp(`^\\|\\s*\`${code}\`\\s*\\|`, 'm'));
  });

  it('every catalogue code has a factory', () => {
    const made = new Set(Object.values(errors).map((f) => f.code));
    expect(Object.keys(ERROR_STATUS).filter((code) => !made.has(code as never))).toEqual([]);
  });

  it('a code in both sets means the same status in both', () => {
    const both = Object.keys(AUTH0_CODES).filter((code) => code in ERROR_STATUS);
    for (const code of both)
      expect([code, ERROR_STATUS[code as keyof typeof ERROR_STATUS]]).toEqual([code, AUTH0_CODES[code as keyof typeof AUTH0_CODES]]);
  });
});

describe("Auth0's refusals", () => {
  it("a listed code passes through with Auth0's status and message", () => {
    const error = auth0Refusal(409, 'auth0_idp_error', 'The user already exists.');
    expect([error.status, error.code, error.message]).toEqual([409, 'auth0_idp_error', 'The user already exists.']);
  });

  it('an unlisted code is upstream_rejected with the code named, and a malformed one is not echoed', () => {
    const unlisted = auth0Refusal(400, 'password_dictionary_error', 'Password is too common');
    expect([unlisted.status, unlisted.code, unlisted.message]).toEqual([
      400,
      'upstream_rejected',
      "Password is too common (Auth0's code: password_dictionary_error)",
    ]);
    const malformed = auth0Refusal(400, '<script>', 'Nope');
    expect([malformed.code, malformed.message]).toEqual(['upstream_rejected', 'Nope']);
    expect(auth0Refusal(409, undefined, 'Conflict').code).toBe('upstream_rejected');
    // Not an own-property lookup trap: inherited names are not codes.
    expect(auth0Refusal(400, 'constructor', 'x').code).toBe('upstream_rejected');
  });

  it('explaining an error keeps its code, status and headers, says more, and keeps the original as the cause', () => {
    const original = errors.rateLimited(7);
    const explained = original.explained('Repeat the request.');
    expect(explained).toBeInstanceOf(HttpError);
    expect([explained.status, explained.code, explained.headers, explained.cause]).toEqual([
      429,
      'rate_limited',
      { 'Retry-After': '7' },
      original,
    ]);
    expect(explained.message).toBe(`${original.message} Repeat the request.`);
  });

  it('an error remembers its cause', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(errors.upstreamError('the connection failed').causedBy(reset).cause).toBe(reset);
  });
});
