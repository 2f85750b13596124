import { covers, searchableFields } from '../../console/src/field-access';
import { buildQuery } from '../../console/src/search-query';

describe("the console's search box", () => {
  it.each([
    ['email', 'ada@acme.example', false, 'email:"ada@acme.example"'],
    ['email', 'ada*', false, 'email:ada*'],
    ['name', 'Ada "the" Lovelace', false, 'name:"Ada \\"the\\" Lovelace"'],
    ['name', 'a:b(c)*', false, 'name:a\\:b\\(c\\)*'],
    ['app_metadata.org', '  acme ', false, 'app_metadata.org:"acme"'],
    ['*', 'ada', true, '"ada"'],
  ])('%s = %j builds %s', (field, value, anyField, expected) => {
    expect(buildQuery(field, value, anyField)).toBe(expected);
  });

  it('an empty value lists without a query; a bare term is refused to callers who may not read everything', () => {
    expect(buildQuery('email', '   ', false)).toBeUndefined();
    expect(() => buildQuery('*', 'ada', false)).toThrow();
  });

  it('offers the searchable fields the caller reads in full, and "any field" only to "*" readers', () => {
    expect(searchableFields(['user_id', 'name', 'nickname', 'picture'])).toEqual({
      fields: ['name', 'nickname', 'user_id'],
      anyField: false,
    });
    expect(searchableFields(['app_metadata']).fields).toEqual(['app_metadata.org', 'app_metadata.roles']);
    expect(searchableFields(['*']).anyField).toBe(true);
    expect(covers(['user_metadata.*'], 'user_metadata.locale')).toBe(true);
    expect(covers(['app_metadata.org'], 'app_metadata')).toBe(false);
  });
});
