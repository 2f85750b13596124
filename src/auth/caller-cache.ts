/** What a lookup found: a value, and whether it says "no such user" (kept in its own, bounded pool). */
export interface Looked<T> {
  value: T;
  unknown: boolean;
}

export interface CallerCacheOptions {
  /** Lifetime of an entry, in ms; 0 caches nothing (concurrent lookups are still shared). */
  ttlMs: number;
  /** Most entries of known users kept at once; the oldest goes first. */
  maxEntries: number;
  /** Most "no such user" entries kept at once; the oldest goes first. */
  maxUnknown: number;
  now: () => number;
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/** A map that keeps at most `max` entries, dropping the oldest insertion first. */
class BoundedPool<T> {
  private readonly entries = new Map<string, Entry<T>>();
  constructor(private readonly max: number) {}

  get(key: string): Entry<T> | undefined {
    return this.entries.get(key);
  }

  set(key: string, entry: Entry<T>): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * What usergate knows about each caller, per subject, for a TTL. Bounded: known users and unknown
 * subjects live in separate pools, so a flood of random subjects pushes out only other unknown ones,
 * never the entries of real callers. Concurrent lookups of one subject share one call; failures are not
 * kept. `forget(sub)` drops the entry, and an answer of a lookup that started before it is not kept.
 */
export class CallerCache<T> {
  private readonly known: BoundedPool<T>;
  private readonly unknown: BoundedPool<T>;
  private readonly inflight = new Map<string, Promise<T>>();

  constructor(private readonly options: CallerCacheOptions) {
    this.known = new BoundedPool(options.maxEntries);
    this.unknown = new BoundedPool(options.maxUnknown);
  }

  async get(sub: string, lookup: () => Promise<Looked<T>>): Promise<T> {
    const now = this.options.now();
    const hit = this.known.get(sub) ?? this.unknown.get(sub);
    if (hit && now < hit.expiresAt) return hit.value;
    const pending = this.inflight.get(sub);
    if (pending) return pending;
    const started = lookup().then((found) => {
      // Kept only when no `forget(sub)` came while it ran: the lookup may have read the old state.
      if (this.options.ttlMs > 0 && this.inflight.get(sub) === started) {
        (found.unknown ? this.unknown : this.known).set(sub, { value: found.value, expiresAt: this.options.now() + this.options.ttlMs });
      }
      return found.value;
    });
    this.inflight.set(sub, started);
    const clear = () => {
      if (this.inflight.get(sub) === started) this.inflight.delete(sub);
    };
    started.then(clear, clear);
    return started;
  }

  forget(sub: string): void {
    this.known.delete(sub);
    this.unknown.delete(sub);
    this.inflight.delete(sub);
  }

  /** Drops every entry (drops published while Redis was away may have been missed). */
  forgetAll(): void {
    this.known.clear();
    this.unknown.clear();
    this.inflight.clear();
  }

  /** Entries held (known and unknown), for tests and diagnostics. */
  get size(): number {
    return this.known.size + this.unknown.size;
  }
}
