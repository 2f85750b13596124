import type { SharedCallerStore, SharedKind, Validate } from '../cluster/shared-caller-store';
import { LocalGenerations, UnsettledSubjects } from '../directory/generations';
import { BoundedCache } from '../lib/bounded-cache';

/** What a lookup found: a value, and whether it says "no such user" (kept in its own, bounded pool). */
export interface Looked<T> {
  value: T;
  unknown: boolean;
}

/** Looks a subject up; `tag` names the generation it runs under (the upstream client coalesces per tag). */
export type Lookup<T> = (tag: string) => Promise<Looked<T>>;

export interface SharedCallerOptions<T> {
  store: SharedCallerStore;
  kind: SharedKind;
  /** Accepts what a shared entry holds. */
  validate: Validate<T>;
  /** REDIS_DEGRADED_TTL_S, in ms: while Redis is away, the longest an entry is served before it is looked up again. */
  degradedTtlMs: number;
}

export interface CallerCacheOptions<T> {
  /** Lifetime of an entry, in ms; 0 caches nothing (concurrent lookups are still shared). */
  ttlMs: number;
  /** Most entries of known users kept at once; the oldest go first. */
  maxEntries: number;
  /** Most "no such user" entries kept at once; the oldest go first. */
  maxUnknown: number;
  now: () => number;
  /** Shared by the replicas (Redis): entries, generations and revocations; none: this process alone. */
  shared?: SharedCallerOptions<T>;
}

interface Entry<T> {
  value: T;
  /** This process's generation of the subject when the lookup started. */
  local: number;
  /** The cluster's generation the entry is valid under; `undefined`: looked up while Redis was away. */
  shared?: number;
  expiresAt: number;
  /** When the entry was last found valid against Redis (or looked up), on this process's clock. */
  confirmedAt: number;
}

/**
 * What usergate knows about each caller, per subject, versioned by the subject's generation (see
 * directory/generations.ts). A lookup records the generation it starts under and its result is kept
 * only if that generation did not move meanwhile; a request never joins a lookup started under an
 * older generation. With a shared store, every hit is checked against the subject's generation in
 * Redis (one GET), so a revocation through any replica binds on every replica's very next request; a
 * shared entry is kept for what is left of its TTL; while Redis is away an entry is served for at most
 * the degraded TTL. A subject whose revocation's outcome is unknown (a write that timed out may still
 * land) is unsettled for a window: nothing of it is stored (here, or in Redis) and every request of it
 * is looked up afresh, joining no other lookup, until the window ends. Bounded: known users and
 * unknown subjects live in separate pools, so a flood of random subjects pushes out only other
 * unknown ones. Failures are not kept.
 */
export class CallerCache<T> {
  private readonly known: BoundedCache<string, Entry<T>>;
  private readonly unknown: BoundedCache<string, Entry<T>>;
  private readonly inflight = new Map<string, Promise<T>>();
  readonly generations = new LocalGenerations();
  private readonly unsettled: UnsettledSubjects;
  /** Tags the upstream reads of unsettled subjects, so that no two of them share one call. */
  private afreshCount = 0;

  constructor(private readonly options: CallerCacheOptions<T>) {
    this.unsettled = new UnsettledSubjects(options.now);
    this.known = new BoundedCache({ maxEntries: options.maxEntries, now: options.now });
    this.unknown = new BoundedCache({ maxEntries: options.maxUnknown, now: options.now });
    // Another replica revoked a subject (or revocations may have been missed while Redis was away).
    options.shared?.store.subscribe((sub) => (sub === undefined ? this.dropAll() : this.drop(sub)));
  }

  /**
   * The subject's value, and whether it came from this process's cache. `slot` keeps values of one
   * subject apart (one per organization its tokens name, ORG_SOURCE=organizations); all of a subject's
   * slots share its generation, so one revocation drops every one of them.
   */
  async get(sub: string, lookup: Lookup<T>, slot?: string): Promise<{ value: T; hit: boolean }> {
    // The generation this request started under, read before anything else can interleave.
    const local = this.generations.of(sub);
    const shared = this.options.shared;
    const entryKey = slot === undefined ? sub : `${sub}\n${slot}`;
    // Without a shared store the check is synchronous: a hit costs no extra turn of the event loop.
    const hit = shared ? await this.valid(sub, entryKey, local) : this.validHere(entryKey, local);
    if (hit) return { value: hit.value, hit: true };
    const state = shared ? await shared.store.state(sub) : undefined;
    // Unsettled here or (as the cluster says) anywhere: a lookup of its own, stored nowhere.
    if (this.unsettled.has(sub) || state?.unsettled === true) return { value: (await lookup(`u${++this.afreshCount}`)).value, hit: false };
    const clusterGeneration = state?.generation;
    const key = `${entryKey}\n${local}\n${clusterGeneration ?? '-'}`;
    const pending = this.inflight.get(key);
    if (pending) return { value: await pending, hit: false };
    const started = (
      shared && clusterGeneration !== undefined
        ? this.sharedLookup(sub, entryKey, local, lookup, shared, slot)
        : this.localLookup(sub, entryKey, local, lookup)
    ).finally(() => this.inflight.delete(key));
    this.inflight.set(key, started);
    return { value: await started, hit: false };
  }

  /**
   * A revocation made by this process: the subject moves to a new generation here and, with a shared
   * store, in Redis (or as a tombstone until Redis is back), and every replica drops its entry.
   * `unsettledMs` > 0: the write's outcome is unknown; the subject is also unsettled that long, here
   * and (with a shared store) on every replica.
   */
  async revoke(sub: string, unsettledMs = 0): Promise<void> {
    if (unsettledMs > 0) this.unsettled.mark(sub, unsettledMs);
    this.drop(sub);
    await this.options.shared?.store.revoke(sub, unsettledMs);
  }

  /** Entries held (known and unknown), for tests and diagnostics. */
  get size(): number {
    return this.known.size + this.unknown.size;
  }

  /** Entries of the subject's slots are not deleted here: their generation no longer matches, so they are never served again. */
  private drop(sub: string): void {
    this.generations.bump(sub);
    this.known.delete(sub);
    this.unknown.delete(sub);
  }

  private dropAll(): void {
    this.generations.bumpAll();
    this.known.clear();
    this.unknown.clear();
  }

  /** The cached entry if it is valid under this process's generation and not expired (no shared store). */
  private validHere(entryKey: string, local: number): Entry<T> | undefined {
    const entry = this.known.get(entryKey) ?? this.unknown.get(entryKey);
    if (!entry || entry.local !== local || this.options.now() >= entry.expiresAt) return undefined;
    return entry;
  }

  /** The cached entry if it is still valid under the subject's generations. */
  private async valid(sub: string, entryKey: string, local: number): Promise<Entry<T> | undefined> {
    const entry = this.validHere(entryKey, local);
    if (!entry) return undefined;
    const now = this.options.now();
    const shared = this.options.shared;
    if (!shared) return entry;
    const generation = await shared.store.generation(sub);
    // A revocation may have been heard while Redis answered.
    if (entry.local !== this.generations.of(sub)) return undefined;
    if (generation === undefined) return now < entry.confirmedAt + shared.degradedTtlMs ? entry : undefined;
    if (entry.shared !== generation) return undefined;
    entry.confirmedAt = now;
    return entry;
  }

  /** Without Redis (or while it is away): looked up here, kept if this process's generation did not move. */
  private async localLookup(sub: string, entryKey: string, local: number, lookup: Lookup<T>): Promise<T> {
    const found = await lookup(`l${local}`);
    const degraded = this.options.shared?.degradedTtlMs;
    const ttlMs = degraded === undefined ? this.options.ttlMs : Math.min(this.options.ttlMs, degraded);
    this.keep(sub, entryKey, found, { local, expiresAt: this.options.now() + ttlMs, confirmedAt: this.options.now() });
    return found.value;
  }

  /** Through the shared store: kept here for what is left of the shared entry, if it was stored under its generation. */
  private async sharedLookup(
    sub: string,
    entryKey: string,
    local: number,
    lookup: Lookup<T>,
    shared: SharedCallerOptions<T>,
    slot: string | undefined,
  ): Promise<T> {
    const answer = await shared.store.load(shared.kind, sub, shared.validate, (tag) => lookup(`${tag}l${local}`), slot);
    if (answer === undefined) return this.localLookup(sub, entryKey, local, lookup);
    const now = this.options.now();
    if (answer.leftMs > 0)
      this.keep(sub, entryKey, answer, { local, shared: answer.generation, expiresAt: now + answer.leftMs, confirmedAt: now });
    return answer.value;
  }

  private keep(sub: string, entryKey: string, found: Looked<T>, entry: Omit<Entry<T>, 'value'>): void {
    if (this.options.ttlMs <= 0 || entry.local !== this.generations.of(sub) || entry.expiresAt <= this.options.now()) return;
    if (this.unsettled.has(sub)) return;
    const [pool, other] = found.unknown ? [this.unknown, this.known] : [this.known, this.unknown];
    other.delete(entryKey);
    pool.set(entryKey, { ...entry, value: found.value }, entry.expiresAt);
  }
}
