import { createPublicKey, type KeyObject } from 'node:crypto';
import { JwksClient } from 'jwks-rsa';
import { errors } from '../errors';
import type { Now } from '../lib/clock';
import { singleFlight } from '../lib/single-flight';

export interface SigningKeysOptions {
  jwksUri: string;
  /** Fetch timeout, in ms; default 5000. */
  timeoutMs?: number;
  /** After a fetch, an unknown `kid` waits this long before it may cause another, in ms; default 10000. */
  cooldownMs?: number;
  /** Keys older than this are refreshed on the next use, in ms; default 600000 (10 min). */
  maxAgeMs?: number;
  /** Clock, in ms since the epoch; default `Date.now`. */
  now?: Now;
  /** Told the outcome of each key-set fetch (metrics). */
  observer?: { jwksFetched(outcome: 'ok' | 'failed'): void };
}

/**
 * The tenant's public signing keys. jwks-rsa fetches the key set and turns JWKs into PEM keys; this
 * cache decides when to fetch: one fetch in flight shared by every caller; an unknown `kid` causes at
 * most one refetch per cooldown (a flood of random kids is a bounded number of fetches, a real
 * rotation waits at most one cooldown); and keys already fetched keep working while the endpoint is down.
 */
export class SigningKeys {
  private readonly client: JwksClient;
  private keys = new Map<string, KeyObject>();
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private readonly now: Now;
  private readonly fetchOnce = singleFlight(() => this.fetch());
  /** Whether a fetch is in flight: a request arriving then waits for it instead of failing on a stale set. */
  private fetching = false;
  private readonly cooldownMs: number;
  private readonly maxAgeMs: number;
  private readonly observer?: SigningKeysOptions['observer'];

  constructor(options: SigningKeysOptions) {
    if (!options.jwksUri) throw new TypeError('SigningKeys: option "jwksUri" is required');
    this.client = new JwksClient({ jwksUri: options.jwksUri, cache: false, rateLimit: false, timeout: options.timeoutMs ?? 5000 });
    this.now = options.now ?? Date.now;
    this.cooldownMs = options.cooldownMs ?? 10_000;
    this.maxAgeMs = options.maxAgeMs ?? 600_000;
    this.observer = options.observer;
  }

  /**
   * The public key for `kid`, parsed once into a KeyObject (re-parsing PEM on every verification was
   * the top frame of the benchmark's CPU profile); 401 for a kid the tenant does not publish, 503 when
   * no key can be had.
   */
  async keyFor(kid: string): Promise<KeyObject> {
    const age = this.now() - this.fetchedAt;
    const known = this.keys.get(kid);
    if (known && age < this.maxAgeMs) return known;
    if (this.fetching || age >= this.cooldownMs) {
      try {
        await this.refresh();
      } catch {
        // The endpoint is down: a key fetched before still verifies; otherwise nothing can be decided now.
        const stale = this.keys.get(kid);
        if (stale) return stale;
        throw errors.jwksUnavailable();
      }
    }
    const key = this.keys.get(kid);
    if (!key) throw errors.invalidToken('The token was signed with a key the tenant does not publish.');
    return key;
  }

  /** Whether the last key set fetched publishes `kid`. */
  isPublished(kid: string): boolean {
    return this.keys.has(kid);
  }

  /** Fetches the key set now (one fetch shared by concurrent callers); used by readiness too. */
  refresh(): Promise<void> {
    return this.fetchOnce();
  }

  private async fetch(): Promise<void> {
    this.fetching = true;
    try {
      const keys = await this.client.getSigningKeys();
      this.keys = new Map(keys.map((k) => [k.kid, createPublicKey(k.getPublicKey())]));
      this.observer?.jwksFetched('ok');
    } catch (err) {
      this.observer?.jwksFetched('failed');
      throw err;
    } finally {
      // A failed fetch also starts a cooldown: an outage must not turn every request into a fetch.
      this.fetchedAt = this.now();
      this.fetching = false;
    }
  }
}
