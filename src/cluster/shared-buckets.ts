import type { RedisConnection } from './redis-connection';
import { MemoryBuckets, type Rate, type Take } from './token-bucket';

/** Token buckets by name: in Redis for the whole cluster, or in this process. */
export interface Buckets {
  take(key: string, rate: Rate, maxWaitMs: number): Promise<Take>;
  /** The upstream says only `remaining` requests are left: the bucket holds no more than that. */
  follow(key: string, rate: Rate, remaining: number): Promise<void>;
}

/** Local buckets behind the same interface (one process, or Redis down). */
export function memoryBuckets(now?: () => number): Buckets & { local: MemoryBuckets } {
  const local = new MemoryBuckets(now);
  return {
    local,
    take: (key, rate, maxWaitMs) => Promise.resolve(local.take(key, rate, maxWaitMs)),
    follow: (key, rate, remaining) => Promise.resolve(local.follow(key, rate, remaining)),
  };
}

/*
 * The arithmetic of token-bucket.ts (`refill`, `take`, `follow`), atomically inside Redis on Redis's
 * own clock (TIME), so that replicas with skewed clocks share one bucket. State: hash {tokens, at}.
 */
const PRELUDE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local burst = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2]) / 60000
local s = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(s[1]) or burst
local at = tonumber(s[2]) or now
if now > at then tokens = math.min(burst, tokens + (now - at) * per_ms); at = now end
local function save()
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
  redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / per_ms) + 60000)
end
`;

const TAKE = `${PRELUDE}
local wait = 0
if tokens < 1 then wait = math.ceil((1 - tokens) / per_ms) end
if wait > tonumber(ARGV[3]) then save() return {0, wait} end
tokens = tokens - 1
save()
return {1, wait}
`;

const FOLLOW = `${PRELUDE}
tokens = math.min(tokens, tonumber(ARGV[3]))
save()
return 1
`;

type BucketRedis = {
  bucketTake(key: string, burst: number, perMinute: number, maxWaitMs: number): Promise<[number, number]>;
  bucketFollow(key: string, burst: number, perMinute: number, remaining: number): Promise<number>;
};

/** Buckets in Redis, shared by every replica; local buckets answer while Redis is down or slow. */
export function redisBuckets(connection: RedisConnection, prefix: string, fallback: Buckets = memoryBuckets()): Buckets {
  connection.client.defineCommand('bucketTake', { numberOfKeys: 1, lua: TAKE });
  connection.client.defineCommand('bucketFollow', { numberOfKeys: 1, lua: FOLLOW });
  const redis = connection.client as unknown as BucketRedis;
  return {
    take: (key, rate, maxWaitMs) =>
      connection.run(
        async () => {
          const [granted, waitMs] = await redis.bucketTake(prefix + key, rate.burst, rate.perMinute, maxWaitMs);
          return { granted: granted === 1, waitMs };
        },
        () => fallback.take(key, rate, maxWaitMs),
      ),
    follow: async (key, rate, remaining) => {
      await connection.run(
        () => redis.bucketFollow(prefix + key, rate.burst, rate.perMinute, remaining),
        async () => {
          await fallback.follow(key, rate, remaining);
          return 0;
        },
      );
    },
  };
}
