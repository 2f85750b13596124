/** Response headers as undici hands them over. */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** Extra wait added to a 429's wait, in ms, so that replicas do not retry in lockstep. */
export const RATE_LIMIT_JITTER_MS = 250;

const header = (headers: ResponseHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * How long a 429 asks to wait, in ms: `Retry-After` (seconds or an HTTP date), else
 * `x-ratelimit-reset` (UNIX epoch seconds, Auth0's header), else 1 s. Never negative.
 */
export function rateLimitWaitMs(headers: ResponseHeaders, nowMs: number): number {
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  const reset = Number(header(headers, 'x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - nowMs);
  return 1000;
}

/** The wait before retry number `retry` (1, 2, ...) after a connection failure or a 5xx: 100 ms doubling, plus up to 100 ms jitter. */
export function transientBackoffMs(retry: number, random: number): number {
  return 100 * 2 ** (retry - 1) + Math.floor(random * 100);
}

/** The wait before retrying a 429 that asked for `waitMs`, plus up to RATE_LIMIT_JITTER_MS jitter. */
export function rateLimitBackoffMs(waitMs: number, random: number): number {
  return waitMs + Math.floor(random * RATE_LIMIT_JITTER_MS);
}

/** What the client answers after a 429 it will not (or may no longer) retry: whole seconds, at least 1. */
export function retryAfterSeconds(waitMs: number): number {
  return Math.max(1, Math.ceil(waitMs / 1000));
}
