import { createHash } from 'node:crypto';
import type { Caller } from '../policy/caller';
import type { RedisConnection } from './redis-connection';
import type { SealedBox } from './sealed-box';
import { sharedFill } from './shared-fill';

/**
 * Where replicas share resolved callers (roles, org, blocked), and how they hear that one changed.
 * The caller resolver keeps its own local copy and drops it when `subscribe` says so.
 */
export interface SharedCallerStore {
  get(sub: string): Promise<Caller | undefined>;
  set(sub: string, caller: Caller, ttlMs: number): Promise<void>;
  /** Drops the caller cluster-wide and tells every replica to drop its local copy. */
  delete(sub: string): Promise<void>;
  /** `listener(sub)` when a replica dropped `sub`; `listener(undefined)` when drops may have been missed (Redis was away). */
  subscribe(listener: (sub: string | undefined) => void): void;
  /** The shared caller, or one lookup on behalf of every replica (cluster-wide single flight). */
  load(sub: string, lookup: () => Promise<Caller>, ttlMs: number): Promise<Caller>;
}

/** Callers in Redis, sealed so that an entry written without MGMT_CLIENT_SECRET does not open; drops on pub/sub. */
export class RedisCallerStore implements SharedCallerStore {
  private readonly channel: string;

  constructor(
    private readonly connection: RedisConnection,
    private readonly box: SealedBox,
    private readonly prefix: string,
    /** Longest wait for another replica's lookup of the same caller, in ms. */
    private readonly waitMs: number,
  ) {
    this.channel = `${prefix}caller-drops`;
  }

  async get(sub: string): Promise<Caller | undefined> {
    const key = this.key(sub);
    const sealed = await this.connection.run(
      (c) => c.get(key),
      () => null,
    );
    const text = sealed ? this.box.open(sealed, key) : undefined;
    if (text === undefined) return undefined;
    try {
      const caller = JSON.parse(text) as Caller;
      return caller.sub === sub && Array.isArray(caller.roles) ? caller : undefined;
    } catch {
      return undefined;
    }
  }

  async set(sub: string, caller: Caller, ttlMs: number): Promise<void> {
    const key = this.key(sub);
    const sealed = this.box.seal(JSON.stringify(caller), key);
    await this.connection.run(
      (c) => c.set(key, sealed, 'PX', Math.max(1, Math.floor(ttlMs))),
      () => null,
    );
  }

  async delete(sub: string): Promise<void> {
    await this.connection.run(
      (c) => c.del(this.key(sub)),
      () => 0,
    );
    await this.connection.publish(this.channel, sub);
  }

  subscribe(listener: (sub: string | undefined) => void): void {
    this.connection.subscribe(this.channel, (sub) => listener(sub));
    this.connection.onResume(() => listener(undefined));
  }

  load(sub: string, lookup: () => Promise<Caller>, ttlMs: number): Promise<Caller> {
    return sharedFill({
      connection: this.connection,
      lockKey: `${this.key(sub)}:lock`,
      waitMs: this.waitMs,
      read: () => this.get(sub),
      fill: async () => {
        const caller = await lookup();
        if (ttlMs > 0) await this.set(sub, caller, ttlMs);
        return caller;
      },
    });
  }

  /** Subjects are hashed: bounded key length, and no user ids readable from key names. */
  private key(sub: string): string {
    return `${this.prefix}caller:${createHash('sha256').update(sub).digest('base64url')}`;
  }
}
