import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { expressjwt, UnauthorizedError } from 'express-jwt';
import type { Jwt } from 'jsonwebtoken';
import { errors, HttpError } from '../errors';
import type { SigningKeys } from './signing-keys';
import { VerifiedTokens } from './verified-tokens';

export interface VerifyTokenOptions {
  keys: SigningKeys;
  /** Exact `iss`. */
  issuer: string;
  /** The API identifier the token must carry in `aud`. */
  audience: string;
  /** Accepted `alg` values; asymmetric only (config refuses `none` and HS*). */
  algorithms: string[];
  /** Allowed clock skew, in s. */
  clockToleranceS: number;
  /** Verified tokens remembered until they expire; default 10000, 0 disables. */
  cacheEntries?: number;
  /** Clock, in ms since the epoch; default `Date.now`. */
  now?: () => number;
}

const BEARER = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/;

const KID = /^[A-Za-z0-9_.:=+/-]{1,128}$/;

/** Maps express-jwt's errors onto the catalogue; no token content is echoed. */
function mapError(err: unknown): unknown {
  if (err instanceof HttpError || !(err instanceof UnauthorizedError)) return err;
  switch (err.code) {
    case 'credentials_required':
      return errors.credentialsRequired();
    case 'credentials_bad_scheme':
    case 'credentials_bad_format':
      return errors.invalidRequest('Send the token as Authorization: Bearer <token>.');
    default:
      break;
  }
  const inner = err.inner as Error | undefined;
  if (inner?.name === 'TokenExpiredError') return errors.tokenExpired();
  if (inner?.name === 'NotBeforeError') return errors.invalidToken('The token is not valid yet (nbf).');
  const message = inner?.message ?? '';
  if (message.includes('audience')) return errors.invalidToken('The token was not issued for this API (aud).');
  if (message.includes('issuer')) return errors.invalidToken('The token was not issued by the expected tenant (iss).');
  if (message.includes('algorithm')) return errors.invalidToken('The token is signed with an algorithm that is not accepted.');
  if (message.includes('signature')) return errors.invalidToken('The token signature is invalid.');
  return errors.invalidToken('The token is malformed or invalid.');
}

/**
 * Verifies the app access token (RFC 6750 bearer, RS256 by default) with express-jwt against the
 * tenant's JWKS; on success `req.auth` holds the claims.
 */
export function verifyToken(options: VerifyTokenOptions): RequestHandler {
  if (options.algorithms.some((a) => a === 'none' || a.startsWith('HS'))) {
    throw new TypeError('verifyToken: "none" and HMAC algorithms are never accepted');
  }
  /** The kid express-jwt decoded for each request, so a verified token can be cached without decoding it again. */
  const kids = new WeakMap<Request, string>();
  const check = expressjwt({
    algorithms: options.algorithms as never,
    issuer: options.issuer,
    audience: options.audience,
    clockTolerance: options.clockToleranceS,
    secret: async (req: Request, token: Jwt | undefined) => {
      if (!token || typeof token.payload !== 'object') throw errors.invalidToken('The token is malformed or invalid.');
      if (!options.algorithms.includes(token.header.alg)) {
        throw errors.invalidToken('The token is signed with an algorithm that is not accepted.');
      }
      const kid = token.header.kid;
      if (typeof kid !== 'string' || !KID.test(kid)) throw errors.invalidToken('The token names no usable signing key (kid).');
      kids.set(req, kid);
      return options.keys.keyFor(kid);
    },
  });
  const caching = (options.cacheEntries ?? 10_000) > 0;
  const verified = new VerifiedTokens({
    maxEntries: options.cacheEntries ?? 10_000,
    toleranceS: options.clockToleranceS,
    now: options.now ?? Date.now,
    keyIsPublished: (kid) => options.keys.isPublished(kid),
  });
  return (req: Request, res: Response, next: NextFunction) => {
    const token = BEARER.exec(req.headers.authorization ?? '')?.[1];
    const known = token && caching ? verified.get(token) : undefined;
    if (known) {
      (req as Request & { auth?: unknown }).auth = known;
      return next();
    }
    check(req, res, (err?: unknown) => {
      if (err) return next(mapError(err));
      const claims = (req as Request & { auth?: Record<string, unknown> }).auth ?? {};
      const sub = claims.sub;
      if (typeof sub !== 'string' || sub === '' || sub.length > 512) return next(errors.invalidToken('The token has no subject (sub).'));
      if (typeof claims.exp !== 'number') return next(errors.invalidToken('The token has no expiry (exp).'));
      const kid = kids.get(req);
      if (token && kid && caching) verified.set(token, claims, kid);
      next();
    });
  };
}
