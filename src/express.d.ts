/*
 * What usergate's middleware hands to the next, typed once: `req.auth` is set by auth/verify-token.ts,
 * `res.locals.operationContext` by routes/attach-caller.ts. Handlers read them without casts.
 */
import type { Claims } from './auth/token-checks';
import type { OperationContext } from './operations/context';

declare global {
  namespace Express {
    interface Request {
      /** The verified token's claims (after auth/verify-token.ts). */
      auth?: Claims;
    }
    interface Locals {
      /** This request's operation context (after routes/attach-caller.ts). */
      operationContext: OperationContext;
    }
  }
}

export {};
