import { RATE_LIMIT_PRESETS, presetFromEnv } from '../../dev-tenant';
import { startDevMode } from '../../dev-tenant/dev-mode';
import { devTenantSettings } from '../../dev-tenant/settings';

/** Auth0 docs, Management API rate limits: the presets by plan, picked by name or by DEV_TENANT_RATE_LIMIT. */
describe('dev tenant: rate-limit presets', () => {
  it('free is one bucket of burst 2 refilled with 2 per second; essentials has reads 40 (500/min) and writes 20 (200/min) apart', () => {
    expect(RATE_LIMIT_PRESETS.free).toMatchObject({ shared: true, read: { burst: 2, refill: 2, windowMs: 1000 } });
    const { read, write } = RATE_LIMIT_PRESETS.essentials;
    expect([read.burst, (read.refill * 60_000) / read.windowMs]).toEqual([40, 500]);
    expect([write.burst, (write.refill * 60_000) / write.windowMs]).toEqual([20, 200]);
  });

  it('DEV_TENANT_RATE_LIMIT picks a preset by name; an unknown name is an error that names the variable and the choices', () => {
    expect(presetFromEnv({ DEV_TENANT_RATE_LIMIT: 'essentials' })).toBe('essentials');
    expect(presetFromEnv({})).toBeUndefined();
    expect(() => presetFromEnv({ DEV_TENANT_RATE_LIMIT: 'gold' })).toThrow(
      /DEV_TENANT_RATE_LIMIT must be one of free, essentials, unlimited/,
    );
  });

  it('the dev tenant reads its own settings (DEV_TENANT_PORT, DEV_TENANT_RATE_LIMIT), naming a wrong one', () => {
    expect(devTenantSettings({}, 4010)).toEqual({ port: 4010, rateLimit: undefined });
    expect(devTenantSettings({ DEV_TENANT_PORT: '0', DEV_TENANT_RATE_LIMIT: 'free' }, 4010)).toEqual({ port: 0, rateLimit: 'free' });
    expect(() => devTenantSettings({ DEV_TENANT_PORT: 'abc' }, 4010)).toThrow(/^DEV_TENANT_PORT must be a port number/);
    expect(() => devTenantSettings({ DEV_TENANT_PORT: '70000' }, 4010)).toThrow(/^DEV_TENANT_PORT must be a port number/);
    expect(() => devTenantSettings({ DEV_TENANT_RATE_LIMIT: 'gold' }, 0)).toThrow(/^DEV_TENANT_RATE_LIMIT must be one of/);
  });

  it("npm start's dev mode starts the tenant with the preset of DEV_TENANT_RATE_LIMIT", async () => {
    const { tenant } = await startDevMode({ DEV_TENANT_RATE_LIMIT: 'free' });
    try {
      expect(tenant.rateLimit.preset).toEqual(RATE_LIMIT_PRESETS.free);
    } finally {
      await tenant.stop();
    }
  });
});
