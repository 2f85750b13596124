import Redis from 'ioredis';
import pino from 'pino';
import { RedisConnection } from '../../src/cluster/redis-connection';
import { SealedBox } from '../../src/cluster/sealed-box';
import { RedisCallerStore } from '../../src/cluster/shared-caller-store';
import { startRedis } from '../helpers/cluster';
import { waitFor } from '../helpers/wait';

/*
 * The versioned caller store against a real redis-server. Each "replica" is its own RedisConnection
 * and store; expiry is on Redis's clock, so the tests wait on Redis's TIME, not on a sleep.
 */
const PREFIX = 'usergate:test:';
const TTL_MS = 400;
let redis: Awaited<ReturnType<typeof startRedis>>;
let client: Redis;
const connections: RedisConnection[] = [];
beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
}, 30_000);
afterAll(async () => {
  client.disconnect();
  await Promise.all(connections.map((c) => c.close()));
  await redis.stop();
});

async function replica(): Promise<RedisCallerStore> {
  const connection = new RedisConnection({ url: redis.url, logger: pino({ level: 'silent' }) });
  connections.push(connection);
  await connection.connect();
  return new RedisCallerStore({ connection, box: new SealedBox('secret', 'test'), prefix: PREFIX, ttlMs: TTL_MS, waitMs: 1000 });
}

const isRoles = (value: unknown): value is string[] => Array.isArray(value);
const redisNow = async () => {
  const [s, us] = await client.time();
  return Number(s) * 1000 + Math.floor(Number(us) / 1000);
};
const untilRedisTime = (at: number) => waitFor(async () => ((await redisNow()) >= at ? true : undefined), 'Redis clock');

describe('RedisCallerStore (real Redis)', () => {
  it("a revocation of unknown outcome unsettles the subject for every replica: nothing of it is stored until the window ends (Redis's clock)", async () => {
    const [a, b] = [await replica(), await replica()];
    const sub = 'auth0|unsettled';
    let lookups = 0;
    const lookup = () => Promise.resolve({ value: [`v${++lookups}`], unknown: false });
    expect((await b.load('caller', sub, isRoles, lookup))!.leftMs).toBeGreaterThan(0);
    const revoked = await redisNow();
    await a.revoke(sub, 300);
    expect(await b.state(sub)).toEqual({ generation: 1, unsettled: true });
    // Looked up, not stored: the next load looks up again.
    expect(await b.load('caller', sub, isRoles, lookup)).toMatchObject({ value: ['v2'], leftMs: 0 });
    expect(await b.load('caller', sub, isRoles, lookup)).toMatchObject({ value: ['v3'], leftMs: 0 });
    await untilRedisTime(revoked + 301);
    expect(await b.state(sub)).toEqual({ generation: 1, unsettled: false });
    expect((await b.load('caller', sub, isRoles, lookup))!.leftMs).toBeGreaterThan(0);
    expect((await a.load('caller', sub, isRoles, lookup))!.value).toEqual(['v4']);
    // An acknowledged revocation bumps only: no window.
    await a.revoke(sub);
    expect(await b.state(sub)).toEqual({ generation: 2, unsettled: false });
  });

  it('another replica is given what is left of the shared entry, not a fresh TTL', async () => {
    const [a, b] = [await replica(), await replica()];
    await a.load('caller', 'auth0|left', isRoles, () => Promise.resolve({ value: ['reader'], unknown: false }));
    // The entry was made (its lookup started) before this instant.
    const made = await redisNow();
    await untilRedisTime(made + 150);
    const read = await b.load('caller', 'auth0|left', isRoles, () => Promise.reject(new Error('not looked up again')));
    expect(read!.value).toEqual(['reader']);
    expect(read!.leftMs).toBeLessThanOrEqual(TTL_MS - 150);
  });

  it('a replay with the counter reset grants nothing past the expiry sealed in the entry', async () => {
    const store = await replica();
    const sub = 'auth0|replayed';
    let lookups = 0;
    const lookup = () => {
      lookups += 1;
      return Promise.resolve({ value: lookups === 1 ? ['steward'] : [], unknown: false });
    };
    await store.load('caller', sub, isRoles, lookup);
    const made = await redisNow();
    const [entry] = await client.keys(`${PREFIX}caller:*`).then((keys) => keys.filter((k) => !k.includes(':lock:')));
    const sealed = (await client.get(entry!))!;
    await store.revoke(sub);
    // Whoever writes Redis puts the old entry back and resets the generation counter.
    await client.del(`${PREFIX}generation:${entry!.split(':').at(-1)}`);
    await client.set(entry!, sealed, 'PX', 3_600_000);
    await untilRedisTime(made + TTL_MS + 1);
    expect((await store.load('caller', sub, isRoles, lookup))!.value).toEqual([]);
    expect(lookups).toBe(2);
  });

  it("one slot per organization: a subject's slots never open as one another, and one revocation makes every slot stale", async () => {
    const [a, b] = [await replica(), await replica()];
    const sub = 'auth0|slotted';
    let lookups = 0;
    const lookup = (org: string) => () => Promise.resolve({ value: [`${org}#${++lookups}`], unknown: false });
    const refuse = () => Promise.reject(new Error('not looked up again'));
    const entries = async () => (await client.keys(`${PREFIX}caller:*`)).filter((k) => !k.includes(':lock:'));
    const before = new Set(await entries());
    expect((await a.load('caller', sub, isRoles, lookup('org_N'), 'org_N'))!.value).toEqual(['org_N#1']);
    expect((await a.load('caller', sub, isRoles, lookup('org_S'), 'org_S'))!.value).toEqual(['org_S#2']);
    expect((await b.load('caller', sub, isRoles, refuse, 'org_N'))!.value).toEqual(['org_N#1']);
    expect((await b.load('caller', sub, isRoles, refuse, 'org_S'))!.value).toEqual(['org_S#2']);
    // The two slots' sealed entries swapped in Redis: neither opens under the other's key.
    const [first, second] = (await entries()).filter((k) => !before.has(k));
    const [one, two] = [await client.get(first!), await client.get(second!)];
    await client.set(first!, two!, 'PX', 60_000);
    await client.set(second!, one!, 'PX', 60_000);
    expect((await b.load('caller', sub, isRoles, lookup('org_N'), 'org_N'))!.value).toEqual(['org_N#3']);
    expect((await b.load('caller', sub, isRoles, lookup('org_S'), 'org_S'))!.value).toEqual(['org_S#4']);
    // One revocation of the subject: every slot is looked up again.
    await a.revoke(sub);
    expect((await b.load('caller', sub, isRoles, lookup('org_N'), 'org_N'))!.value).toEqual(['org_N#5']);
    expect((await b.load('caller', sub, isRoles, lookup('org_S'), 'org_S'))!.value).toEqual(['org_S#6']);
  });
});
