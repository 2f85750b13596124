import jwt, { type Algorithm, type JwtPayload } from 'jsonwebtoken';
import { errors, HttpError } from '../errors';
import type { Now } from '../lib/clock';
import type { SigningKeys } from './signing-keys';
import { VerifiedTokens } from './verified-tokens';

/** The verified claims of an app access token. */
export type Claims = Readonly<Record<string, unknown>>;

export interface TokenVerifierOptions {
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
  now?: Now;
}

const KID = /^[A-Za-z0-9_.:=+/-]{1,128}$/;

/**
 * jsonwebtoken's errors onto the catalogue; no token content is echoed. The library tells the cases
 * apart by error class and message text, so test/unit/token-verifier.test.ts pins each case with a
 * real token: a dependency bump that changes a message fails there, not in production.
 */
export function classifyVerificationError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof jwt.TokenExpiredError) return errors.tokenExpired();
  if (err instanceof jwt.NotBeforeError) return errors.invalidToken('The token is not valid yet (nbf).');
  const message = err instanceof Error ? err.message : '';
  if (message.startsWith('jwt audience invalid')) return errors.invalidToken('The token was not issued for this API (aud).');
  if (message.startsWith('jwt issuer invalid')) return errors.invalidToken('The token was not issued by the expected tenant (iss).');
  if (message === 'invalid algorithm') return errors.invalidToken('The token is signed with an algorithm that is not accepted.');
  if (message === 'invalid signature') return errors.invalidToken('The token signature is invalid.');
  return errors.invalidToken('The token is malformed or invalid.');
}

/**
 * Verifies an app access token, framework-free: decode, choose the signing key by `kid` (JWKS),
 * check signature, algorithm, `iss`, `aud`, `exp`/`nbf` (jsonwebtoken), then require `sub` and `exp`.
 * A token that passed is remembered until it expires (see verified-tokens.ts).
 */
export class TokenVerifier {
  private readonly verified?: VerifiedTokens;

  constructor(private readonly options: TokenVerifierOptions) {
    if (options.algorithms.some((a) => a === 'none' || a.startsWith('HS'))) {
      throw new TypeError('TokenVerifier: "none" and HMAC algorithms are never accepted');
    }
    const entries = options.cacheEntries ?? 10_000;
    if (entries > 0) {
      this.verified = new VerifiedTokens({
        maxEntries: entries,
        toleranceS: options.clockToleranceS,
        now: options.now ?? Date.now,
        keyIsPublished: (kid) => options.keys.isPublished(kid),
      });
    }
  }

  /** The token's claims, or an HttpError (401 invalid_token / token_expired, 503 jwks_unavailable). */
  async verify(token: string): Promise<Claims> {
    const known = this.verified?.get(token);
    if (known) return known;
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload !== 'object') throw errors.invalidToken('The token is malformed or invalid.');
    const { alg, kid } = decoded.header;
    if (!this.options.algorithms.includes(alg)) throw errors.invalidToken('The token is signed with an algorithm that is not accepted.');
    if (typeof kid !== 'string' || !KID.test(kid)) throw errors.invalidToken('The token names no usable signing key (kid).');
    const key = await this.options.keys.keyFor(kid);
    let claims: JwtPayload;
    try {
      claims = jwt.verify(token, key, {
        algorithms: this.options.algorithms as Algorithm[],
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: this.options.clockToleranceS,
      }) as JwtPayload;
    } catch (err) {
      throw classifyVerificationError(err);
    }
    const sub = claims.sub;
    if (typeof sub !== 'string' || sub === '' || sub.length > 512) throw errors.invalidToken('The token has no subject (sub).');
    if (typeof claims.exp !== 'number') throw errors.invalidToken('The token has no expiry (exp).');
    this.verified?.set(token, claims, kid);
    return claims;
  }
}
