import type { Rate } from '../lib/rate';

export type { Rate };

/** A bucket's state: tokens (negative while requests wait for reserved tokens) as of `at` (ms). */
export interface BucketState {
  tokens: number;
  at: number;
}

/** The answer to "may one request go?": granted after `waitMs`, or refused (retry in `waitMs`). */
export interface Take {
  granted: boolean;
  waitMs: number;
}

const perMs = (rate: Rate): number => rate.perMinute / 60_000;

/** The state refilled up to `now`, never above the burst. */
export function refill(state: BucketState | undefined, now: number, rate: Rate): BucketState {
  if (!state) return { tokens: rate.burst, at: now };
  const elapsed = Math.max(0, now - state.at);
  return { tokens: Math.min(rate.burst, state.tokens + elapsed * perMs(rate)), at: Math.max(now, state.at) };
}

/**
 * Token bucket with reservations: a request takes a token now if one is there; otherwise it reserves
 * the next one (the count goes below zero) when that arrives within `maxWaitMs`, and waits for it;
 * otherwise it is refused with the time until a token would be free, and takes nothing.
 * The Lua script in redis-bucket.ts does the same arithmetic inside Redis.
 */
export function take(state: BucketState | undefined, now: number, rate: Rate, maxWaitMs: number): { state: BucketState; result: Take } {
  const current = refill(state, now, rate);
  const waitMs = current.tokens >= 1 ? 0 : Math.ceil((1 - current.tokens) / perMs(rate));
  if (waitMs > maxWaitMs) return { state: current, result: { granted: false, waitMs } };
  return { state: { tokens: current.tokens - 1, at: current.at }, result: { granted: true, waitMs } };
}

/** Follows the upstream when it says fewer requests remain than the bucket believes. */
export function follow(state: BucketState | undefined, now: number, rate: Rate, remaining: number): BucketState {
  const current = refill(state, now, rate);
  return { tokens: Math.min(current.tokens, remaining), at: current.at };
}

/** Buckets of one process, keyed by name; at most `maxKeys` (the least recently used is forgotten). */
export class MemoryBuckets {
  private readonly states = new Map<string, BucketState>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  take(key: string, rate: Rate, maxWaitMs: number): Take {
    const { state, result } = take(this.states.get(key), this.now(), rate, maxWaitMs);
    this.store(key, state);
    return result;
  }

  follow(key: string, rate: Rate, remaining: number): void {
    this.store(key, follow(this.states.get(key), this.now(), rate, remaining));
  }

  private store(key: string, state: BucketState): void {
    this.states.delete(key);
    this.states.set(key, state);
    if (this.states.size > this.maxKeys) this.states.delete(this.states.keys().next().value!);
  }
}
