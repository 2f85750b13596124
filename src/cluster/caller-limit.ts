import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { errors } from '../errors';
import type { Rate } from '../lib/rate';
import type { Buckets } from './shared-buckets';

/**
 * Fair share (CALLER_RATE): after token verification and before anything reaches Auth0 (even the
 * caller lookup), one bucket per token subject. Over its share a caller is answered 429 at once,
 * so a runaway script cannot drain the upstream budget that every other caller shares.
 */
export function callerLimit(buckets: Buckets, rate: Rate) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    try {
      const sub = (req as Request & { auth?: { sub?: unknown } }).auth?.sub;
      if (typeof sub !== 'string') return next();
      const key = `caller:${createHash('sha256').update(sub).digest('base64url')}`;
      const { granted, waitMs } = await buckets.take(key, rate, 0);
      next(granted ? undefined : errors.callerRateLimited(Math.max(1, Math.ceil(waitMs / 1000))));
    } catch (err) {
      next(err);
    }
  };
}
