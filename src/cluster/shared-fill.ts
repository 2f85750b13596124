import { randomUUID } from 'node:crypto';
import type { RedisConnection } from './redis-connection';

const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

export interface SharedFillOptions<T> {
  connection: RedisConnection;
  /** Redis key of the lock that elects the one replica doing the work. */
  lockKey: string;
  /** The shared value, if some replica has stored it (`undefined` when missing or unusable). */
  read: () => Promise<T | undefined>;
  /** Does the work (an upstream call) and stores the result for the others. */
  fill: () => Promise<T>;
  /** Longest wait for another replica's result before doing the work here, in ms. */
  waitMs: number;
  /** Poll interval while waiting, in ms; default 20. */
  pollMs?: number;
}

/**
 * Cluster-wide single flight: the replica that takes the lock does the work and stores the result;
 * the others wait (bounded) until it appears in Redis. When Redis is down, or the lock holder does
 * not deliver in time, the work is done locally: sharing saves upstream calls, it never blocks.
 */
export async function sharedFill<T>(options: SharedFillOptions<T>): Promise<T> {
  const { connection, lockKey, read, fill, waitMs } = options;
  const owner = randomUUID();
  const deadline = Date.now() + waitMs;
  for (;;) {
    const existing = await read();
    if (existing !== undefined) return existing;
    // A holder that failed released the lock: the next replica to look tries in its turn.
    const locked = await connection.run(
      (c) => c.set(lockKey, owner, 'PX', waitMs, 'NX'),
      () => 'local',
    );
    if (locked === 'OK' || locked === 'local') {
      try {
        // The previous holder may have stored its result and released the lock between our read
        // and our SET NX: look once more before doing the work again.
        if (locked === 'OK') {
          const storedMeanwhile = await read();
          if (storedMeanwhile !== undefined) return storedMeanwhile;
        }
        return await fill();
      } finally {
        if (locked === 'OK')
          await connection.run(
            (c) => c.eval(RELEASE, 1, lockKey, owner),
            () => 0,
          );
      }
    }
    if (Date.now() >= deadline || connection.state !== 'shared') return fill();
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 20));
  }
}
