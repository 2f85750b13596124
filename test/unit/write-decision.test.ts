import { appMetadataDirectory } from '../../src/directory';
import { compilePolicy, decide, misleadingKey, Permissions, type PolicyDocument, type Verdict } from '../../src/policy';

/** The one write decision, table-driven on a small policy of its own (names unlike the shipped ones). */
const doc: PolicyDocument = {
  roles: {
    lead: {
      can: ['list', 'read', 'create', 'update'],
      read: ['*'],
      write: ['name', 'blocked', 'email', 'connection', 'app_metadata.roles', 'app_metadata.org'],
      grant: ['crew'],
      connections: ['db'],
      scope: 'org',
    },
    crew: { can: ['read'], read: ['user_id'], scope: 'org' },
    root: { can: ['update'], write: ['*'], grant: ['*'] },
  },
  self: { write: ['user_metadata', 'blocked'] },
};
const policy = compilePolicy(doc, appMetadataDirectory({ orgPath: 'org', rolesPath: 'roles' }));
const as = (roles: string[], org = 'o1') => new Permissions(policy, { sub: 'auth0|me', roles, org });
const user = (roles: string[], org = 'o1', provider = 'auth0') => ({
  user_id: 'auth0|t',
  identities: [{ provider, connection: provider === 'auth0' ? 'db' : 'social' }],
  app_metadata: { roles, org },
});
const code = (verdict: Verdict) => (verdict.allowed ? 'allowed' : verdict.error.code);
/** The decision for a write: a create (no target), an update of another user, or one's own profile. */
const decideWrite = (p: Permissions, mode: 'create' | 'update' | 'self', body: Record<string, unknown>, target: Record<string, unknown>) =>
  mode === 'create'
    ? decide(p, 'create', undefined, { body })
    : decide(p, mode === 'self' ? 'self_update' : 'update', target, { id: mode === 'self' ? p.sub : 'auth0|t', body });
/** What is refused before the target is read. */
const screenWrite = (p: Permissions, _mode: 'update', body: Record<string, unknown>) => {
  const verdict = decide(p, 'update', undefined, { id: 'auth0|t', body });
  return verdict.allowed ? undefined : verdict.error;
};

describe('write decision', () => {
  it.each([
    ['a plain member', ['lead'], {}, user([]), { name: 'x' }, 'allowed'],
    ['a member holding a grantable role', ['lead'], {}, user(['crew']), { name: 'x' }, 'allowed'],
    ['a peer', ['lead'], {}, user(['lead']), { name: 'x' }, 'target_protected'],
    ['someone with an unknown role', ['lead'], {}, user(['crew', 'ghost']), { blocked: true }, 'target_protected'],
    ['a user of another org', ['lead'], {}, user([], 'o2'), { name: 'x' }, 'user_not_found'],
    ['a field outside write', ['lead'], {}, user([]), { nickname: 'x' }, 'field_not_writable'],
    ['a role outside grant', ['lead'], {}, user([]), { app_metadata: { roles: ['root'] } }, 'role_not_grantable'],
    ['a move to another org', ['lead'], {}, user([]), { app_metadata: { org: 'o2' } }, 'org_forbidden'],
    ['a provider-owned attribute', ['lead'], {}, user([], 'o1', 'google-oauth2'), { email: 'a@b.c' }, 'attribute_not_updatable'],
    ['anyone, for grant *', ['root'], {}, user(['root', 'ghost'], 'o2'), { app_metadata: { org: 'o3' } }, 'allowed'],
  ])('update of %s', (_what, roles, _x, target, body, expected) => {
    expect(code(decideWrite(as(roles), 'update', body, target))).toBe(expected);
  });

  it('a create by an org-scoped role is forced into its org and may grant only its grant', () => {
    const verdict = decideWrite(as(['lead']), 'create', { connection: 'db', email: 'n@x.example', app_metadata: { roles: ['crew'] } }, {});
    expect(verdict).toMatchObject({
      allowed: true,
      invalidatesTarget: false,
      body: { connection: 'db', email: 'n@x.example', app_metadata: { roles: ['crew'], org: 'o1' } },
    });
    expect(code(decideWrite(as(['lead']), 'create', { connection: 'db', app_metadata: { roles: ['root'] } }, {}))).toBe(
      'role_not_grantable',
    );
    expect(code(decideWrite(as(['lead']), 'create', { connection: 'db', app_metadata: { org: 'o2' } }, {}))).toBe('org_forbidden');
  });

  it('says when the write changes the target as a caller (roles, org, blocked), so its cached entry must go', () => {
    const rebinds = (body: Record<string, unknown>) => {
      const verdict = decideWrite(as(['root']), 'update', body, user([]));
      return verdict.allowed && verdict.invalidatesTarget;
    };
    expect([rebinds({ name: 'x' }), rebinds({ user_metadata: { a: 1 } })]).toEqual([false, false]);
    expect([
      rebinds({ blocked: false }),
      rebinds({ app_metadata: { roles: ['crew'] } }),
      rebinds({ app_metadata: { org: 'o2' } }),
      rebinds({ app_metadata: {} }),
    ]).toEqual([true, true, true, true]);
  });

  it("self mode: never one's own roles or org, and blocking oneself binds at once", () => {
    const me = user(['crew']);
    expect(code(decideWrite(as(['crew']), 'self', { app_metadata: { roles: [] } }, me))).toBe('field_not_writable');
    expect(decideWrite(as(['crew']), 'self', { blocked: true }, me)).toMatchObject({ allowed: true, invalidatesTarget: true });
  });

  it('the screen refuses, before any target is read, what no target could make right', () => {
    expect(screenWrite(as([]), 'update', { name: 'x' })?.code).toBe('no_role');
    expect(screenWrite(as(['crew']), 'update', { name: 'x' })?.code).toBe('action_forbidden');
    expect(screenWrite(as(['lead']), 'update', {})?.code).toBe('invalid_body');
    expect(screenWrite(as(['lead']), 'update', { name: 'x' })).toBeUndefined();
  });

  it('an update refused for its target (scope, protection) is refused so whatever its fields: fields are judged on the target', () => {
    expect(screenWrite(as(['lead']), 'update', { nickname: 'x' })).toBeUndefined();
    expect(code(decideWrite(as(['lead']), 'update', { nickname: 'x' }, user(['lead'])))).toBe('target_protected');
    expect(code(decideWrite(as(['lead']), 'update', { nickname: 'x' }, user([], 'o2')))).toBe('user_not_found');
    expect(code(decideWrite(as(['lead']), 'update', { nickname: 'x' }, user([])))).toBe('field_not_writable');
  });
});

describe('misleading keys', () => {
  it.each([
    [{ 'app_metadata.roles': ['x'] }, '"app_metadata.roles"'],
    [{ role: 'x' }, '"role"'],
    [{ app_metadata: { 'roles.x': [] } }, 'app_metadata["roles.x"]'],
    [{ user_metadata: { a: [{ b: { $set: 1 } }] } }, 'user_metadata.a.b["$set"]'],
  ])('%j is refused naming %s', (body, named) => {
    const refusal = misleadingKey(body);
    expect(refusal?.code).toBe('invalid_body');
    expect(refusal?.message).toContain(named);
  });

  it('every attribute Auth0 takes, read-only ones included, and plain metadata keys pass', () => {
    expect(
      misleadingKey({ email: 'a', identities: [], app_metadata: { roles: ['x'], 'a-b_c': { d: 1 } }, user_metadata: { 'x y': 1 } }),
    ).toBeUndefined();
  });
});
