import type { NextFunction, Request, Response } from 'express';
import { sendApiError } from './errors';
import { resolveRateLimit, type BucketSpec, type RateLimitPreset, type RateLimitSetting } from './rate-limit-presets';

/** The endpoints outside the users buckets (Essentials and Professional count them together). */
const OTHER_ENDPOINTS = /^\/(tickets|jobs|user-blocks|device-credentials|organizations)(\/|$)/;

/** One fixed-window refilled token bucket. */
class Bucket {
  private tokens: number;
  private window: number;

  constructor(
    readonly spec: BucketSpec,
    private readonly now: () => number,
  ) {
    this.tokens = spec.burst;
    this.window = this.windowAt(now());
  }

  private windowAt(ms: number): number {
    return Math.floor(ms / this.spec.windowMs);
  }

  /** Takes a token if there is one; returns the state for the headers. */
  take(): { allowed: boolean; remaining: number; resetS: number } {
    const now = this.now();
    const window = this.windowAt(now);
    if (window > this.window) this.tokens = Math.min(this.spec.burst, this.tokens + (window - this.window) * this.spec.refill);
    this.window = window;
    const allowed = this.tokens >= 1;
    if (allowed) this.tokens -= 1;
    const nextRefillMs = (window + 1) * this.spec.windowMs;
    return { allowed, remaining: Math.floor(this.tokens), resetS: Math.ceil(nextRefillMs / 1000) };
  }
}

/**
 * Auth0's Management API rate limiting: token buckets refilled on a fixed window, reads and writes
 * apart (one shared bucket on the free plan), `x-ratelimit-limit` / `-remaining` / `-reset` (the
 * epoch second of the next refill), and 429 "Global limit has been reached" without Retry-After.
 */
export class RateLimiter {
  private read!: Bucket;
  private write!: Bucket;
  private other?: Bucket;
  private current!: RateLimitPreset;
  /** Requests answered 429 so far (what a cluster's shared budget should keep at zero). */
  refused = 0;

  constructor(
    setting: RateLimitSetting | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.configure(setting);
  }

  /** The limits in force. */
  get preset(): RateLimitPreset {
    return this.current;
  }

  /** Switches limits (a preset name, a preset, or one `{capacity, refillPerSecond}` bucket); buckets start full. */
  configure(setting: RateLimitSetting | undefined): void {
    this.current = resolveRateLimit(setting);
    this.read = new Bucket(this.current.read, this.now);
    this.write = this.current.shared ? this.read : new Bucket(this.current.write, this.now);
    this.other = this.current.other && !this.current.shared ? new Bucket(this.current.other, this.now) : undefined;
  }

  middleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const bucket =
        this.other && OTHER_ENDPOINTS.test(req.path) ? this.other : req.method === 'GET' || req.method === 'HEAD' ? this.read : this.write;
      const { allowed, remaining, resetS } = bucket.take();
      res.setHeader('x-ratelimit-limit', String(bucket.spec.burst));
      res.setHeader('x-ratelimit-remaining', String(remaining));
      res.setHeader('x-ratelimit-reset', String(resetS));
      if (allowed) return next();
      this.refused += 1;
      sendApiError(res, 429, 'Global limit has been reached', 'too_many_requests');
    };
  }
}
