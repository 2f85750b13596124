import { readFileSync } from 'node:fs';
import { ERROR_STATUS, errors, HttpError } from '../../src/errors';

/** The outside names of usergate: they change only together with docs/configuration.md, .env.example and this test. */
const VARIABLES = [
  'PORT',
  'HOST',
  'LOG_LEVEL',
  'AUTH0_DOMAIN',
  'AUTH0_AUDIENCE',
  'AUTH0_ISSUER',
  'AUTH0_JWKS_URI',
  'AUTH0_TOKEN_ALGORITHMS',
  'AUTH0_CLOCK_TOLERANCE_S',
  'MGMT_CLIENT_ID',
  'MGMT_CLIENT_SECRET',
  'MGMT_TOKEN_URL',
  'MGMT_AUDIENCE',
  'MGMT_API_URL',
  'MGMT_TIMEOUT_MS',
  'MGMT_MAX_RETRIES',
  'ROLES_SOURCE',
  'ROLES_CLAIM',
  'ORG_CLAIM',
  'ROLES_PATH',
  'ORG_PATH',
  'ROLES_CACHE_TTL_S',
  'CLAIM_BLOCKED_CHECK',
  'ACL_FILE',
  'CORS_ORIGINS',
  'TICKET_RESULT_URLS',
  'TICKET_CLIENT_ID',
  'AUTH0_PLAN',
  'REDIS_URL',
  'REDIS_DEGRADED_TTL_S',
  'MGMT_RATE_READ',
  'MGMT_RATE_WRITE',
  'MGMT_RATE_OTHER',
  'MGMT_QUEUE_MS',
  'CALLER_RATE',
  'SHUTDOWN_GRACE_MS',
  'METRICS_PORT',
  'DOCS_ENABLED',
  'CONSOLE_ENABLED',
  'CONSOLE_CLIENT_ID',
];

/** The dev tenant's own settings: read by the dev tenant, never by usergate's configuration. */
const DEV_TENANT_VARIABLES = ['DEV_TENANT_PORT', 'DEV_TENANT_RATE_LIMIT', 'DEV_TENANT_PLAN'];

const configurationDoc = readFileSync('docs/configuration.md', 'utf8');
const errorsDoc = readFileSync('docs/errors.md', 'utf8');

/** The error table of docs/errors.md: `| status | \`code\` | when |` rows, in order. */
function documentedErrors(): [code: string, status: number][] {
  return [...errorsDoc.matchAll(/^\|\s*(\d{3})\s*\|\s*`([a-z0-9_]+)`\s*\|/gm)].map((m) => [m[2]!, Number(m[1])]);
}

describe('configuration contract', () => {
  const envExample = readFileSync('.env.example', 'utf8');
  const schema = readFileSync('src/config/env.ts', 'utf8');

  it.each(VARIABLES)('%s is read by the config schema, listed in .env.example and documented in docs/configuration.md', (name) => {
    expect(schema).toMatch(new RegExp(`\\b${name}:`));
    expect(envExample).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
    expect(configurationDoc).toContain(`\`${name}\``);
  });

  it.each(DEV_TENANT_VARIABLES)('%s is read by the dev tenant, not by the config schema, and documented', (name) => {
    expect(schema).not.toContain(name);
    expect(readFileSync('dev-tenant/settings.ts', 'utf8') + readFileSync('dev-tenant/rate-limit-presets.ts', 'utf8')).toContain(name);
    expect(envExample).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
    expect(configurationDoc).toContain(`\`${name}\``);
  });
});

describe('error catalogue contract', () => {
  const documented = documentedErrors();

  it('the error table of docs/errors.md lists each code once', () => {
    expect(documented.length).toBeGreaterThan(20);
    expect(new Set(documented.map(([code]) => code)).size).toBe(documented.length);
  });

  it.each(Object.entries(ERROR_STATUS))('catalogue code %s is documented in docs/errors.md with status %i', (code, status) => {
    expect(documented).toContainEqual([code, status]);
  });

  it.each(documented)('documented code %s exists in the catalogue with status %i', (code, status) => {
    expect(ERROR_STATUS).toHaveProperty([code], status);
  });

  it.each(Object.entries(errors))('the factory errors.%s declares a catalogue code and builds errors with it', (_name, factory) => {
    expect(Object.keys(ERROR_STATUS)).toContain(factory.code);
    expect(factory.status).toBe(ERROR_STATUS[factory.code]);
  });

  it.each(Object.keys(ERROR_STATUS))('catalogue code %s has a row in the runbook of docs/errors.md', (code) => {
    const runbook = errorsDoc.slice(errorsDoc.indexOf('## Runbook'));
    expect(runbook).toMatch(new RegExp(`^\\|\\s*\`${code}\`\\s*\\|`, 'm'));
  });

  it('every catalogue code has a factory', () => {
    const made = new Set(Object.values(errors).map((f) => f.code));
    expect(Object.keys(ERROR_STATUS).filter((code) => !made.has(code as never))).toEqual([]);
  });

  it('a factory builds an HttpError with its code, status and headers', () => {
    const error = errors.methodNotAllowed('PUT', ['GET', 'PATCH']);
    expect(error).toBeInstanceOf(HttpError);
    expect([error.status, error.code, error.headers]).toEqual([405, 'method_not_allowed', { Allow: 'GET, PATCH' }]);
  });
});
