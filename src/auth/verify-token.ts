import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { expressjwt, type Params } from 'express-jwt';
import type { Now } from '../lib/clock';
import { extractBearer } from './bearer';
import type { SigningKeys } from './signing-keys';
import { checkRules, classifyVerificationError, requireSubjectAndExpiry, signingKid, type TokenRules } from './token-checks';
import { VerifiedTokens } from './verified-tokens';

export interface VerifyTokenOptions extends TokenRules {
  keys: SigningKeys;
  /** Verified tokens remembered until they expire; default 10000, 0 disables. */
  cacheEntries?: number;
  now?: Now;
}

const tokenOf = (req: Request): string => extractBearer(req.headers.authorization);

/**
 * The thin Express adapter: express-jwt verifies the bearer token (bearer.ts extracts it) with the
 * signing key of its `kid` (SigningKeys over the tenant's JWKS): signature, algorithm, `iss`, `aud`,
 * `exp`/`nbf`. The framework-free rules around it live in token-checks.ts (which `kid`, which claims
 * must be there, which error means what). A token that passed is remembered by its exact string
 * until it expires (verified-tokens.ts), so a repeated token skips decoding and the RSA check.
 * On success `req.auth` holds the claims; otherwise the catalogue error goes to the error handler.
 */
export function verifyToken(options: VerifyTokenOptions): RequestHandler {
  checkRules(options);
  /** The kid decoded for each request, so a verified token is cached without decoding it again. */
  const kids = new WeakMap<Request, string>();
  const check = expressjwt({
    algorithms: options.algorithms as Params['algorithms'],
    issuer: options.issuer,
    audience: options.audience,
    clockTolerance: options.clockToleranceS,
    getToken: tokenOf,
    secret: (req, decoded) => {
      const kid = signingKid(decoded, options);
      kids.set(req, kid);
      return options.keys.keyFor(kid);
    },
  });
  const entries = options.cacheEntries ?? 10_000;
  const verified =
    entries > 0
      ? new VerifiedTokens({
          maxEntries: entries,
          toleranceS: options.clockToleranceS,
          now: options.now ?? Date.now,
          keyIsPublished: (kid) => options.keys.isPublished(kid),
        })
      : undefined;
  return (req: Request, res: Response, next: NextFunction): void => {
    let token: string;
    try {
      token = tokenOf(req);
    } catch (err) {
      return next(err);
    }
    const known = verified?.get(token);
    if (known) {
      req.auth = known;
      return next();
    }
    // express-jwt settles every outcome through its callback; its promise never rejects.
    void check(req, res, (err?: unknown) => {
      if (err) return next(classifyVerificationError(err));
      try {
        const claims = requireSubjectAndExpiry(req.auth);
        const kid = kids.get(req);
        if (kid) verified?.set(token, claims, kid);
        next();
      } catch (failed) {
        next(failed);
      }
    });
  };
}
