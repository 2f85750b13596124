/**
 * Per-subject generations: every revocation of a subject (usergate's write of its roles, org or
 * `blocked`, its deletion) moves the subject's generation on. A lookup of the subject records the
 * generation it started under and may store what it found only while that is still the generation:
 * an answer read before the revocation can never be cached after it.
 *
 * Two counters exist. This process's (`LocalGenerations`, below) guards its own cache and in-flight
 * lookups; with REDIS_URL the cluster's lives in Redis (`INCR`, see cluster/shared-caller-store.ts) and
 * guards the shared entries, with the compare-and-set of `STORE_IF_GENERATION`.
 */

/** Most subjects whose generation this process remembers; beyond, the oldest are folded into a floor. */
const MAX_REMEMBERED = 100_000;

/**
 * This process's generations. One counter for all subjects, so a forgotten subject never goes back
 * to an older number: the generation of a subject never bumped is the floor, which rises past every
 * number forgotten (a rise that only makes in-flight lookups look again, never keeps a stale one).
 */
export class LocalGenerations {
  private readonly bumped = new Map<string, number>();
  private counter = 0;
  private floor = 0;

  constructor(private readonly maxRemembered = MAX_REMEMBERED) {}

  /** The subject's generation now. */
  of(sub: string): number {
    return this.bumped.get(sub) ?? this.floor;
  }

  /** Moves the subject to a new generation; what was looked up under an older one is no longer kept. */
  bump(sub: string): number {
    const next = ++this.counter;
    this.bumped.delete(sub);
    this.bumped.set(sub, next);
    if (this.bumped.size > this.maxRemembered) {
      const [oldest, generation] = this.bumped.entries().next().value!;
      this.bumped.delete(oldest);
      this.floor = Math.max(this.floor, generation);
    }
    return next;
  }

  /** Moves every subject on (drops may have been missed while Redis was away). */
  bumpAll(): void {
    this.bumped.clear();
    this.floor = ++this.counter;
  }
}

/**
 * Margin added to the unsettled window, in ms: time for a write Auth0 received to be applied after
 * usergate's last attempt gave up (Auth0 does not cancel a request whose client went away).
 */
export const UNSETTLED_MARGIN_MS = 5_000;

/**
 * How long a subject stays unsettled after a revoking write whose outcome is unknown (a timeout, a
 * network error, a 5xx): every attempt's timeout (MGMT_TIMEOUT_MS × (MGMT_MAX_RETRIES + 1)) plus
 * UNSETTLED_MARGIN_MS. During it no caller entry of the subject is stored, here or in Redis, so a
 * write that lands late is seen by the subject's very next request.
 */
export function unsettledWindowMs(timeoutMs: number, maxRetries: number): number {
  return timeoutMs * (maxRetries + 1) + UNSETTLED_MARGIN_MS;
}

/**
 * Subjects whose revocation's outcome is unknown, each until the end of its window (this process's
 * clock). Bounded: beyond the bound, the oldest is folded into a window over every subject, which
 * only makes lookups go upstream longer, never keeps a stale entry.
 */
export class UnsettledSubjects {
  private readonly until = new Map<string, number>();
  private everyoneUntil = 0;

  constructor(
    private readonly now: () => number,
    private readonly maxRemembered = MAX_REMEMBERED,
  ) {}

  /** The subject is unsettled for `ms` from now (or longer, if it already was). */
  mark(sub: string, ms: number): void {
    const end = Math.max(this.now() + ms, this.until.get(sub) ?? 0);
    this.until.delete(sub);
    this.until.set(sub, end);
    if (this.until.size > this.maxRemembered) {
      const [oldest, oldestEnd] = this.until.entries().next().value!;
      this.until.delete(oldest);
      this.everyoneUntil = Math.max(this.everyoneUntil, oldestEnd);
    }
  }

  /** Whether what is looked up of the subject now must not be stored. */
  has(sub: string): boolean {
    const now = this.now();
    if (now < this.everyoneUntil) return true;
    const end = this.until.get(sub);
    if (end === undefined) return false;
    if (now < end) return true;
    this.until.delete(sub);
    return false;
  }
}

/**
 * Redis: stores the sealed entry (KEYS[2], ARGV[2]) only while the subject's generation (KEYS[1],
 * missing = 0) is still the one the lookup started under (ARGV[1]) and the subject is not unsettled
 * (its pending key KEYS[3] is absent), and only until the expiry sealed in it (ARGV[3], ms on Redis's
 * clock). Answers the ms left (0: not stored).
 */
export const STORE_IF_GENERATION = `
local current = redis.call('GET', KEYS[1]) or '0'
if current ~= ARGV[1] then return 0 end
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
local t = redis.call('TIME')
local left = tonumber(ARGV[3]) - (tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
if left <= 0 then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', left)
return left`;

/**
 * Redis: what a lookup needs in one round trip: the subject's generation (KEYS[1]), its shared entries
 * (KEYS[2..]) and Redis's clock in ms.
 */
export const READ_WITH_GENERATION = `
local t = redis.call('TIME')
local out = { redis.call('GET', KEYS[1]) or '0', tostring(tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)) }
for i = 2, #KEYS do out[#out + 1] = redis.call('GET', KEYS[i]) or '' end
return out`;

/**
 * Redis: a revocation: the subject's generation moves on (kept ARGV[1] ms, far beyond any entry), its
 * shared entries (KEYS[3..]) go, and every replica hears it (channel ARGV[2], message ARGV[3]). With
 * ARGV[4] > 0 (the write's outcome is unknown), the subject is also unsettled for that many ms: its
 * pending key (KEYS[2]) lives that long (or longer, if it already did) and no entry is stored meanwhile.
 * Answers the new generation.
 */
export const BUMP_GENERATION = `
local g = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
local unsettled = tonumber(ARGV[4])
if unsettled > 0 and redis.call('PTTL', KEYS[2]) < unsettled then redis.call('SET', KEYS[2], '1', 'PX', unsettled) end
for i = 3, #KEYS do redis.call('DEL', KEYS[i]) end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return g`;
