import { BoundedCache } from '../lib/bounded-cache';
import type { Now } from '../lib/clock';

type Claims = Readonly<Record<string, unknown>>;

/**
 * Tokens that passed full verification, by their exact string, until their `exp`. Re-verifying the
 * same token on every request (decode twice, RSA verify) was a visible share of usergate's CPU; a
 * hit here skips only that work. An entry is dropped when its `exp` passes (with the clock
 * tolerance) or its signing key is no longer published, so a retired key stops working at once.
 */
export class VerifiedTokens {
  private readonly entries: BoundedCache<string, { claims: Claims; kid: string }>;

  constructor(private readonly options: { maxEntries: number; toleranceS: number; now: Now; keyIsPublished: (kid: string) => boolean }) {
    this.entries = new BoundedCache({ maxEntries: options.maxEntries, now: options.now });
  }

  get(token: string): Claims | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (!this.options.keyIsPublished(entry.kid)) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.claims;
  }

  set(token: string, claims: Record<string, unknown>, kid: string): void {
    if (typeof claims.exp !== 'number') return;
    this.entries.set(token, { claims: Object.freeze(claims), kid }, (claims.exp + this.options.toleranceS) * 1000);
  }
}
