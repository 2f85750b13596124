import { generateKeyPairSync } from 'node:crypto';
import type { Request, Response } from 'express';
import { expressjwt } from 'express-jwt';
import jwt from 'jsonwebtoken';
import { extractBearer } from '../../src/auth/bearer';
import { classifyVerificationError, requireSubjectAndExpiry, signingKid } from '../../src/auth/token-checks';
import { HttpError } from '../../src/errors';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const now = Math.floor(Date.now() / 1000);
const sign = (payload: object, key = privateKey, alg: jwt.Algorithm = 'RS256') => jwt.sign(payload, key, { algorithm: alg });
const good = { iss: 'https://tenant/', aud: 'api', sub: 'auth0|1', exp: now + 60 };
const rules = { issuer: 'https://tenant/', audience: 'api', algorithms: ['RS256'], clockToleranceS: 0 };

/**
 * What express-jwt hands to `next` for a request with this Authorization header, configured the way
 * verify-token.ts configures it (but with its own header parsing, and the key given directly).
 */
function libraryError(authorization: string | undefined): Promise<unknown> {
  const check = expressjwt({ secret: publicKey, algorithms: ['RS256'], issuer: rules.issuer, audience: rules.audience, clockTolerance: 0 });
  const req = { method: 'GET', headers: authorization === undefined ? {} : { authorization } } as Request;
  return new Promise((resolve, reject) => {
    void check(req, {} as Response, (err?: unknown) => (err ? resolve(err) : reject(new Error('the token verified'))));
  });
}

/**
 * Each case is a real token and the error express-jwt (wrapping jsonwebtoken) really gives for it:
 * if a version bump changes a code, a class or a message, the mapping fails here rather than turning
 * into a wrong 401.
 */
describe('express-jwt and jsonwebtoken errors map onto the catalogue', () => {
  it.each([
    ['expired', sign({ ...good, exp: now - 10 }), 'token_expired', 'The access token has expired.'],
    ['not yet valid', sign({ ...good, nbf: now + 600 }), 'invalid_token', 'The token is not valid yet (nbf).'],
    ['another audience', sign({ ...good, aud: 'other' }), 'invalid_token', 'The token was not issued for this API (aud).'],
    ['another issuer', sign({ ...good, iss: 'https://evil/' }), 'invalid_token', 'The token was not issued by the expected tenant (iss).'],
    ['another algorithm', sign(good, privateKey, 'RS384'), 'invalid_token', 'The token is signed with an algorithm that is not accepted.'],
    ['another key', sign(good, other.privateKey), 'invalid_token', 'The token signature is invalid.'],
    ['not a JWT', 'not-a-jwt', 'invalid_token', 'The token is malformed or invalid.'],
    ['no signature', sign(good).split('.').slice(0, 2).join('.') + '.', 'invalid_token', 'The token is malformed or invalid.'],
  ])('%s', async (_case, token, code, message) => {
    const mapped = classifyVerificationError(await libraryError(`Bearer ${token}`));
    expect([mapped.status, mapped.code, mapped.message]).toEqual([401, code, message]);
  });

  it.each([
    ['no header', undefined, 'credentials_required'],
    ['another scheme', 'Basic dXNlcjpwYXNz', 'invalid_request'],
    ['a malformed header', 'Bearer a b', 'invalid_request'],
  ])("express-jwt's own header errors: %s", async (_case, header, code) => {
    const mapped = classifyVerificationError(await libraryError(header));
    expect([mapped.status, mapped.code]).toEqual([401, code]);
  });

  it('an HttpError (a key lookup failing with 503) passes through unchanged; anything else is an invalid token', () => {
    const unavailable = new HttpError(503, 'jwks_unavailable', 'x');
    expect(classifyVerificationError(unavailable)).toBe(unavailable);
    expect(classifyVerificationError('a string').code).toBe('invalid_token');
  });
});

describe('token checks around the library', () => {
  const decode = (token: string) => jwt.decode(token, { complete: true });

  it('the kid of an acceptable token is chosen for the key lookup', () => {
    expect(signingKid(decode(jwt.sign(good, privateKey, { algorithm: 'RS256', keyid: 'k-1' })), rules)).toBe('k-1');
  });

  it.each([
    ['not a JWT', decode('not-a-jwt'), 'The token is malformed or invalid.'],
    [
      'an algorithm not accepted',
      decode(jwt.sign(good, privateKey, { algorithm: 'RS384', keyid: 'k-1' })),
      'The token is signed with an algorithm that is not accepted.',
    ],
    ['no kid', decode(sign(good)), 'The token names no usable signing key (kid).'],
    [
      'an implausible kid',
      decode(jwt.sign(good, privateKey, { algorithm: 'RS256', keyid: 'k 1'.repeat(50) })),
      'The token names no usable signing key (kid).',
    ],
  ])('%s is refused before any key lookup', (_case, decoded, message) => {
    expect(() => signingKid(decoded, rules)).toThrow(expect.objectContaining({ status: 401, code: 'invalid_token', message }));
  });

  it.each([
    ['no sub', { exp: now }, 'The token has no subject (sub).'],
    ['an oversized sub', { sub: 'x'.repeat(513), exp: now }, 'The token has no subject (sub).'],
    ['no exp', { sub: 'auth0|1' }, 'The token has no expiry (exp).'],
  ])('verified claims with %s are refused', (_case, claims, message) => {
    expect(() => requireSubjectAndExpiry(claims)).toThrow(expect.objectContaining({ status: 401, code: 'invalid_token', message }));
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
