import { createHash, randomBytes } from 'node:crypto';

/** What /authorize bound a code to; the token endpoint must be shown the same. */
export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  sub: string;
  audience: string;
  scope: string;
  nonce: string | undefined;
  /** The organization the user signed in through (`organization` on /authorize); its tokens carry `org_id`. */
  orgId?: string;
}

/** Why a code exchange failed, in OAuth's words (RFC 6749 §5.2). */
export class GrantError extends Error {
  constructor(
    readonly error: 'invalid_grant' | 'invalid_request',
    message: string,
  ) {
    super(message);
  }
}

/** Lifetime of an authorization code, in ms: a browser redeems it within a second or two. */
export const CODE_TTL_MS = 60_000;

/** base64url(SHA-256(verifier)): the S256 code challenge of RFC 7636. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** RFC 7636 §4.1: 43 to 128 characters of [A-Za-z0-9-._~]. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/**
 * Authorization codes: random, short-lived, single use (a code is gone on its first exchange,
 * whatever the outcome), bound to the client, the redirect URI and the PKCE challenge.
 */
export class AuthorizationCodes {
  private readonly codes = new Map<string, CodeGrant & { expiresAt: number }>();

  constructor(private readonly now: () => number) {}

  issue(grant: CodeGrant): string {
    this.sweep();
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { ...grant, expiresAt: this.now() + CODE_TTL_MS });
    return code;
  }

  /** The grant behind a code, checked against what the token request presents; throws `GrantError`. */
  redeem(request: { code: unknown; clientId: unknown; redirectUri: unknown; codeVerifier: unknown }): CodeGrant {
    if (typeof request.code !== 'string' || !request.code) throw new GrantError('invalid_request', 'Missing required parameter: code');
    if (typeof request.codeVerifier !== 'string' || !request.codeVerifier) {
      throw new GrantError('invalid_request', 'Missing required parameter: code_verifier');
    }
    const stored = this.codes.get(request.code);
    this.codes.delete(request.code);
    if (!stored || stored.expiresAt <= this.now()) throw new GrantError('invalid_grant', 'Invalid authorization code');
    if (stored.clientId !== request.clientId) throw new GrantError('invalid_grant', 'Invalid authorization code');
    if (stored.redirectUri !== request.redirectUri) {
      throw new GrantError('invalid_grant', 'The redirect_uri MUST match the one used in the authorization request');
    }
    if (!VERIFIER.test(request.codeVerifier) || s256(request.codeVerifier) !== stored.codeChallenge) {
      throw new GrantError('invalid_grant', 'Failed PKCE verification');
    }
    return stored;
  }

  private sweep(): void {
    const now = this.now();
    for (const [code, grant] of this.codes) if (grant.expiresAt <= now) this.codes.delete(code);
  }
}
