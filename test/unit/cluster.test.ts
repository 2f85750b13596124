import { follow, MemoryBuckets, take } from '../../src/cluster/token-bucket';
import { memoryBuckets } from '../../src/cluster/shared-buckets';
import { upstreamBudget } from '../../src/cluster/upstream-budget';
import { SealedBox } from '../../src/cluster/sealed-box';
import { loadConfig } from '../../src/config/env';

const rate = { burst: 5, perMinute: 60 }; // one token a second

describe('token bucket arithmetic (injected clock)', () => {
  it('grants the burst at once, then reserves the next tokens one second apart, up to the longest wait', () => {
    let now = 1_000_000;
    const buckets = new MemoryBuckets(() => now);
    const results = Array.from({ length: 8 }, () => buckets.take('b', rate, 2000));
    expect(results.map((r) => r.granted)).toEqual([true, true, true, true, true, true, true, false]);
    expect(results.map((r) => r.waitMs)).toEqual([0, 0, 0, 0, 0, 1000, 2000, 3000]);
    now += 1000; // one token refilled, two still reserved: the next would wait 2 s
    expect(buckets.take('b', rate, 2000)).toEqual({ granted: true, waitMs: 2000 });
    expect(buckets.take('b', rate, 2000)).toEqual({ granted: false, waitMs: 3000 });
  });

  it('a refused request takes nothing', () => {
    const first = take(undefined, 0, { burst: 1, perMinute: 60 }, 0);
    expect(first.result).toEqual({ granted: true, waitMs: 0 });
    const refused = take(first.state, 0, { burst: 1, perMinute: 60 }, 0);
    expect(refused.result).toEqual({ granted: false, waitMs: 1000 });
    expect(refused.state.tokens).toBe(0);
    expect(take(refused.state, 1000, { burst: 1, perMinute: 60 }, 0).result).toEqual({ granted: true, waitMs: 0 });
  });

  it('refills at PER_MINUTE and never above the burst', () => {
    let state = take(undefined, 0, rate, 0).state;
    for (let i = 0; i < 4; i += 1) state = take(state, 0, rate, 0).state;
    expect(state.tokens).toBe(0);
    expect(take(state, 2500, rate, 0).state.tokens).toBeCloseTo(1.5);
    expect(take(state, 3_600_000, rate, 0).state.tokens).toBe(4);
  });

  it('follows the upstream down when it says less remains, never up', () => {
    const full = take(undefined, 0, rate, 0).state; // 4 left
    expect(follow(full, 0, rate, 1).tokens).toBe(1);
    expect(follow(full, 0, rate, 50).tokens).toBe(4);
    const after = follow(full, 0, rate, 0);
    expect(take(after, 0, rate, 500).result).toEqual({ granted: false, waitMs: 1000 });
  });

  it('keys are separate buckets, and the least recently used is forgotten beyond the limit', () => {
    const buckets = new MemoryBuckets(() => 0, 2);
    const one = { burst: 1, perMinute: 1 };
    expect(buckets.take('a', one, 0).granted).toBe(true);
    expect(buckets.take('b', one, 0).granted).toBe(true);
    expect(buckets.take('a', one, 0).granted).toBe(false);
    buckets.take('c', one, 0); // b is forgotten: a full bucket again
    expect(buckets.take('b', one, 0).granted).toBe(true);
  });
});

describe('upstream budget', () => {
  it('waits its turn within MGMT_QUEUE_MS, then answers 429 rate_limited with Retry-After', async () => {
    let now = 0;
    const waits: number[] = [];
    const budget = upstreamBudget({
      buckets: memoryBuckets(() => now),
      rates: { read: { burst: 2, perMinute: 60 }, write: { burst: 1, perMinute: 60 }, other: { burst: 1, perMinute: 60 } },
      queueMs: 1000,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    await budget.acquire('read');
    await budget.acquire('read');
    await budget.acquire('read');
    expect(waits).toEqual([1000]);
    await expect(budget.acquire('read')).rejects.toMatchObject({ status: 429, code: 'rate_limited', headers: { 'Retry-After': '2' } });
    await budget.acquire('write'); // writes have their own bucket
    now += 2000;
    await budget.acquire('read');
  });

  it("takes Auth0's x-ratelimit-remaining when it is lower than the bucket", async () => {
    const buckets = memoryBuckets(() => 0);
    const budget = upstreamBudget({
      buckets,
      rates: { read: { burst: 10, perMinute: 60 }, write: { burst: 10, perMinute: 60 }, other: { burst: 10, perMinute: 60 } },
      queueMs: 0,
    });
    await budget.acquire('read');
    budget.observe('read', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '999' });
    await Promise.resolve();
    await expect(budget.acquire('read')).rejects.toMatchObject({ status: 429 });
    budget.observe('write', { 'x-ratelimit-remaining': 'many' }); // unreadable: ignored
    await budget.acquire('write');
  });
});

describe('sealed box (what replicas share in Redis)', () => {
  const box = new SealedBox('the client secret', 'deployment');

  it('opens what it sealed, for the same key name only', () => {
    const sealed = box.seal('eyJ.the.token', 'usergate:x:mgmt-token');
    expect(sealed).not.toContain('eyJ');
    expect(box.open(sealed, 'usergate:x:mgmt-token')).toBe('eyJ.the.token');
    expect(box.open(sealed, 'usergate:x:caller:abc')).toBeUndefined();
  });

  it('does not open with another secret, nor a tampered or forged value', () => {
    const sealed = box.seal('{"sub":"a","roles":[]}', 'k');
    expect(new SealedBox('another secret', 'deployment').open(sealed, 'k')).toBeUndefined();
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(box.open([parts[0], parts[1], parts[2], flipped.toString('base64url')].join('.'), 'k')).toBeUndefined();
    expect(box.open('{"sub":"a","roles":["admin"]}', 'k')).toBeUndefined();
  });
});

describe('cluster configuration', () => {
  const base = { AUTH0_DOMAIN: 'acme.eu.auth0.com', AUTH0_AUDIENCE: 'a', MGMT_CLIENT_ID: 'c', MGMT_CLIENT_SECRET: 's' };

  it('defaults to Auth0 Essentials budgets and a caller share of a quarter of the reads, without Redis', () => {
    expect(loadConfig(base).cluster).toEqual({
      redisUrl: undefined,
      degradedTtlS: 5,
      read: { burst: 40, perMinute: 500 },
      write: { burst: 20, perMinute: 200 },
      other: { burst: 10, perMinute: 150 },
      caller: { burst: 10, perMinute: 125 },
      queueMs: 2000,
    });
    expect(loadConfig({ ...base, MGMT_RATE_READ: '2/120' }).cluster.caller).toEqual({ burst: 1, perMinute: 30 });
  });

  it.each([
    ['MGMT_RATE_READ', '40'],
    ['MGMT_RATE_WRITE', '0/200'],
    ['MGMT_RATE_OTHER', '10'],
    ['CALLER_RATE', '5/-1'],
    ['MGMT_RATE_READ', '1.5/60'],
    ['MGMT_QUEUE_MS', 'soon'],
  ])('%s=%s stops start-up naming the variable', (name, value) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(new RegExp(`^Invalid configuration: ${name} `));
  });

  it('REDIS_URL accepts redis:// and rediss:// with a password, refuses anything else without echoing it', () => {
    expect(loadConfig({ ...base, REDIS_URL: 'rediss://:p%40ss@redis.internal:6380/0' }).cluster.redisUrl).toBe(
      'rediss://:p%40ss@redis.internal:6380/0',
    );
    let message = '';
    try {
      loadConfig({ ...base, REDIS_URL: 'http://:secretpw@redis:6379' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration: REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(message).not.toContain('secretpw');
  });
});
