import { readFileSync } from 'node:fs';

/** The outside names of DESIGN.md: they change only together with README.md, .env.example and this test. */
const VARIABLES = [
  'PORT', 'HOST', 'LOG_LEVEL', 'AUTH0_DOMAIN', 'AUTH0_AUDIENCE', 'AUTH0_ISSUER', 'AUTH0_JWKS_URI', 'AUTH0_TOKEN_ALGORITHMS',
  'AUTH0_CLOCK_TOLERANCE_S', 'MGMT_CLIENT_ID', 'MGMT_CLIENT_SECRET', 'MGMT_TOKEN_URL', 'MGMT_AUDIENCE', 'MGMT_API_URL',
  'MGMT_TIMEOUT_MS', 'MGMT_MAX_RETRIES', 'ROLES_SOURCE', 'ROLES_CLAIM', 'ORG_CLAIM', 'ROLES_PATH', 'ORG_PATH',
  'ROLES_CACHE_TTL_S', 'ACL_FILE', 'CORS_ORIGINS', 'CONSOLE_ENABLED', 'CONSOLE_CLIENT_ID',
];

describe('configuration contract', () => {
  const envExample = readFileSync('.env.example', 'utf8');
  const readme = readFileSync('README.md', 'utf8');
  const schema = readFileSync('src/config/env.ts', 'utf8');

  it.each(VARIABLES)('%s is read by the config schema, listed in .env.example and documented in the README', (name) => {
    expect(schema).toMatch(new RegExp(`\\b${name}:`));
    expect(envExample).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
    expect(readme).toContain(`\`${name}\``);
  });

  it('the README error table names every code of the catalogue', () => {
    const catalogue = readFileSync('src/errors.ts', 'utf8');
    const codes = [...catalogue.matchAll(/new HttpError\(\d{3}, '([a-z_]+)'/g)].map((m) => m[1]!);
    expect(codes.length).toBeGreaterThan(20);
    for (const code of codes) expect(readme).toContain(`\`${code}\``);
  });
});
