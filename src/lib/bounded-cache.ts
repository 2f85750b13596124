import NodeCache from 'node-cache';
import type { Now } from './clock';

export interface BoundedCacheOptions {
  /** Most entries kept at once; when full, the oldest entries make room. */
  maxEntries: number;
  now?: Now;
}

/** What is stored per key: the value, and its expiry on the injected clock. */
interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A cache with a size bound and a per-entry expiry, over node-cache: what usergate caches (verified
 * tokens, callers' roles) is keyed by untrusted input, so memory must not grow with it.
 *
 * node-cache holds the entries with a TTL each and `maxKeys` as a hard bound; on its own it refuses a
 * key when full (ECACHEFULL). Here the oldest entries make room instead: node-cache's `keys()` lists
 * keys in insertion order (keys are prefixed, so no key is ever an array index, which objects list
 * first), and re-setting a key deletes it first, so it becomes the newest. Listing keys costs O(n),
 * so a full cache drops a batch of about 1/16 of its entries at once: amortised O(1) per insertion.
 *
 * Expiry is also checked against the injected clock (tests control time; node-cache reads
 * `Date.now`). There is no periodic sweep (`checkperiod: 0`, no timer per cache): an expired entry
 * is dropped when read, or as one of the oldest when the cache is full.
 */
export class BoundedCache<K extends string, V> {
  private readonly cache: NodeCache;
  private readonly now: Now;
  private readonly batch: number;

  constructor(private readonly options: BoundedCacheOptions) {
    if (!(options.maxEntries >= 0)) throw new TypeError('BoundedCache: maxEntries must be a number >= 0');
    this.now = options.now ?? Date.now;
    this.batch = Math.max(1, Math.floor(options.maxEntries / 16));
    // useClones: false keeps the stored object itself (frozen claims stay frozen, no copy per read).
    this.cache = new NodeCache({ stdTTL: 0, checkperiod: 0, useClones: false, maxKeys: options.maxEntries });
  }

  get(key: K): V | undefined {
    const entry = this.cache.get<Entry<V>>(slot(key));
    if (!entry) return undefined;
    if (this.now() >= entry.expiresAt) {
      this.cache.del(slot(key));
      return undefined;
    }
    return entry.value;
  }

  /** Keeps `value` until `expiresAt` (ms since the epoch, on the injected clock; default never). */
  set(key: K, value: V, expiresAt = Number.POSITIVE_INFINITY): void {
    if (this.options.maxEntries === 0) return;
    const ttlMs = expiresAt - this.now();
    if (!(ttlMs > 0)) return;
    this.cache.del(slot(key));
    if (this.cache.getStats().keys >= this.options.maxEntries) {
      for (const oldest of this.cache.keys().slice(0, this.batch)) this.cache.del(oldest);
    }
    // node-cache's TTL is in s, 0 meaning forever.
    this.cache.set<Entry<V>>(slot(key), { value, expiresAt }, Number.isFinite(ttlMs) ? ttlMs / 1000 : 0);
  }

  delete(key: K): void {
    this.cache.del(slot(key));
  }

  /** Drops every entry. */
  clear(): void {
    this.cache.flushAll();
  }

  get size(): number {
    return this.cache.getStats().keys;
  }
}

/** The node-cache key of `key`: never an array index nor `__proto__`, so insertion order holds. */
function slot(key: string): string {
  return `#${key}`;
}
