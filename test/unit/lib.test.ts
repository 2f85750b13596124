import { BoundedCache } from '../../src/lib/bounded-cache';
import { SingleFlight, singleFlight } from '../../src/lib/single-flight';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('single flight', () => {
  it('concurrent calls for one key share one call; other keys get their own', async () => {
    const flight = new SingleFlight<string, string>();
    const calls: string[] = [];
    const pending = deferred<string>();
    const a1 = flight.run('a', () => (calls.push('a'), pending.promise));
    const a2 = flight.run('a', () => (calls.push('a'), Promise.resolve('second')));
    const b = flight.run('b', () => (calls.push('b'), Promise.resolve('b')));
    pending.resolve('first');
    expect(await Promise.all([a1, a2, b])).toEqual(['first', 'first', 'b']);
    expect(calls).toEqual(['a', 'b']);
  });

  it('a failure is shared by the waiting calls but not remembered: the next call tries again', async () => {
    let attempt = 0;
    const run = singleFlight(() => (++attempt === 1 ? Promise.reject(new Error('down')) : Promise.resolve(attempt)));
    await expect(Promise.all([run(), run()])).rejects.toThrow('down');
    expect(attempt).toBe(1);
    await expect(run()).resolves.toBe(2);
  });
});

describe('bounded cache', () => {
  it('serves an entry until its expiry, then forgets it', () => {
    let clock = 1000;
    const cache = new BoundedCache<string, number>({ maxEntries: 10, now: () => clock });
    cache.set('a', 1, 2000);
    clock = 1999;
    expect(cache.get('a')).toBe(1);
    clock = 2000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('when full, the oldest entry makes room; re-setting a key makes it the newest', () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 3);
    cache.set('c', 4);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([3, undefined, 4, 2]);
  });

  it('with maxEntries 0 it keeps nothing', () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 0 });
    cache.set('a', 1);
    expect(cache.get('a')).toBeUndefined();
  });
});
