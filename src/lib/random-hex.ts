import { randomFillSync } from 'node:crypto';

/** Bytes drawn from the CSPRNG at once: one call per ~170 requests rather than two per request. */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * `bytes` cryptographically random bytes as lowercase hex (trace and span ids), taken from a pool
 * refilled by `randomFillSync`: each `randomBytes` call costs OpenSSL's fork check (a `getpid`) and
 * its locking, per id. Each byte is handed out once.
 */
export function randomHex(bytes: number): string {
  if (bytes > POOL_BYTES) throw new RangeError(`randomHex: at most ${POOL_BYTES} bytes`);
  if (offset + bytes > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}
