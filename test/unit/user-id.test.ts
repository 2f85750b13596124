import { checkNewUserId, checkUserId, userIdSegment } from '../../src/management/user-id';

/** docs/auth0-facts.md, "User ids": a provider prefix, `|`, then any non-whitespace. */
describe('user ids', () => {
  it.each([
    'auth0|abc',
    'google-oauth2|1234',
    'oauth2|corp|https://id.example/u:1',
    'samlp|globex|jane@globex.example',
    'auth0|x?y#z%2F\\',
    'auth0|ünïcode😀',
  ])('%s is an id Auth0 can hold, and travels as one segment that decodes back to it', (id) => {
    expect(checkUserId(id)).toBe(id);
    const segment = userIdSegment(id);
    expect(segment).not.toContain('/');
    expect(decodeURIComponent(segment)).toBe(id);
  });

  it.each([
    ['no prefix', 'abc'],
    ['an empty id part', 'auth0|'],
    ['whitespace', 'auth0|a b'],
    ['a newline', 'auth0|a\nb'],
    ['NUL', 'auth0|a\u0000'],
    ['a lone surrogate', 'auth0|a\uD800'],
    ['a bad prefix', 'au/th0|a'],
    ['513 characters', 'auth0|' + 'a'.repeat(507)],
    ['not a string', 42],
  ])('%s is 400 invalid_user_id', (_name, id) => {
    expect(() => checkUserId(id)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_user_id' }));
  });

  it('a custom user_id on create: 1 to 255 non-whitespace characters', () => {
    expect(checkNewUserId('legacy:42/x')).toBe('legacy:42/x');
    expect(checkNewUserId('x'.repeat(255))).toHaveLength(255);
    for (const bad of ['', 'x'.repeat(256), 'a b', 'a\u0007', 'a\uDC00', null]) {
      expect(() => checkNewUserId(bad)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_user_id' }));
    }
  });
});
