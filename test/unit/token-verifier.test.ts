import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { extractBearer } from '../../src/auth/bearer';
import { classifyVerificationError } from '../../src/auth/token-verifier';
import { HttpError } from '../../src/errors';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const now = Math.floor(Date.now() / 1000);
const sign = (payload: object, key = privateKey, alg: jwt.Algorithm = 'RS256') => jwt.sign(payload, key, { algorithm: alg });
const good = { iss: 'https://tenant/', aud: 'api', sub: 'auth0|1', exp: now + 60 };

/** What jsonwebtoken throws for `token`, verified the way token-verifier.ts verifies. */
function libraryError(token: string): unknown {
  try {
    jwt.verify(token, publicKey, { algorithms: ['RS256'], issuer: 'https://tenant/', audience: 'api', clockTolerance: 0 });
  } catch (err) {
    return err;
  }
  throw new Error('the token verified');
}

/**
 * Each case is a real token and the error jsonwebtoken really throws for it: if a version bump
 * changes a class or a message, the mapping below fails here rather than turning into a wrong 401.
 */
describe('jsonwebtoken errors map onto the catalogue', () => {
  it.each([
    ['expired', sign({ ...good, exp: now - 10 }), 'token_expired', 'The access token has expired.'],
    ['not yet valid', sign({ ...good, nbf: now + 600 }), 'invalid_token', 'The token is not valid yet (nbf).'],
    ['another audience', sign({ ...good, aud: 'other' }), 'invalid_token', 'The token was not issued for this API (aud).'],
    ['another issuer', sign({ ...good, iss: 'https://evil/' }), 'invalid_token', 'The token was not issued by the expected tenant (iss).'],
    ['another algorithm', sign(good, privateKey, 'RS384'), 'invalid_token', 'The token is signed with an algorithm that is not accepted.'],
    ['another key', sign(good, other.privateKey), 'invalid_token', 'The token signature is invalid.'],
    ['not a JWT', 'not-a-jwt', 'invalid_token', 'The token is malformed or invalid.'],
    ['no signature', sign(good).split('.').slice(0, 2).join('.') + '.', 'invalid_token', 'The token is malformed or invalid.'],
  ])('%s', (_case, token, code, message) => {
    const mapped = classifyVerificationError(libraryError(token));
    expect([mapped.status, mapped.code, mapped.message]).toEqual([401, code, message]);
  });

  it('an HttpError (a key lookup failing with 503) passes through unchanged; anything else is an invalid token', () => {
    const unavailable = new HttpError(503, 'jwks_unavailable', 'x');
    expect(classifyVerificationError(unavailable)).toBe(unavailable);
    expect(classifyVerificationError('a string').code).toBe('invalid_token');
  });
});

describe('bearer extraction', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc', 'abc'],
  ])('%s yields the token', (header, token) => {
    expect(extractBearer(header)).toBe(token);
  });

  it.each([
    [undefined, 'credentials_required'],
    ['', 'credentials_required'],
    ['Basic dXNlcjpwYXNz', 'invalid_request'],
    ['Bearer', 'invalid_request'],
    ['Bearer ', 'invalid_request'],
    ['Bearer a b', 'invalid_request'],
    ['Bearer  a', 'invalid_request'],
  ])('%j is refused with %s', (header, code) => {
    expect(() => extractBearer(header)).toThrow(expect.objectContaining({ status: 401, code }));
  });
});
