import fc from 'fast-check';
import { CallerCache, type Looked } from '../../src/auth/caller-cache';
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
