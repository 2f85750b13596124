/**
 * A token bucket refilled on a fixed window: at each window boundary (aligned to the epoch) it gains
 * `refill` tokens, up to `burst`. Auth0 documents the burst and the rate per plan, not the window
 * length; the windows here are the dev tenant's choice (whole seconds, so that `x-ratelimit-reset`,
 * the epoch second of the next refill, is exact).
 */
export interface BucketSpec {
  burst: number;
  refill: number;
  windowMs: number;
}

/**
 * Read (GET) and write (POST, PATCH, DELETE) limits of the users endpoints; `shared` when the plan has
 * one bucket for everything; `other`, when given, the bucket of all other endpoints (tickets, jobs,
 * user-blocks, device credentials), which otherwise count as reads and writes.
 */
export interface RateLimitPreset {
  read: BucketSpec;
  write: BucketSpec;
  shared?: boolean;
  other?: BucketSpec;
}

/**
 * Auth0's Management API limits (Auth0 docs, "Management API rate limits"):
 * - `free`: burst 2, 2 requests per second, for the whole Management API.
 * - `essentials` (and Professional): read users burst 40, 500 per minute; write users burst 20, 200 per minute;
 *   all other endpoints together burst 10, 150 per minute.
 * - `unlimited`: the dev tenant's default, so that tests and the demo are not limited unless they ask.
 */
export const RATE_LIMIT_PRESETS = {
  free: { read: { burst: 2, refill: 2, windowMs: 1000 }, write: { burst: 2, refill: 2, windowMs: 1000 }, shared: true },
  essentials: {
    read: { burst: 40, refill: 25, windowMs: 3000 },
    write: { burst: 20, refill: 10, windowMs: 3000 },
    other: { burst: 10, refill: 5, windowMs: 2000 },
  },
  unlimited: {
    read: { burst: 1_000_000, refill: 1_000_000, windowMs: 1000 },
    write: { burst: 1_000_000, refill: 1_000_000, windowMs: 1000 },
  },
} as const satisfies Record<string, RateLimitPreset>;

export type RateLimitPresetName = keyof typeof RATE_LIMIT_PRESETS;

/** The older option shape: one bucket of `capacity`, refilled by `refillPerSecond` each second. */
export interface SimpleRateLimit {
  capacity: number;
  refillPerSecond: number;
}

export type RateLimitSetting = RateLimitPresetName | RateLimitPreset | SimpleRateLimit;

/** The environment variable of the dev tenant CLI and of `npm start`'s dev mode that picks a preset. */
export const RATE_LIMIT_ENV = 'DEV_TENANT_RATE_LIMIT';

export function isPresetName(name: unknown): name is RateLimitPresetName {
  return typeof name === 'string' && Object.hasOwn(RATE_LIMIT_PRESETS, name);
}

/** The preset named by `DEV_TENANT_RATE_LIMIT` (unset: none); an unknown name is an error naming the choices. */
export function presetFromEnv(env: Record<string, string | undefined>): RateLimitPresetName | undefined {
  const value = env[RATE_LIMIT_ENV];
  if (value === undefined || value === '') return undefined;
  if (!isPresetName(value)) throw new Error(`${RATE_LIMIT_ENV} must be one of ${Object.keys(RATE_LIMIT_PRESETS).join(', ')}`);
  return value;
}

export function resolveRateLimit(setting: RateLimitSetting | undefined): RateLimitPreset {
  if (setting === undefined) return RATE_LIMIT_PRESETS.unlimited;
  if (typeof setting === 'string') {
    if (!isPresetName(setting)) throw new TypeError(`unknown rate-limit preset "${String(setting)}"`);
    return RATE_LIMIT_PRESETS[setting];
  }
  if ('capacity' in setting) {
    const bucket = { burst: setting.capacity, refill: setting.refillPerSecond, windowMs: 1000 };
    return { read: bucket, write: bucket, shared: true };
  }
  return setting;
}
