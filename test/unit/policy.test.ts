import { validatePolicyDocument } from '../../src/config/policy-file';
import { appMetadataDirectory } from '../../src/directory';
import { compilePolicy, FieldSet, filterUser, guardSearch, guardSort, Permissions, unwritablePaths, writtenPaths } from '../../src/policy';

const hidden = new FieldSet(['password', 'identities.access_token', 'identities.refresh_token', 'secret_thing']);

const user = {
  user_id: 'auth0|1',
  email: 'a@acme.example',
  password: 'never',
  secret_thing: 'x',
  app_metadata: { roles: ['support'], org: 'acme', plan: 'gold' },
  user_metadata: { picture: 'p', prefs: { theme: 'dark' } },
  identities: [
    { connection: 'google-oauth2', provider: 'google-oauth2', access_token: 'ya29', refresh_token: 'r', user_id: '9' },
    { connection: 'db', provider: 'auth0', user_id: '1' },
  ],
};

describe('read filter', () => {
  it.each([
    [['user_id'], { user_id: 'auth0|1' }],
    [['app_metadata.org'], { app_metadata: { org: 'acme' } }],
    [['user_metadata'], { user_metadata: { picture: 'p', prefs: { theme: 'dark' } } }],
    [['identities.connection'], { identities: [{ connection: 'google-oauth2' }, { connection: 'db' }] }],
    [['password', 'email'], { email: 'a@acme.example' }],
    [
      ['identities'],
      {
        identities: [
          { connection: 'google-oauth2', provider: 'google-oauth2', user_id: '9' },
          { connection: 'db', provider: 'auth0', user_id: '1' },
        ],
      },
    ],
    [['email.nope'], {}],
    [[], {}],
  ])('when the readable set is %j, then only that is returned, never a hidden field', (patterns, expected) => {
    expect(filterUser(user, new FieldSet(patterns), hidden)).toEqual(expected);
  });

  it('reads `user_metadata.*` as the whole user_metadata subtree', () => {
    expect(filterUser(user, new FieldSet(['user_metadata.*']), hidden)).toEqual({ user_metadata: user.user_metadata });
  });

  it('when everything is readable (*), then all but the always-hidden fields are returned, and the input is untouched', () => {
    const before = JSON.stringify(user);
    const out = filterUser(user, new FieldSet(['*']), hidden);
    expect(out).not.toHaveProperty('password');
    expect(out).not.toHaveProperty('secret_thing');
    expect((out.identities as Record<string, unknown>[])[0]).not.toHaveProperty('access_token');
    expect(out.app_metadata).toEqual(user.app_metadata);
    expect(JSON.stringify(user)).toBe(before);
  });

  it.each([null, 'text', 42, [], [user]])(
    'when the upstream value is %j, then the filter answers an empty object and does not throw',
    (value) => {
      expect(filterUser(value, new FieldSet(['*']), hidden)).toEqual({});
    },
  );

  it('keeps a __proto__ key as plain data, without touching any prototype', () => {
    const hostile = JSON.parse('{"user_metadata":{"__proto__":{"polluted":true}}}') as unknown;
    const out = filterUser(hostile, new FieldSet(['user_metadata']), hidden);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out.user_metadata)).toBe(Object.prototype);
  });
});

describe('write check', () => {
  it.each([
    [{ blocked: true }, ['blocked'], []],
    [{ blocked: true, email: 'x@y' }, ['blocked'], ['email']],
    [{ user_metadata: { prefs: { theme: 'x' } } }, ['user_metadata.prefs.theme'], ['user_metadata.prefs']],
    [{ user_metadata: { prefs: { theme: 'x' } } }, ['user_metadata'], []],
    [{ user_metadata: {} }, ['user_metadata.prefs'], ['user_metadata']],
    [{ app_metadata: { roles: ['viewer'], org: 'x' } }, ['app_metadata.roles'], ['app_metadata.org']],
    [{ app_metadata: 'wipe' }, ['app_metadata.roles'], ['app_metadata']],
    [{ identities: [], created_at: 'x', logins_count: 2 }, ['*'], ['identities', 'created_at', 'logins_count']],
    [{ user_id: 'x' }, ['*'], ['user_id']],
  ])('when the body is %j and writable is %j, then the refused paths are %j', (body, writable, refused) => {
    expect(unwritablePaths(body as Record<string, unknown>, new FieldSet(writable), { creating: false })).toEqual(refused);
  });

  it('allows user_id on create only', () => {
    expect(unwritablePaths({ user_id: 'abc' }, new FieldSet(['*']), { creating: true })).toEqual([]);
  });

  it('reports the written paths at the depth Auth0 applies them', () => {
    expect(writtenPaths({ name: 'n', app_metadata: { a: { b: 1 } }, user_metadata: {} })).toEqual([
      'name',
      'app_metadata.a',
      'user_metadata',
    ]);
  });
});

/** The role change a body makes, read through the app_metadata directory at a ROLES_PATH. */
const roleChange = (body: Record<string, unknown>, target: unknown, rolesPath: string) =>
  appMetadataDirectory({ rolesPath, orgPath: 'org' }).roleChange(body, target);

describe('role changes', () => {
  const target = { app_metadata: { roles: ['viewer', 'support'], org: 'acme' } };
  it.each([
    [{ name: 'x' }, undefined],
    [{ app_metadata: { org: 'acme' } }, undefined],
    [{ app_metadata: { roles: ['viewer', 'support'] } }, undefined],
    [{ app_metadata: { roles: ['viewer', 'admin'] } }, { added: ['admin'], removed: ['support'] }],
    [{ app_metadata: { roles: null } }, { added: [], removed: ['viewer', 'support'] }],
    [{ app_metadata: {} }, { added: [], removed: ['viewer', 'support'] }],
  ])('when the body is %j, then the change is %j', (body, expected) => {
    expect(roleChange(body as Record<string, unknown>, target, 'roles')).toEqual(expected);
  });

  it.each([[{ roles: 'admin' }], [{ roles: [1] }], [{ roles: ['a b'] }], [{ roles: Array.from({ length: 51 }, (_, i) => `r${i}`) }]])(
    'when app_metadata is %j, then the roles are refused as malformed',
    (appMetadata) => {
      expect(() => roleChange({ app_metadata: appMetadata }, target, 'roles')).toThrow(/must be an array/);
    },
  );

  it('follows a nested ROLES_PATH', () => {
    const nested = { app_metadata: { authz: { roles: ['a'] } } };
    expect(roleChange({ app_metadata: { authz: { roles: ['a', 'b'] } } }, nested, 'authz.roles')).toEqual({ added: ['b'], removed: [] });
    expect(roleChange({ app_metadata: { authz: {} } }, nested, 'authz.roles')).toEqual({ added: [], removed: ['a'] });
  });
});

describe('permissions', () => {
  const policy = compilePolicy(
    validatePolicyDocument(
      {
        roles: {
          helpdesk: { can: ['list', 'read', 'update'], read: ['user_id', 'email'], write: ['blocked'], scope: 'org' },
          directory: { can: ['list'], read: ['user_id', 'name'] },
          ghost: { can: [] },
        },
      },
      'test',
    ),
    appMetadataDirectory({ orgPath: 'team', rolesPath: 'roles' }),
  );
  const inTeam = { app_metadata: { team: 'red' } };
  const otherTeam = { app_metadata: { team: 'blue' } };

  it('is the union over known roles; unknown and empty roles grant nothing', () => {
    const p = new Permissions(policy, { sub: 'x', roles: ['helpdesk', 'directory', 'unknown'], org: 'red' });
    expect(p.hasRole).toBe(true);
    expect(p.readable('list', inTeam).patterns).toEqual(['email', 'name', 'user_id']);
    expect(p.readable('list', otherTeam).patterns).toEqual(['name', 'user_id']);
    expect(p.rolesFor('update', otherTeam)).toEqual([]);
    expect(new Permissions(policy, { sub: 'x', roles: ['ghost', 'unknown'] }).hasRole).toBe(false);
  });

  it('compares a numeric org as its string', () => {
    const p = new Permissions(policy, { sub: 'x', roles: ['helpdesk'], org: '42' });
    expect(p.rolesFor('read', { app_metadata: { team: 42 } })).toHaveLength(1);
    expect(p.rolesFor('read', { app_metadata: { team: 43 } })).toHaveLength(0);
  });

  it('an org-scoped role reaches nothing when the caller has no org', () => {
    const p = new Permissions(policy, { sub: 'x', roles: ['helpdesk'] });
    expect(p.rolesFor('read', inTeam)).toEqual([]);
    expect(p.rolesFor('read', { app_metadata: {} })).toEqual([]);
  });

  it('reports effective permissions for /me/permissions', () => {
    const summary = new Permissions(policy, { sub: 'x', roles: ['helpdesk', 'directory'], org: 'red' }).summary();
    expect(summary).toMatchObject({
      actions: ['list', 'read', 'update'],
      scope: { list: 'all', read: 'org', update: 'org' },
      write: ['blocked'],
    });
  });
});

describe('search guard', () => {
  const readable = new FieldSet(['user_id', 'email', 'name', 'app_metadata.org', 'identities.connection']);
  it.each([
    ['email:"a@b.example"', 'email:"a@b.example"'],
    ['name:jo* AND NOT app_metadata.org:acme', 'name:jo* AND NOT app_metadata.org:acme'],
    [
      'identities.connection:"google-oauth2" OR email.domain:"acme.example"',
      'identities.connection:"google-oauth2" OR email.domain:"acme.example"',
    ],
    ['_exists_:app_metadata.org', '_exists_:app_metadata.org'],
  ])('when q is %s, then it is re-serialised from the tree and allowed', (q, sent) => {
    expect(guardSearch(q, readable, hidden).q).toBe(sent);
  });

  it.each([
    ['app_metadata.roles:admin', ['app_metadata.roles']],
    ['_exists_:password', ['password']],
    ['name:x OR user_metadata.secret:y', ['user_metadata.secret']],
    ['app_metadata:x', ['app_metadata']],
    ['bare', ['name the field']],
    ['-logins_count:1', ['logins_count']],
    ['user_metadata:(a OR b)', ['user_metadata']],
  ])('when q is %s, then 403 names the unreadable fields', (q, fields) => {
    expect(() => guardSearch(q, readable, hidden)).toThrow(
      expect.objectContaining({ status: 403, code: 'field_not_readable', message: expect.stringContaining(fields.join(', ')) }),
    );
  });

  it('when q is a bare term and the caller reads every field, then it is allowed', () => {
    expect(guardSearch('jane*', new FieldSet(['*']), hidden).q).toBe('jane*');
  });

  it.each(['name:"unbalanced', '(name:x', '*) OR (app_metadata.org:other', 'name:/regex.*/', 'x'.repeat(2001)])(
    'when q is %s, then 400 invalid_search',
    (q) => {
      expect(() => guardSearch(q, new FieldSet(['*']), hidden)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_search' }));
    },
  );

  // Auth0 docs (user search query syntax): `*` only; a suffix or infix wildcard needs 3 literal
  // characters; no wildcard or range on user_metadata. A prefix of any length is allowed.
  it.each([
    ['name:jan?', '? wildcard'],
    ['name:*sa', 'at least 3'],
    ['name:j*n', 'at least 3'],
    ['email:*@a', 'at least 3'],
    ['user_metadata.locale:e*', 'no wildcard on user_metadata'],
    ['user_metadata.age:[1 TO 5]', 'no range on user_metadata'],
    ['user_metadata:{a TO *}', 'no range on user_metadata'],
    ['email:x\\', 'ends in a backslash'],
    ['email:x\\\\\\', 'ends in a backslash'],
  ])('when q is %s, then 400 invalid_search names the rule', (q, rule) => {
    expect(() => guardSearch(q, new FieldSet(['*']), hidden)).toThrow(
      expect.objectContaining({ status: 400, code: 'invalid_search', message: expect.stringContaining(rule) }),
    );
  });

  it.each([
    'name:j*',
    'name:*usa',
    'name:*usa*',
    'email:jo*hn',
    'name:\\?x*',
    'user_metadata.locale:en',
    'app_metadata.n:[1 TO 5]',
    'name:"a?b*"',
    'email:x\\\\',
  ])('when q is %s, then Auth0 accepts it and so does the guard', (q) => {
    expect(guardSearch(q, new FieldSet(['*']), hidden).q).toBe(q);
  });

  it.each([['acme'], ['ac"me'], ['a\\b'], ['x) OR (a:b'], ['\\']])(
    "when the caller's org is %j, then the wrapper is the checked query plus the org phrase",
    (org) => {
      const sent = guardSearch('name:x OR email:y', new FieldSet(['*']), hidden, { orgPath: 'org', org }).q!;
      expect(sent.startsWith('(name:x OR email:y) AND app_metadata.org:"')).toBe(true);
    },
  );

  it('when the org path is not a plain dot path, then the wrapped query is refused rather than sent', () => {
    // Defence in depth: the org path comes from configuration, which validates it; a path that would
    // reshape the query is still caught by re-parsing what would be sent.
    expect(() => guardSearch('name:x', new FieldSet(['*']), hidden, { orgPath: 'org:x OR name', org: 'acme' })).toThrow(
      expect.objectContaining({ status: 400, code: 'invalid_search' }),
    );
  });

  it('when sort names metadata, then 400 invalid_query, whatever the caller reads', () => {
    for (const sort of ['app_metadata.x:1', 'user_metadata.y:-1', 'app_metadata:1']) {
      expect(() => guardSort(sort, new FieldSet(['*']), hidden)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_query' }));
    }
    expect(guardSort('created_at:-1', new FieldSet(['*']), hidden)).toBe('created_at:-1');
  });

  it.each(['identities.access_token:ya29*', '_exists_:identities.refresh_token', 'password:x', 'identities:x', 'secret_thing:1'])(
    'when q=%s names an always-hidden field, then it is refused even for a caller that reads *',
    (q) => {
      expect(() => guardSearch(q, new FieldSet(['*']), hidden)).toThrow(
        expect.objectContaining({ status: 403, code: 'field_not_readable' }),
      );
    },
  );

  it('wraps the query for an org-scoped caller, escaping the org so it cannot widen the filter', () => {
    expect(guardSearch('name:x OR name:y', readable, hidden, { orgPath: 'org', org: 'acme' }).q).toBe(
      '(name:x OR name:y) AND app_metadata.org:"acme"',
    );
    expect(guardSearch(undefined, readable, hidden, { orgPath: 'org', org: 'ac"me) OR (x' }).q).toBe('app_metadata.org:"ac\\"me) OR (x"');
  });

  it('allows sort only on a readable field, in Auth0 form', () => {
    expect(guardSort('email:1', readable, hidden)).toBe('email:1');
    expect(() => guardSort('last_ip:-1', readable, hidden)).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => guardSort('email', readable, hidden)).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => guardSort('password:1', new FieldSet(['*']), hidden)).toThrow(expect.objectContaining({ status: 403 }));
  });
});
