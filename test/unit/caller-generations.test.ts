import fc from 'fast-check';
import { CallerCache, type Looked } from '../../src/auth/caller-cache';
import type { SharedCallerStore, SharedKind } from '../../src/cluster/shared-caller-store';
import { LocalGenerations } from '../../src/directory/generations';

/*
 * The generation rule, as a model: any interleaving of requests, upstream reads and answers, and
 * revocations ends with no stale entry stored, and no request that started after a revocation gets an
 * answer read before it. The fake upstream coalesces identical GETs the way the Management API client
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
  { kind: 'request'; sub: number } | { kind: 'read'; call: number } | { kind: 'answer'; call: number } | { kind: 'revoke'; sub: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('request' as const), sub: fc.nat(SUBS.length - 1) }),
  fc.record({ kind: fc.constant('read' as const), call: fc.nat(2) }),
  fc.record({ kind: fc.constant('answer' as const), call: fc.nat(2) }),
  fc.record({ kind: fc.constant('revoke' as const), sub: fc.nat(SUBS.length - 1) }),
);

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('caller generations (model)', () => {
  it('no interleaving of lookups and revocations leaves a stale entry or serves an answer read before a revocation', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 30 }), async (commands) => {
        const cache = new CallerCache<number>({ ttlMs: 60_000, maxEntries: 100, maxUnknown: 100, now: () => 0 });
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
          } else {
            const sub = SUBS[c.sub]!;
            // The write is acknowledged (the upstream moved on), then usergate revokes.
            version.set(sub, version.get(sub)! + 1);
            await cache.revoke(sub);
          }
          await settle();
        }
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
      { numRuns: 300 },
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
