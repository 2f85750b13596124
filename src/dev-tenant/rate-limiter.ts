import type { NextFunction, Request, Response } from 'express';
import { sendApiError } from './errors';

export interface RateLimitOptions {
  /** Bucket size, in requests; default 1000. */
  capacity: number;
  /** Refill rate, in requests per second; default 1000. */
  refillPerSecond: number;
}

/** Auth0-style token bucket with `x-ratelimit-*` headers (reset in UNIX epoch seconds). */
export class RateLimiter {
  private tokens: number;
  private last: number;
  /** Requests answered 429 so far (what a cluster's shared budget should keep at zero). */
  refused = 0;

  constructor(
    private options: RateLimitOptions = { capacity: 1000, refillPerSecond: 1000 },
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = options.capacity;
    this.last = now();
  }

  configure(options: RateLimitOptions): void {
    this.options = options;
    this.tokens = options.capacity;
    this.last = this.now();
  }

  private refill(): void {
    const now = this.now();
    const { capacity, refillPerSecond } = this.options;
    this.tokens = Math.min(capacity, this.tokens + ((now - this.last) / 1000) * refillPerSecond);
    this.last = now;
  }

  middleware() {
    return (_req: Request, res: Response, next: NextFunction): void => {
      this.refill();
      const { capacity, refillPerSecond } = this.options;
      const allowed = this.tokens >= 1;
      if (allowed) this.tokens -= 1;
      const secondsToFull = refillPerSecond > 0 ? (capacity - this.tokens) / refillPerSecond : 3600;
      res.setHeader('x-ratelimit-limit', String(capacity));
      res.setHeader('x-ratelimit-remaining', String(Math.floor(this.tokens)));
      res.setHeader('x-ratelimit-reset', String(Math.ceil(this.now() / 1000 + (allowed ? secondsToFull : Math.max(1, 1 / Math.max(refillPerSecond, 1e-9))))));
      if (allowed) return next();
      this.refused += 1;
      sendApiError(res, 429, 'Global limit has been reached', 'too_many_requests');
    };
  }
}
