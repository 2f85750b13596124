import fc from 'fast-check';
import { CallerCache, type Looked } from '../../src/auth/caller-cache';
import type { SharedCallerStore, SharedKind } from '../../src/cluster/shared-caller-store';
import { LocalGenerations, UnsettledSubjects, unsettledWindowMs, UNSETTLED_MARGIN_MS } from '../../src/directory/generations';

/*
 * The generation rule, as a model: any interleaving of requests, upstream reads and answers, and
 * revocations ends with no stale entry stored, and no request that started after a revocation gets an
 * answer read before it. Revocations are acknowledged writes (the upstream moved on before usergate
 * revokes) or writes whose outcome is unknown (usergate revokes with the unsettled window; the write
 * lands at the upstream later, at any point within the window, as Auth0 applies a request whose client
 * gave up); the clock moves on in steps. The fake upstream coalesces identical GETs the way the Management API client
 * does (same subject and same tag share one call), so a tag that did not change with the generation fails.
 */

interface Call {
  sub: string;
  tag: string;
  /** The subject's version read upstream; undefined until the upstream reads. */
  read?: number;
  answer: (found: Looked<number>) => void;
  answered: boolean;
}

const SUBS = ['auth0|a', 'auth0|b'];
type Command =
  | { kind: 'request'; sub: number }
  | { kind: 'read'; call: number }
  | { kind: 'answer'; call: number }
  | { kind: 'revoke'; sub: number }
  | { kind: 'unknown'; sub: number }
  | { kind: 'land'; write: number }
  | { kind: 'tick'; ms: number };

/** The unsettled window of the model, ms. */
const WINDOW_MS = 1_000;

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('request' as const), sub: fc.nat(SUBS.length - 1) }),
  fc.record({ kind: fc.constant('read' as const), call: fc.nat(2) }),
  fc.record({ kind: fc.constant('answer' as const), call: fc.nat(2) }),
  fc.record({ kind: fc.constant('revoke' as const), sub: fc.nat(SUBS.length - 1) }),
  fc.record({ kind: fc.constant('unknown' as const), sub: fc.nat(SUBS.length - 1) }),
  fc.record({ kind: fc.constant('land' as const), write: fc.nat(1) }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 1_500 }) }),
);

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('caller generations (model)', () => {
  it('no interleaving of lookups and revocations leaves a stale entry or serves an answer read before a revocation', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 30 }), async (commands) => {
        let clock = 0;
        const cache = new CallerCache<number>({ ttlMs: 60_000, maxEntries: 100, maxUnknown: 100, now: () => clock });
        /** Writes whose outcome usergate did not learn, not yet applied upstream: each lands before its deadline. */
        let writes: { sub: string; deadline: number }[] = [];
        const land = (write: { sub: string }) => {
          writes = writes.filter((w) => w !== write);
          version.set(write.sub, version.get(write.sub)! + 1);
        };
        /** The upstream's state: a version per subject, moved on by each revocation. */
        const version = new Map(SUBS.map((s) => [s, 0]));
        const calls: Call[] = [];
        const upstream = new Map<string, Promise<Looked<number>>>();
        const lookup = (sub: string) => (tag: string) => {
          const key = `${sub}#${tag}`;
          const joined = upstream.get(key);
          if (joined) return joined;
          const promise = new Promise<Looked<number>>((resolve) => {
            calls.push({ sub, tag, answer: resolve, answered: false });
          });
          upstream.set(key, promise);
          void promise.then(() => upstream.delete(key));
          return promise;
        };
        const answer = (call: Call) => {
          call.read ??= version.get(call.sub)!;
          call.answered = true;
          call.answer({ value: call.read, unknown: false });
        };
        const requests: { sub: string; floor: number; result: Promise<{ value: number }> }[] = [];
        for (const c of commands) {
          if (c.kind === 'request') {
            const sub = SUBS[c.sub]!;
            requests.push({ sub, floor: version.get(sub)!, result: cache.get(sub, lookup(sub)) });
          } else if (c.kind === 'read') {
            const call = calls.filter((k) => k.read === undefined)[c.call];
            if (call) call.read = version.get(call.sub)!;
          } else if (c.kind === 'answer') {
            const call = calls.filter((k) => !k.answered)[c.call];
            if (call) answer(call);
          } else if (c.kind === 'revoke') {
            const sub = SUBS[c.sub]!;
            // The write is acknowledged (the upstream moved on), then usergate revokes.
            version.set(sub, version.get(sub)! + 1);
            await cache.revoke(sub);
          } else if (c.kind === 'unknown') {
            // The write timed out: usergate revokes with the window; the upstream applies it later.
            const sub = SUBS[c.sub]!;
            writes.push({ sub, deadline: clock + WINDOW_MS });
            await cache.revoke(sub, WINDOW_MS);
          } else if (c.kind === 'land') {
            const write = writes[c.write];
            if (write) land(write);
          } else {
            // Time passes; a late write lands within its window (the window's premise).
            for (const write of writes.filter((w) => w.deadline <= clock + c.ms)) land(write);
            clock += c.ms;
          }
          await settle();
        }
        for (const write of [...writes]) land(write);
        // Everything still under way reads and answers now.
        for (let i = 0; i < 10 && calls.some((k) => !k.answered); i++) {
          for (const call of calls.filter((k) => !k.answered)) answer(call);
          await settle();
        }
        for (const r of requests) expect((await r.result).value).toBeGreaterThanOrEqual(r.floor);
        // What is stored now is what the upstream holds: a hit never serves an older version.
        for (const sub of SUBS) {
          const { value, hit } = await cache.get(sub, () => Promise.resolve({ value: version.get(sub)!, unknown: false }));
          if (hit) expect(value).toBe(version.get(sub));
        }
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('LocalGenerations', () => {
  it('a subject forgotten beyond the bound never goes back to an older generation', () => {
    const generations = new LocalGenerations(2);
    const before = generations.of('c');
    generations.bump('a');
    generations.bump('b');
    const a = generations.of('a');
    generations.bump('c');
    // `a` was folded into the floor: its generation did not go back.
    expect(generations.of('a')).toBeGreaterThanOrEqual(a);
    expect(generations.of('c')).not.toBe(before);
  });
});

describe('an unsettled subject (a revocation whose outcome is unknown)', () => {
  it('is looked up afresh on every request, sharing no lookup, until its window ends; then cached again', async () => {
    let clock = 0;
    const cache = new CallerCache<number>({ ttlMs: 60_000, maxEntries: 10, maxUnknown: 10, now: () => clock });
    const tags: string[] = [];
    const lookup = (tag: string) => {
      tags.push(tag);
      return Promise.resolve({ value: tags.length, unknown: false });
    };
    expect(await cache.get('auth0|x', lookup)).toEqual({ value: 1, hit: false });
    expect(await cache.get('auth0|x', lookup)).toEqual({ value: 1, hit: true });
    await cache.revoke('auth0|x', 1_000);
    clock = 999;
    const [a, b] = await Promise.all([cache.get('auth0|x', lookup), cache.get('auth0|x', lookup)]);
    expect([a, b]).toEqual([
      { value: 2, hit: false },
      { value: 3, hit: false },
    ]);
    // Each with a tag of its own: the upstream client joins none of them to another.
    expect(new Set(tags.slice(1)).size).toBe(2);
    clock = 1_000;
    expect(await cache.get('auth0|x', lookup)).toEqual({ value: 4, hit: false });
    expect(await cache.get('auth0|x', lookup)).toEqual({ value: 4, hit: true });
    // An acknowledged revocation: one bump, no window.
    await cache.revoke('auth0|x');
    expect(await cache.get('auth0|x', lookup)).toEqual({ value: 5, hit: false });
    expect(await cache.get('auth0|x', lookup)).toEqual({ value: 5, hit: true });
  });

  it('the window covers every attempt of the write, plus the margin', () => {
    expect(unsettledWindowMs(10_000, 2)).toBe(30_000 + UNSETTLED_MARGIN_MS);
  });

  it('beyond the bound, a forgotten window is kept over every subject: never shortened', () => {
    let clock = 0;
    const unsettled = new UnsettledSubjects(() => clock, 2);
    unsettled.mark('a', 100);
    unsettled.mark('b', 50);
    unsettled.mark('c', 10);
    clock = 99;
    expect([unsettled.has('a'), unsettled.has('b'), unsettled.has('z')]).toEqual([true, true, true]);
    clock = 100;
    expect([unsettled.has('a'), unsettled.has('c')]).toEqual([false, false]);
  });
});

describe('CallerCache while Redis is away (REDIS_DEGRADED_TTL_S)', () => {
  /** Redis as a replica sees it: reachable (one subject's generation) or not. */
  function redisStandIn() {
    const state = { up: true, generation: 0 };
    const store: SharedCallerStore = {
      generation: () => Promise.resolve(state.up ? state.generation : undefined),
      load: <T>(_kind: SharedKind, _sub: string, _validate: unknown, lookup: (tag: string) => Promise<{ value: T; unknown: boolean }>) =>
        state.up
          ? lookup(`g${state.generation}`).then((found) => ({ ...found, generation: state.generation, leftMs: 60_000 }))
          : Promise.resolve(undefined),
      state: () => Promise.resolve(state.up ? { generation: state.generation, unsettled: false } : undefined),
      revoke: () => Promise.resolve(),
      subscribe: () => undefined,
    };
    return { state, store };
  }

  it('an entry is served at most the degraded TTL after it was last confirmed, then looked up again', async () => {
    let clock = 0;
    const { state, store } = redisStandIn();
    const cache = new CallerCache<number>({
      ttlMs: 60_000,
      maxEntries: 10,
      maxUnknown: 10,
      now: () => clock,
      shared: { store, kind: 'caller', validate: (v): v is number => typeof v === 'number', degradedTtlMs: 5_000 },
    });
    let lookups = 0;
    const lookup = () => Promise.resolve({ value: ++lookups, unknown: false });
    expect(await cache.get('auth0|x', lookup)).toEqual({ value: 1, hit: false });
    clock = 10_000;
    expect(await cache.get('auth0|x', lookup)).toEqual({ value: 1, hit: true }); // confirmed against Redis at 10 s
    state.up = false;
    clock = 14_999;
    expect(await cache.get('auth0|x', lookup)).toEqual({ value: 1, hit: true });
    clock = 15_000;
    expect(await cache.get('auth0|x', lookup)).toEqual({ value: 2, hit: false });
    // Looked up while Redis is away: kept for the degraded TTL only.
    clock = 19_999;
    expect(await cache.get('auth0|x', lookup)).toEqual({ value: 2, hit: true });
    clock = 20_000;
    expect(await cache.get('auth0|x', lookup)).toEqual({ value: 3, hit: false });
    // Redis is back: what was looked up without it is not served.
    state.up = true;
    expect(await cache.get('auth0|x', lookup)).toEqual({ value: 4, hit: false });
  });
});
