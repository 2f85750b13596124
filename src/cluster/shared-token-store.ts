import type { RedisConnection } from './redis-connection';
import type { SealedBox } from './sealed-box';
import { sharedFill } from './shared-fill';

/** A machine token and when to replace it (ms since the epoch). */
export interface StoredToken {
  token: string;
  refreshAt: number;
}

/** Where replicas share the machine token (see management/machine-token.ts). */
export interface SharedTokenStore {
  /** The cluster's token; when there is none (or only `rejected`), one replica calls `fetch` for all. */
  load(fetch: () => Promise<StoredToken>, rejected?: string): Promise<StoredToken>;
  /** Forgets `token` cluster-wide (the Management API refused it), unless a newer one replaced it. */
  drop(token: string): Promise<void>;
}

const DELETE_IF_SAME = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/**
 * The machine token in Redis, sealed (AES-GCM, key from MGMT_CLIENT_SECRET) and expiring when it is
 * due for refresh: one token request per token lifetime for the whole cluster.
 */
export class RedisTokenStore implements SharedTokenStore {
  private readonly key: string;

  constructor(
    private readonly connection: RedisConnection,
    private readonly box: SealedBox,
    prefix: string,
    /** Longest wait for another replica's token request, in ms. */
    private readonly waitMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.key = `${prefix}mgmt-token`;
  }

  async load(fetch: () => Promise<StoredToken>, rejected?: string): Promise<StoredToken> {
    return sharedFill({
      connection: this.connection,
      lockKey: `${this.key}:lock`,
      waitMs: this.waitMs,
      read: async () => {
        const stored = await this.read();
        return stored && stored.token !== rejected && this.now() < stored.value.refreshAt ? stored.value : undefined;
      },
      fill: async () => {
        const fresh = await fetch();
        const ttl = Math.floor(fresh.refreshAt - this.now());
        if (ttl > 0) {
          const sealed = this.box.seal(JSON.stringify(fresh), this.key);
          await this.connection.run(
            (c) => c.set(this.key, sealed, 'PX', ttl),
            () => null,
          );
        }
        return fresh;
      },
    });
  }

  async drop(token: string): Promise<void> {
    const stored = await this.read();
    if (stored?.token !== token) return;
    await this.connection.run(
      (c) => c.eval(DELETE_IF_SAME, 1, this.key, stored.sealed),
      () => 0,
    );
  }

  private async read(): Promise<{ value: StoredToken; token: string; sealed: string } | undefined> {
    const sealed = await this.connection.run(
      (c) => c.get(this.key),
      () => null,
    );
    if (!sealed) return undefined;
    const text = this.box.open(sealed, this.key);
    if (text === undefined) return undefined;
    try {
      const value = JSON.parse(text) as StoredToken;
      if (typeof value.token !== 'string' || typeof value.refreshAt !== 'number') return undefined;
      return { value, token: value.token, sealed };
    } catch {
      return undefined;
    }
  }
}
