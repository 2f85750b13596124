import { errors } from '../errors';
import type { Buckets } from './shared-buckets';
import type { Rate } from '../lib/rate';

/** Auth0's Management API buckets: users reads, users writes, and "all other endpoints" (tickets, jobs, user-blocks, device credentials). */
export type CallKind = 'read' | 'write' | 'other';

export interface UpstreamBudgetOptions {
  buckets: Buckets;
  /** MGMT_RATE_READ, MGMT_RATE_WRITE and MGMT_RATE_OTHER. */
  rates: Record<CallKind, Rate>;
  /** MGMT_QUEUE_MS: longest wait for a token. */
  queueMs: number;
  sleep?: (ms: number) => Promise<void>;
}

/** What the Management API client asks before each upstream call, and tells after it. */
export interface UpstreamBudget {
  /** Resolves when the call may go (perhaps after waiting its turn); throws `429 rate_limited` otherwise. */
  acquire(kind: CallKind): Promise<void>;
  /** Auth0's `x-ratelimit-remaining` of an answer: the bucket never believes in more than that. */
  observe(kind: CallKind, headers: Record<string, string | string[] | undefined>): void;
}

const header = (headers: Record<string, string | string[] | undefined>, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * One budget for the Management API, per kind of call (Auth0 limits users reads, users writes and
 * all other endpoints apart): a
 * token bucket, shared by the cluster when the buckets live in Redis. A call waits at most
 * `queueMs` for its token, else it is answered 429 without reaching Auth0.
 */
export function upstreamBudget(options: UpstreamBudgetOptions): UpstreamBudget {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return {
    async acquire(kind) {
      const { granted, waitMs } = await options.buckets.take(`budget:${kind}`, options.rates[kind], options.queueMs);
      if (!granted) throw errors.budgetExhausted(Math.max(1, Math.ceil(waitMs / 1000)));
      if (waitMs > 0) await sleep(waitMs);
    },
    observe(kind, headers) {
      const remaining = Number(header(headers, 'x-ratelimit-remaining'));
      if (header(headers, 'x-ratelimit-remaining') === undefined || !Number.isFinite(remaining) || remaining < 0) return;
      // Only when Auth0 says less is left than the bucket could hold; a failure here changes nothing.
      if (remaining < options.rates[kind].burst)
        void options.buckets.follow(`budget:${kind}`, options.rates[kind], remaining).catch(() => undefined);
    },
  };
}
