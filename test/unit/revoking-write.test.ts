import { errors } from '../../src/errors';
import { revokingWrite, type OperationContext } from '../../src/operations/context';
import type { RevocationOutcome } from '../../src/auth/resolve-caller';

/*
 * What a revoking write tells the caller cache: acknowledged or refused (a 4xx: not applied) is one
 * bump; anything else (a timeout, a network error, a 5xx, an unexpected failure) may still land at
 * Auth0, so the subject is unsettled.
 */
function context() {
  const forgotten: [string, RevocationOutcome | undefined][] = [];
  const ctx = {
    forgetCaller: (sub: string, outcome?: RevocationOutcome) => {
      forgotten.push([sub, outcome]);
      return Promise.resolve();
    },
  } as unknown as OperationContext;
  return { ctx, forgotten };
}

describe('revokingWrite', () => {
  it('an acknowledged write forgets the subject as settled, and answers what the write answered', async () => {
    const { ctx, forgotten } = context();
    expect(await revokingWrite(ctx, 'auth0|t', () => Promise.resolve('done'))).toBe('done');
    expect(forgotten).toEqual([['auth0|t', 'settled']]);
  });

  it.each([
    { name: 'a refusal by Auth0 (4xx)', failure: errors.upstreamForbidden('no'), outcome: 'settled' },
    { name: 'a 429', failure: errors.rateLimited(3), outcome: 'settled' },
    { name: 'a timeout', failure: errors.upstreamTimeout(), outcome: 'unknown' },
    { name: 'a 5xx or a failed connection', failure: errors.upstreamError('it answered 503'), outcome: 'unknown' },
    { name: 'an unexpected failure', failure: new Error('boom'), outcome: 'unknown' },
  ])('$name forgets the subject as $outcome, and throws the failure', async ({ failure, outcome }) => {
    const { ctx, forgotten } = context();
    await expect(revokingWrite(ctx, 'auth0|t', () => Promise.reject(failure))).rejects.toBe(failure);
    expect(forgotten).toEqual([['auth0|t', outcome]]);
  });

  it('a write that takes nothing from anyone forgets no one', async () => {
    const { ctx, forgotten } = context();
    await expect(revokingWrite(ctx, undefined, () => Promise.reject(errors.upstreamTimeout()))).rejects.toBeDefined();
    expect(forgotten).toEqual([]);
  });
});
