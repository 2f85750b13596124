import { loadConfig } from '../../src/config/env';

const base = { AUTH0_DOMAIN: 'acme.eu.auth0.com', AUTH0_AUDIENCE: 'https://api.acme', MGMT_CLIENT_ID: 'id', MGMT_CLIENT_SECRET: 'secret' };

describe('console configuration', () => {
  it("is on outside production when the console's client id is known, with the tenant, audience and issuer", () => {
    expect(loadConfig({ ...base, CONSOLE_CLIENT_ID: 'abc' }).console).toEqual({
      domain: 'https://acme.eu.auth0.com',
      clientId: 'abc',
      audience: 'https://api.acme',
      issuer: 'https://acme.eu.auth0.com/',
    });
  });

  it('is off without a client id, off in production unless enabled, and off when disabled', () => {
    expect(loadConfig(base).console).toBeUndefined();
    expect(loadConfig({ ...base, NODE_ENV: 'production', CONSOLE_CLIENT_ID: 'abc' }).console).toBeUndefined();
    expect(loadConfig({ ...base, NODE_ENV: 'production', CONSOLE_CLIENT_ID: 'abc', CONSOLE_ENABLED: 'true' }).console?.clientId).toBe(
      'abc',
    );
    expect(loadConfig({ ...base, CONSOLE_CLIENT_ID: 'abc', CONSOLE_ENABLED: 'false' }).console).toBeUndefined();
  });

  it.each([
    [{ CONSOLE_ENABLED: 'true' }, /CONSOLE_CLIENT_ID is required when CONSOLE_ENABLED=true/],
    [{ CONSOLE_ENABLED: 'yes' }, /CONSOLE_ENABLED must be one of true, false/],
    [{ CONSOLE_CLIENT_ID: 'a b<script>' }, /CONSOLE_CLIENT_ID must be a client id/],
  ])('%o stops start-up naming the variable', (env, message) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(message);
  });
});
