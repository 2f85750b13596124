import { createHash } from 'node:crypto';
import { BUMP_GENERATION, READ_WITH_GENERATION, STORE_IF_GENERATION } from '../directory/generations';
import type { RedisConnection } from './redis-connection';
import type { SealedBox } from './sealed-box';
import { sharedFill } from './shared-fill';

/** What is shared per subject: a resolved caller (`app_metadata` mode) or its standing (claim mode). */
export type SharedKind = 'caller' | 'standing';

/** A shared answer, valid under `generation` for `leftMs` more (0: valid for this request only, not kept). */
export interface SharedAnswer<T> {
  value: T;
  unknown: boolean;
  generation: number;
  leftMs: number;
}

/** Accepts what a sealed entry holds as a `T`, or says it is not one. */
export type Validate<T> = (value: unknown) => value is T;

/**
 * Where replicas share what they resolved of a caller, versioned by the subject's generation in Redis,
 * and how they hear that one changed. The caller cache keeps its own local copy (see auth/caller-cache.ts).
 */
export interface SharedCallerStore {
  /** The subject's generation in Redis; `undefined` when Redis cannot be reached now. */
  generation(sub: string): Promise<number | undefined>;
  /**
   * The subject's generation and whether it is unsettled (a revocation's outcome is unknown: nothing
   * of it may be stored, each request looks it up afresh), in one round trip; `undefined`: Redis away.
   */
  state(sub: string): Promise<{ generation: number; unsettled: boolean } | undefined>;
  /**
   * The shared answer, or one lookup on behalf of every replica (cluster-wide single flight) stored
   * only if the subject's generation did not move meanwhile; `undefined` when Redis cannot be reached.
   * `lookup(tag)`: `tag` names the generation, for the upstream client's coalescing. `slot` keeps
   * entries of one subject apart (ORG_SOURCE=organizations: one per organization its tokens name); every
   * slot of a subject lives under the subject's one generation, so a revocation drops them all.
   */
  load<T>(
    kind: SharedKind,
    sub: string,
    validate: Validate<T>,
    lookup: (tag: string) => Promise<{ value: T; unknown: boolean }>,
    slot?: string,
  ): Promise<SharedAnswer<T> | undefined>;
  /**
   * A revocation: moves the subject's generation on in Redis, drops its shared entries and tells every
   * replica; `unsettledMs` > 0 (the write's outcome is unknown): the subject is also unsettled that
   * long, for every replica. With Redis away, kept here as a tombstone and written before this
   * replica shares again.
   */
  revoke(sub: string, unsettledMs?: number): Promise<void>;
  /** `listener(sub)` when a replica revoked `sub`; `listener(undefined)` when drops may have been missed (Redis was away). */
  subscribe(listener: (sub: string | undefined) => void): void;
}

export interface RedisCallerStoreOptions {
  connection: RedisConnection;
  box: SealedBox;
  prefix: string;
  /** ROLES_CACHE_TTL_S, in ms: how long a shared entry lives after its lookup started (Redis's clock). */
  ttlMs: number;
  /** Longest wait for another replica's lookup of the same caller, in ms. */
  waitMs: number;
}

/** What a sealed entry holds: the answer, and the generation and expiry (Redis's clock) it is valid for. */
interface Sealed {
  v: unknown;
  u: boolean;
  g: number;
  e: number;
}

const first = (map: Map<string, number>): string | undefined => map.keys().next().value;

/** A generation key outlives every entry of its subject by far (a reset to 0 then changes nothing). */
const GENERATION_KEEP_MS = 24 * 3600 * 1000;

/**
 * Versioned callers in Redis. Each entry is sealed (a value written without MGMT_CLIENT_SECRET does
 * not open) with its generation and expiry inside: an entry replayed into Redis is refused once the
 * subject's generation moved on or its sealed expiry passed, whatever Redis's own TTL says. Stores are
 * a compare-and-set on the generation (one Lua script), so a lookup that raced a revocation stores nothing.
 */
export class RedisCallerStore implements SharedCallerStore {
  private readonly channel: string;
  /** Revocations made while Redis was away (subject → unsettled window, ms), written to Redis before this replica shares again. */
  private readonly tombstones = new Map<string, number>();

  constructor(private readonly options: RedisCallerStoreOptions) {
    this.channel = `${options.prefix}caller-drops`;
    options.connection.beforeResume((client) => this.writeTombstones(client));
  }

  async generation(sub: string): Promise<number | undefined> {
    const text = await this.options.connection.run<string | null | undefined>(
      (c) => c.get(this.generationKey(sub)),
      () => undefined,
    );
    return text === undefined ? undefined : Number(text ?? 0);
  }

  async state(sub: string): Promise<{ generation: number; unsettled: boolean } | undefined> {
    const reply = await this.options.connection.run<(string | null)[] | undefined>(
      (c) => c.mget(this.generationKey(sub), this.pendingKey(sub)),
      () => undefined,
    );
    return reply === undefined ? undefined : { generation: Number(reply[0] ?? 0), unsettled: reply[1] !== null && reply[1] !== undefined };
  }

  async load<T>(
    kind: SharedKind,
    sub: string,
    validate: Validate<T>,
    lookup: (tag: string) => Promise<{ value: T; unknown: boolean }>,
    slot?: string,
  ): Promise<SharedAnswer<T> | undefined> {
    const first = await this.read(kind, sub, validate, slot);
    if (first === undefined) return undefined;
    if (first.answer) return first.answer;
    const { generation, redisNow } = first;
    // An answer read while waiting is valid under the generation of that read, ours or a newer one.
    return sharedFill<SharedAnswer<T>>({
      connection: this.options.connection,
      // Per generation: a request after a revocation never waits for a lookup started before it.
      lockKey: `${this.entryKey(kind, sub, slot)}:lock:${generation}`,
      waitMs: this.options.waitMs,
      read: async () => (await this.read(kind, sub, validate, slot))?.answer,
      fill: async () => {
        const found = await lookup(`g${generation}`);
        const leftMs = await this.store(kind, sub, generation, redisNow + this.options.ttlMs, found, slot);
        return { ...found, generation, leftMs };
      },
    });
  }

  async revoke(sub: string, unsettledMs = 0): Promise<void> {
    const done = await this.options.connection.run(
      async (c) => {
        await this.bump(c, sub, unsettledMs);
        return true;
      },
      () => false,
    );
    if (done) return;
    // Written later: the whole window then (its end is not known on Redis's clock; longer is safe).
    this.tombstones.set(sub, Math.max(unsettledMs, this.tombstones.get(sub) ?? 0));
    // Sharing may have resumed while this revocation fell back: write it now rather than at the next outage's end.
    if (this.options.connection.state === 'shared') {
      await this.options.connection.run(
        (c) => this.writeTombstones(c),
        () => undefined,
      );
    }
  }

  subscribe(listener: (sub: string | undefined) => void): void {
    this.options.connection.subscribe(this.channel, (sub) => listener(sub));
    this.options.connection.onResume(() => listener(undefined));
  }

  /** Tombstones not yet written to Redis (diagnostics and tests). */
  get pendingTombstones(): number {
    return this.tombstones.size;
  }

  /** The subject's generation, Redis's clock and, when one is valid, the shared answer; `undefined`: Redis away. */
  private async read<T>(
    kind: SharedKind,
    sub: string,
    validate: Validate<T>,
    slot?: string,
  ): Promise<{ generation: number; redisNow: number; answer?: SharedAnswer<T> } | undefined> {
    const key = this.entryKey(kind, sub, slot);
    const reply = await this.options.connection.run<string[] | undefined>(
      (c) => c.eval(READ_WITH_GENERATION, 2, this.generationKey(sub), key) as Promise<string[]>,
      () => undefined,
    );
    if (!reply) return undefined;
    const [g, now, sealed] = reply;
    const generation = Number(g);
    const redisNow = Number(now);
    const opened = sealed ? this.open(sealed, key) : undefined;
    if (!opened || opened.g !== generation || opened.e <= redisNow || !validate(opened.v)) return { generation, redisNow };
    return { generation, redisNow, answer: { value: opened.v, unknown: opened.u, generation, leftMs: opened.e - redisNow } };
  }

  /** Stores the answer sealed with its generation and expiry, if the generation is still `generation`: the ms it lives. */
  private async store(
    kind: SharedKind,
    sub: string,
    generation: number,
    expiresAt: number,
    found: { value: unknown; unknown: boolean },
    slot?: string,
  ): Promise<number> {
    const key = this.entryKey(kind, sub, slot);
    const sealed = this.options.box.seal(
      JSON.stringify({ v: found.value, u: found.unknown, g: generation, e: expiresAt } satisfies Sealed),
      key,
    );
    const left = await this.options.connection.run(
      (c) =>
        c.eval(
          STORE_IF_GENERATION,
          3,
          this.generationKey(sub),
          key,
          this.pendingKey(sub),
          String(generation),
          sealed,
          String(expiresAt),
        ) as Promise<number>,
      () => 0,
    );
    return Number(left);
  }

  private open(sealed: string, key: string): Sealed | undefined {
    const text = this.options.box.open(sealed, key);
    if (text === undefined) return undefined;
    try {
      const parsed = JSON.parse(text) as Partial<Sealed>;
      if (typeof parsed.g !== 'number' || typeof parsed.e !== 'number' || typeof parsed.u !== 'boolean') return undefined;
      return parsed as Sealed;
    } catch {
      return undefined;
    }
  }

  private bump(client: RedisConnection['client'], sub: string, unsettledMs: number): Promise<unknown> {
    const keys = [this.generationKey(sub), this.pendingKey(sub), this.entryKey('caller', sub), this.entryKey('standing', sub)];
    const keepMs = Math.max(GENERATION_KEEP_MS, 2 * this.options.ttlMs);
    return client.eval(BUMP_GENERATION, keys.length, ...keys, String(keepMs), this.channel, sub, String(Math.ceil(unsettledMs)));
  }

  /** Before this replica shares again: every revocation made while Redis was away, written (a failure keeps it away). */
  private async writeTombstones(client: RedisConnection['client']): Promise<void> {
    // Until none is left: a revocation may add one while this runs.
    for (let sub = first(this.tombstones); sub !== undefined; sub = first(this.tombstones)) {
      // Taken out first: a revocation of the same subject made while this runs is written in its own turn.
      const unsettledMs = this.tombstones.get(sub)!;
      this.tombstones.delete(sub);
      try {
        await this.bump(client, sub, unsettledMs);
      } catch (err) {
        this.tombstones.set(sub, Math.max(unsettledMs, this.tombstones.get(sub) ?? 0));
        throw err;
      }
    }
  }

  /** Subjects are hashed: bounded key length, and no user ids readable from key names. */
  private hash(sub: string): string {
    return createHash('sha256').update(sub).digest('base64url');
  }

  /**
   * A slot's entry is keyed (and sealed) apart from the subject's other slots: an entry stored for one
   * organization never opens as another's. A revocation does not delete slot entries: the generation
   * sealed in them no longer matches, so they are refused and overwritten.
   */
  private entryKey(kind: SharedKind, sub: string, slot?: string): string {
    return `${this.options.prefix}${kind}:${this.hash(slot === undefined ? sub : `${sub}\n${slot}`)}`;
  }

  /** Present while the subject is unsettled (a revocation's outcome is unknown). */
  private pendingKey(sub: string): string {
    return `${this.options.prefix}pending:${this.hash(sub)}`;
  }

  private generationKey(sub: string): string {
    return `${this.options.prefix}generation:${this.hash(sub)}`;
  }
}
