/**
 * Tokens that passed full verification, by their exact string, until their `exp`. Re-verifying the
 * same token on every request (decode twice, RSA verify) was a visible share of usergate's CPU; a
 * hit here skips only that work. An entry is dropped when its `exp` passes (with the clock
 * tolerance) or its signing key is no longer published, so a retired key stops working at once.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { claims: Record<string, unknown>; expiresAt: number; kid: string }>();

  constructor(
    private readonly options: { maxEntries: number; toleranceS: number; now: () => number; keyIsPublished: (kid: string) => boolean },
  ) {}

  get(token: string): Record<string, unknown> | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (this.options.now() >= entry.expiresAt || !this.options.keyIsPublished(entry.kid)) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.claims;
  }

  set(token: string, claims: Record<string, unknown>, kid: string): void {
    if (typeof claims.exp !== 'number') return;
    if (this.entries.size >= this.options.maxEntries) {
      // Oldest first: Map keeps insertion order.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, { claims: Object.freeze(claims), expiresAt: (claims.exp + this.options.toleranceS) * 1000, kid });
  }
}
