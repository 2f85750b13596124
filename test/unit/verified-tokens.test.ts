import { VerifiedTokens } from '../../src/auth/verified-tokens';

/** Each test gets its own cache, clock and set of published keys. */
function setup(maxEntries = 2) {
  const state = { clock: 1_000_000_000_000, published: new Set(['k1']) };
  const cache = new VerifiedTokens({
    maxEntries,
    toleranceS: 5,
    now: () => state.clock,
    keyIsPublished: (kid) => state.published.has(kid),
  });
  const exp = () => Math.floor(state.clock / 1000) + 60;
  return { state, cache, exp };
}

describe('verified-token cache', () => {
  it('when a verified token is seen again before it expires, then its claims are served', () => {
    const { cache, exp } = setup();
    cache.set('t1', { sub: 'a', exp: exp() }, 'k1');
    expect(cache.get('t1')).toMatchObject({ sub: 'a' });
    expect(cache.get('other')).toBeUndefined();
  });

  it('when exp plus the tolerance has passed, then the entry is gone', () => {
    const { state, cache, exp } = setup();
    cache.set('t2', { sub: 'b', exp: exp() }, 'k1');
    state.clock += 64_999;
    expect(cache.get('t2')).toMatchObject({ sub: 'b' });
    state.clock += 1;
    expect(cache.get('t2')).toBeUndefined();
  });

  it('when the signing key is no longer published, then the entry is gone for good', () => {
    const { state, cache, exp } = setup();
    cache.set('t3', { sub: 'c', exp: exp() }, 'k1');
    state.published = new Set(['k2']);
    expect(cache.get('t3')).toBeUndefined();
    state.published = new Set(['k1']);
    expect(cache.get('t3')).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const { cache, exp } = setup(2);
    cache.set('x1', { sub: 'x', exp: exp() }, 'k1');
    cache.set('x2', { sub: 'x', exp: exp() }, 'k1');
    cache.set('x3', { sub: 'x', exp: exp() }, 'k1');
    expect([cache.get('x1'), cache.get('x2'), cache.get('x3')].map(Boolean)).toEqual([false, true, true]);
  });

  it('never stores a token without exp; stored claims are frozen', () => {
    const { cache, exp } = setup();
    cache.set('noexp', { sub: 'y' }, 'k1');
    expect(cache.get('noexp')).toBeUndefined();
    cache.set('t4', { sub: 'z', exp: exp() }, 'k1');
    expect(Object.isFrozen(cache.get('t4'))).toBe(true);
  });
});
