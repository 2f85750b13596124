import { DEMO_USERS, RATE_LIMIT_PRESETS, presetFromEnv, startDevTenant } from '../../dev-tenant';
import { startDevMode } from '../../dev-tenant/dev-mode';
import { machineToken } from '../helpers/machine-token';
import { devTenantSettings } from '../../dev-tenant/settings';

/** Auth0 docs, Management API rate limits: the presets by plan, picked by name or by DEV_TENANT_RATE_LIMIT. */
describe('dev tenant: rate-limit presets', () => {
  it('free is one bucket of burst 2 refilled with 2 per second; essentials has reads 40 (500/min) and writes 20 (200/min) apart', () => {
    expect(RATE_LIMIT_PRESETS.free).toMatchObject({ shared: true, read: { burst: 2, refill: 2, windowMs: 1000 } });
    const { read, write } = RATE_LIMIT_PRESETS.essentials;
    expect([read.burst, (read.refill * 60_000) / read.windowMs]).toEqual([40, 500]);
    expect([write.burst, (write.refill * 60_000) / write.windowMs]).toEqual([20, 200]);
    const { other } = RATE_LIMIT_PRESETS.essentials;
    expect([other.burst, (other.refill * 60_000) / other.windowMs]).toEqual([10, 150]);
  });

  it('essentials: tickets, jobs, user-blocks, device credentials and organizations spend the "all other endpoints" bucket, not the users buckets', async () => {
    let now = Date.UTC(2026, 0, 1);
    const tenant = await startDevTenant({ rateLimit: 'essentials', now: () => now });
    try {
      const token = await machineToken(tenant);
      const get = (path: string) => fetch(`${tenant.url}/api/v2${path}`, { headers: { authorization: `Bearer ${token}` } });
      const blocks = `/user-blocks/${encodeURIComponent(DEMO_USERS.viewer)}`;
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await get(blocks)).status);
      expect(statuses).toEqual([...Array<number>(10).fill(200), 429]);
      const user = await get(`/users/${encodeURIComponent(DEMO_USERS.viewer)}`);
      expect([user.status, user.headers.get('x-ratelimit-limit')]).toEqual([200, '40']);
      expect((await get(`/device-credentials?user_id=${encodeURIComponent(DEMO_USERS.viewer)}`)).status).toBe(429);
      expect((await get('/organizations')).status).toBe(429);
      now += 2000;
      expect((await get(blocks)).headers.get('x-ratelimit-limit')).toBe('10');
    } finally {
      await tenant.stop();
    }
  });

  it('DEV_TENANT_PLAN picks the plan of the dev mode tenant (enterprise by default there) and tells usergate through AUTH0_PLAN', async () => {
    for (const [set, plan] of [
      [undefined, 'enterprise'],
      ['standard', 'standard'],
    ] as const) {
      const { tenant, env } = await startDevMode(set ? { DEV_TENANT_PLAN: set } : {});
      try {
        expect([tenant.plan, env.AUTH0_PLAN]).toEqual([plan, plan]);
      } finally {
        await tenant.stop();
      }
    }
    await expect(startDevMode({ DEV_TENANT_PLAN: 'gold' })).rejects.toThrow(/DEV_TENANT_PLAN must be one of enterprise, standard/);
  });

  it('DEV_TENANT_RATE_LIMIT picks a preset by name; an unknown name is an error that names the variable and the choices', () => {
    expect(presetFromEnv({ DEV_TENANT_RATE_LIMIT: 'essentials' })).toBe('essentials');
    expect(presetFromEnv({})).toBeUndefined();
    expect(() => presetFromEnv({ DEV_TENANT_RATE_LIMIT: 'gold' })).toThrow(
      /DEV_TENANT_RATE_LIMIT must be one of free, essentials, unlimited/,
    );
  });

  it('the dev tenant reads its own settings (DEV_TENANT_PORT, DEV_TENANT_RATE_LIMIT), naming a wrong one', () => {
    expect(devTenantSettings({}, 4010, 'standard')).toEqual({ port: 4010, rateLimit: undefined, plan: 'standard' });
    expect(
      devTenantSettings({ DEV_TENANT_PORT: '0', DEV_TENANT_RATE_LIMIT: 'free', DEV_TENANT_PLAN: 'enterprise' }, 4010, 'standard'),
    ).toEqual({
      port: 0,
      rateLimit: 'free',
      plan: 'enterprise',
    });
    expect(() => devTenantSettings({ DEV_TENANT_PLAN: 'gold' }, 0, 'standard')).toThrow(/^DEV_TENANT_PLAN must be one of/);
    expect(() => devTenantSettings({ DEV_TENANT_PORT: 'abc' }, 4010, 'standard')).toThrow(/^DEV_TENANT_PORT must be a port number/);
    expect(() => devTenantSettings({ DEV_TENANT_PORT: '70000' }, 4010, 'standard')).toThrow(/^DEV_TENANT_PORT must be a port number/);
    expect(() => devTenantSettings({ DEV_TENANT_RATE_LIMIT: 'gold' }, 0, 'standard')).toThrow(/^DEV_TENANT_RATE_LIMIT must be one of/);
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
