import type { Now } from './clock';

export interface BoundedCacheOptions {
  /** Most entries kept at once; when full, the oldest entry makes room. */
  maxEntries: number;
  now?: Now;
}

/**
 * A Map with a size bound and a per-entry expiry: what usergate caches (verified tokens, callers'
 * roles, search analyses) is keyed by untrusted input, so memory must not grow with it.
 * Expired entries are dropped when read; the oldest entry (insertion order) goes when full.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();
  private readonly now: Now;

  constructor(private readonly options: BoundedCacheOptions) {
    if (!(options.maxEntries >= 0)) throw new TypeError('BoundedCache: maxEntries must be a number >= 0');
    this.now = options.now ?? Date.now;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Keeps `value` until `expiresAt` (ms since the epoch; default never). */
  set(key: K, value: V, expiresAt = Number.POSITIVE_INFINITY): void {
    if (this.options.maxEntries === 0) return;
    this.entries.delete(key);
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt });
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
