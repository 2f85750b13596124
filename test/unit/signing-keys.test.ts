import { startDevTenant, type DevTenant } from '../../dev-tenant';
import { SigningKeys } from '../../src/auth/signing-keys';

/** The signing-key cache against the dev tenant's JWKS on loopback, each test with its own tenant and clock. */
describe('signing-key cache', () => {
  let tenant: DevTenant;
  let clock: number;
  let keys: SigningKeys;
  beforeEach(async () => {
    tenant = await startDevTenant();
    clock = 1_800_000_000_000;
    keys = new SigningKeys({ jwksUri: `${tenant.url}/.well-known/jwks.json`, cooldownMs: 10_000, maxAgeMs: 600_000, now: () => clock });
  });
  afterEach(() => tenant.stop());
  const fetches = () => tenant.counters.jwksFetches;

  it('concurrent lookups share one fetch, and a known kid is served from the cache', async () => {
    const kid = tenant.keys.active.kid;
    const found = await Promise.all(Array.from({ length: 10 }, () => keys.keyFor(kid)));
    expect(found.every((k) => k.asymmetricKeyType === 'rsa')).toBe(true);
    await keys.keyFor(kid);
    expect(fetches()).toBe(1);
  });

  it('an unknown kid is 401 and causes at most one fetch per cooldown', async () => {
    await keys.keyFor(tenant.keys.active.kid);
    clock += 10_000;
    for (let i = 0; i < 5; i++) await expect(keys.keyFor(`random-${i}`)).rejects.toMatchObject({ status: 401, code: 'invalid_token' });
    expect(fetches()).toBe(2);
    clock += 9_999;
    await expect(keys.keyFor('random-x')).rejects.toMatchObject({ code: 'invalid_token' });
    expect(fetches()).toBe(2);
  });

  it('a rotated-in key is found after the cooldown; a retired key is no longer published after the next fetch', async () => {
    const old = tenant.keys.active.kid;
    await keys.keyFor(old);
    const fresh = tenant.keys.addKey().kid;
    clock += 10_000;
    await expect(keys.keyFor(fresh)).resolves.toBeDefined();
    expect(keys.isPublished(old)).toBe(true);
    tenant.keys.retireKey(old);
    await keys.refresh();
    expect([keys.isPublished(old), keys.isPublished(fresh)]).toEqual([false, true]);
  });

  it('keys older than maxAge are refreshed on use', async () => {
    const kid = tenant.keys.active.kid;
    await keys.keyFor(kid);
    clock += 599_999;
    await keys.keyFor(kid);
    expect(fetches()).toBe(1);
    clock += 1;
    await keys.keyFor(kid);
    expect(fetches()).toBe(2);
  });

  it('while the endpoint is down, a key fetched before still works; an unknown kid is 503 jwks_unavailable', async () => {
    const kid = tenant.keys.active.kid;
    await keys.keyFor(kid);
    tenant.faults.inject({ path: '/.well-known/jwks.json', kind: 'status', status: 500, times: Infinity });
    clock += 600_000;
    await expect(keys.keyFor(kid)).resolves.toBeDefined();
    // The failed fetch started a cooldown too: within it, an unknown kid is judged on the last key set.
    await expect(keys.keyFor('never-seen')).rejects.toMatchObject({ status: 401, code: 'invalid_token' });
    clock += 10_000;
    await expect(keys.keyFor('never-seen')).rejects.toMatchObject({ status: 503, code: 'jwks_unavailable' });
  });

  it('with no key ever fetched and the endpoint down, every lookup is 503', async () => {
    tenant.faults.inject({ path: '/.well-known/jwks.json', kind: 'drop', times: Infinity });
    await expect(keys.keyFor(tenant.keys.active.kid)).rejects.toMatchObject({ status: 503, code: 'jwks_unavailable' });
  });
});
