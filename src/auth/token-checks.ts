import { UnauthorizedError } from 'express-jwt';
import { errors, HttpError } from '../errors';

/** The verified claims of an app access token. */
export type Claims = Readonly<Record<string, unknown>>;

/** A token as the library decodes it (header and payload, unverified), or nothing for garbage. */
export type DecodedToken = { header: { alg: string; kid?: string }; payload: unknown } | null | undefined;

/** What a token must satisfy, besides its signature. */
export interface TokenRules {
  /** Exact `iss`. */
  issuer: string;
  /** The API identifier the token must carry in `aud`. */
  audience: string;
  /** Accepted `alg` values; asymmetric only (config refuses `none` and HS*). */
  algorithms: string[];
  /** Allowed clock skew, in s. */
  clockToleranceS: number;
}

const KID = /^[A-Za-z0-9_.:=+/-]{1,128}$/;

/** Refuses rules that would accept an unsigned or HMAC token (the key is public, so HMAC would be forgeable). */
export function checkRules(rules: TokenRules): void {
  if (rules.algorithms.some((a) => a === 'none' || a.startsWith('HS'))) {
    throw new TypeError('verifyToken: "none" and HMAC algorithms are never accepted');
  }
}

/**
 * The `kid` of a decoded (not yet verified) token, whose signing key is then looked up: refused
 * before any key lookup when the token is not a JWT, its `alg` is not accepted, or its `kid` is
 * missing or not a plausible key id (a random kid must not reach the JWKS endpoint unchecked).
 */
export function signingKid(decoded: DecodedToken, rules: TokenRules): string {
  if (!decoded || typeof decoded.payload !== 'object' || decoded.payload === null)
    throw errors.invalidToken('The token is malformed or invalid.');
  if (!rules.algorithms.includes(decoded.header.alg))
    throw errors.invalidToken('The token is signed with an algorithm that is not accepted.');
  const kid = decoded.header.kid;
  if (typeof kid !== 'string' || !KID.test(kid)) throw errors.invalidToken('The token names no usable signing key (kid).');
  return kid;
}

/** The claims of a verified token, which must name a subject and an expiry (usergate caches by both). */
export function requireSubjectAndExpiry(claims: unknown): Claims {
  if (typeof claims !== 'object' || claims === null) throw errors.invalidToken('The token is malformed or invalid.');
  const { sub, exp } = claims as Record<string, unknown>;
  if (typeof sub !== 'string' || sub === '' || sub.length > 512) throw errors.invalidToken('The token has no subject (sub).');
  if (typeof exp !== 'number') throw errors.invalidToken('The token has no expiry (exp).');
  return claims as Claims;
}

/**
 * express-jwt's UnauthorizedError (and the jsonwebtoken error it wraps in `inner`) onto the
 * catalogue; no token content is echoed. The libraries tell the cases apart by error code, class
 * name and message text, so test/unit/token-checks.test.ts pins each case with a real token through
 * the real middleware: a dependency bump that changes one fails there, not in production.
 */
export function classifyVerificationError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof UnauthorizedError) {
    switch (err.code) {
      case 'credentials_required':
        return errors.credentialsRequired();
      case 'credentials_bad_scheme':
      case 'credentials_bad_format':
        return errors.invalidRequest('Send the token as Authorization: Bearer <token>.');
      case 'invalid_token':
        return classifyJsonwebtokenError(err.inner);
      default:
        return errors.invalidToken('The token is malformed or invalid.');
    }
  }
  return classifyJsonwebtokenError(err);
}

/** jsonwebtoken's verification errors, by class name and message. */
function classifyJsonwebtokenError(err: unknown): HttpError {
  const { name, message } = err instanceof Error ? err : { name: '', message: '' };
  if (name === 'TokenExpiredError') return errors.tokenExpired();
  if (name === 'NotBeforeError') return errors.invalidToken('The token is not valid yet (nbf).');
  if (message.startsWith('jwt audience invalid')) return errors.invalidToken('The token was not issued for this API (aud).');
  if (message.startsWith('jwt issuer invalid')) return errors.invalidToken('The token was not issued by the expected tenant (iss).');
  if (message === 'invalid algorithm') return errors.invalidToken('The token is signed with an algorithm that is not accepted.');
  if (message === 'invalid signature') return errors.invalidToken('The token signature is invalid.');
  return errors.invalidToken('The token is malformed or invalid.');
}
