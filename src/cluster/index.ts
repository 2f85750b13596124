import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config/env';
import { callerLimit } from './caller-limit';
import { Coalescer } from './coalesce';
import { RedisConnection, type SharingState } from './redis-connection';
import { SealedBox } from './sealed-box';
import { RedisCallerStore, type SharedCallerStore } from './shared-caller-store';
import { memoryBuckets, redisBuckets } from './shared-buckets';
import { RedisTokenStore, type SharedTokenStore } from './shared-token-store';
import { upstreamBudget, type UpstreamBudget } from './upstream-budget';

/** What replicas share (Redis) or, without REDIS_URL, what paces this one process. */
export interface Cluster {
  /** `off` without REDIS_URL; else `shared` or `degraded` (Redis unreachable or slow: local state serves). */
  state(): SharingState;
  tokenStore?: SharedTokenStore;
  callerStore?: SharedCallerStore;
  budget: UpstreamBudget;
  callerLimit: RequestHandler;
  coalescer: Coalescer;
  /** Waits (bounded) for Redis at start-up, so a replica starts sharing rather than alone. */
  connect(): Promise<void>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  config: Readonly<Config>;
  logger: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Builds the shared pieces from the config. The Redis keys of one deployment are prefixed by a hash
 * of its tenant and client, so two deployments on one Redis never read each other's state.
 */
export function buildCluster({ config, logger, now, sleep }: ClusterOptions): Cluster {
  const { cluster, management } = config;
  const local = memoryBuckets(now);
  const common = { coalescer: new Coalescer() };
  if (!cluster.redisUrl) {
    return {
      ...common,
      state: () => 'off',
      budget: upstreamBudget({ buckets: local, rates: cluster, queueMs: cluster.queueMs, sleep }),
      callerLimit: callerLimit(local, cluster.caller),
      connect: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
  }
  const deployment = createHash('sha256')
    .update(`${management.apiUrl}\n${management.clientId}\n${management.audience}`)
    .digest('hex')
    .slice(0, 16);
  const prefix = `usergate:${deployment}:`;
  const connection = new RedisConnection({ url: cluster.redisUrl, logger });
  const box = new SealedBox(management.clientSecret, deployment);
  const buckets = redisBuckets(connection, `${prefix}bucket:`, local);
  return {
    ...common,
    state: () => connection.state,
    tokenStore: new RedisTokenStore(connection, box, prefix, management.timeoutMs, now),
    callerStore: new RedisCallerStore({ connection, box, prefix, ttlMs: config.roles.cacheTtlS * 1000, waitMs: management.timeoutMs }),
    budget: upstreamBudget({ buckets, rates: cluster, queueMs: cluster.queueMs, sleep }),
    callerLimit: callerLimit(buckets, cluster.caller),
    connect: () => connection.connect(),
    close: () => connection.close(),
  };
}
