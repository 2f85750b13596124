import { VerifiedTokens } from '../../src/auth/verified-tokens';

describe('verified-token cache', () => {
  let clock = 1_000_000_000_000;
  let published = new Set(['k1']);
  const cache = new VerifiedTokens({ maxEntries: 2, toleranceS: 5, now: () => clock, keyIsPublished: (kid) => published.has(kid) });
  const exp = () => Math.floor(clock / 1000) + 60;

  it('when a verified token is seen again before it expires, then its claims are served', () => {
    cache.set('t1', { sub: 'a', exp: exp() }, 'k1');
    expect(cache.get('t1')).toMatchObject({ sub: 'a' });
    expect(cache.get('other')).toBeUndefined();
  });

  it('when exp plus the tolerance has passed, then the entry is gone', () => {
    cache.set('t2', { sub: 'b', exp: exp() }, 'k1');
    clock += 64_000;
    expect(cache.get('t2')).toMatchObject({ sub: 'b' });
    clock += 2_000;
    expect(cache.get('t2')).toBeUndefined();
  });

  it('when the signing key is no longer published, then the entry is gone', () => {
    cache.set('t3', { sub: 'c', exp: exp() }, 'k1');
    published = new Set(['k2']);
    expect(cache.get('t3')).toBeUndefined();
    published = new Set(['k1']);
  });

  it('keeps at most maxEntries, dropping the oldest; never stores a token without exp', () => {
    cache.set('x1', { sub: 'x', exp: exp() }, 'k1');
    cache.set('x2', { sub: 'x', exp: exp() }, 'k1');
    cache.set('x3', { sub: 'x', exp: exp() }, 'k1');
    expect(cache.get('x1')).toBeUndefined();
    expect(cache.get('x3')).toBeDefined();
    cache.set('noexp', { sub: 'y' }, 'k1');
    expect(cache.get('noexp')).toBeUndefined();
  });
});
