import fc from 'fast-check';
import { FieldSet, filterUser, unwritablePaths, NEVER_WRITABLE } from '../../src/policy';
import { allPaths } from '../helpers/stack';

const SEGMENTS = [
  'user_id',
  'email',
  'name',
  'password',
  'app_metadata',
  'user_metadata',
  'identities',
  'roles',
  'org',
  'access_token',
  'refresh_token',
  'connection',
  'picture',
  'x',
  'created_at',
  'blocked',
];

const segment = fc.constantFrom(...SEGMENTS);
const pattern = fc.oneof(
  fc.constant('*'),
  fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('.')),
);
const leaf = fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean(), fc.constant(null));
const json: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(segment, tie('value'), { maxKeys: 4 }),
  ),
})).value;
const user = fc.dictionary(segment, json, { maxKeys: 8 });

/** True when the set reaches the path: the path or an ancestor is in it. */
function coveredBy(patterns: string[], path: string): boolean {
  return patterns.some((p) => p === '*' || path === p || path.startsWith(`${p}.`));
}

describe('policy properties (fast-check)', () => {
  it('the read filter never returns a path outside the readable set, nor an always-hidden one', () => {
    fc.assert(
      fc.property(
        user,
        fc.array(pattern, { maxLength: 5 }),
        fc.array(
          pattern.filter((p) => p !== '*'),
          { maxLength: 3 },
        ),
        (u, readable, extraHidden) => {
          const hiddenPatterns = ['password', 'identities.access_token', 'identities.refresh_token', ...extraHidden];
          const out = filterUser(u, new FieldSet(readable), new FieldSet(hiddenPatterns));
          for (const path of allPaths(out)) {
            const ancestors = path.split('.').map((_, i, all) => all.slice(0, i + 1).join('.'));
            expect(ancestors.some((a) => coveredBy(readable, a)) || readable.some((p) => p.startsWith(`${path}.`))).toBe(true);
            expect(coveredBy(hiddenPatterns, path)).toBe(false);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the write check never accepts a path outside the writable set, nor a never-writable one', () => {
    fc.assert(
      fc.property(user, fc.array(pattern, { maxLength: 5 }), (body, writable) => {
        const refused = new Set(unwritablePaths(body, new FieldSet(writable), { creating: false }));
        for (const key of Object.keys(body)) {
          const value = body[key];
          const paths =
            (key === 'app_metadata' || key === 'user_metadata') &&
            value &&
            typeof value === 'object' &&
            !Array.isArray(value) &&
            Object.keys(value).length > 0
              ? Object.keys(value).map((k) => `${key}.${k}`)
              : [key];
          for (const path of paths) {
            if (!coveredBy(writable, path) || NEVER_WRITABLE.includes(key)) expect(refused.has(path)).toBe(true);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
