import { rateLimitBackoffMs, rateLimitWaitMs, retryAfterSeconds, transientBackoffMs } from '../../src/management/retry-policy';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('how long a 429 asks to wait', () => {
  it.each([
    ['Retry-After in seconds', { 'retry-after': '3' }, 3000],
    ['Retry-After 0', { 'retry-after': '0' }, 0],
    ['Retry-After as an HTTP date, 4 s ahead', { 'retry-after': new Date(NOW + 4000).toUTCString() }, 4000],
    ['Retry-After as a date in the past', { 'retry-after': new Date(NOW - 4000).toUTCString() }, 0],
    ['Retry-After wins over x-ratelimit-reset', { 'retry-after': '2', 'x-ratelimit-reset': String(NOW / 1000 + 9) }, 2000],
    ['no Retry-After: until x-ratelimit-reset (epoch seconds)', { 'x-ratelimit-reset': String(NOW / 1000 + 7) }, 7000],
    ['x-ratelimit-reset already passed', { 'x-ratelimit-reset': String(NOW / 1000 - 7) }, 0],
    [
      'an unreadable Retry-After falls back to x-ratelimit-reset',
      { 'retry-after': 'soon', 'x-ratelimit-reset': String(NOW / 1000 + 5) },
      5000,
    ],
    ['a repeated header: the first value', { 'retry-after': ['6', '1'] }, 6000],
    ['neither header: 1 s', {}, 1000],
    ['garbage everywhere: 1 s', { 'retry-after': 'x', 'x-ratelimit-reset': 'y' }, 1000],
  ])('%s', (_case, headers, expected) => {
    expect(rateLimitWaitMs(headers, NOW)).toBe(expected);
  });
});

describe('backoff', () => {
  it('after a transient failure: 100, 200, 400 ms, plus up to 100 ms of jitter', () => {
    expect([1, 2, 3].map((retry) => transientBackoffMs(retry, 0))).toEqual([100, 200, 400]);
    expect(transientBackoffMs(2, 0.999)).toBe(299);
  });

  it('after a 429: the asked wait plus up to 250 ms of jitter', () => {
    expect(rateLimitBackoffMs(2000, 0)).toBe(2000);
    expect(rateLimitBackoffMs(2000, 0.999)).toBe(2249);
  });

  it("the client's Retry-After: whole seconds, rounded up, at least 1", () => {
    expect([0, 1, 999, 1000, 1001, 30_000].map(retryAfterSeconds)).toEqual([1, 1, 1, 1, 2, 30]);
  });
});
