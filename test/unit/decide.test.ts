import { appMetadataDirectory } from '../../src/directory';
import { compilePolicy, decide, Permissions, type DecisionAction, type DecisionInput, type PolicyDocument } from '../../src/policy';

/**
 * The verdict of the one decision: which rule refused (role, policy key, value: what a command line
 * explains), and what an allowed verdict says to do upstream. A small policy of its own, names unlike
 * the shipped ones.
 */
const doc: PolicyDocument = {
  roles: {
    lead: {
      can: ['list', 'read', 'create', 'update', 'logout', 'read_logs'],
      read: ['*'],
      write: ['name', 'blocked', 'connection', 'app_metadata.roles'],
      grant: ['crew'],
      connections: ['db'],
      scope: 'org',
      log_fields: ['date', 'type'],
    },
    crew: { can: ['read'], read: ['user_id'], scope: 'org' },
    root: { can: ['list', 'read', 'update', 'delete'], read: ['*'], write: ['*'], grant: ['*'] },
  },
  self: { can: ['logout'] },
};
const policy = compilePolicy(doc, appMetadataDirectory({ rolesPath: 'roles', orgPath: 'unit' }));
const as = (roles: string[], org = 'o1') => new Permissions(policy, { sub: 'auth0|me', roles, org });
const user = (roles: string[], unit = 'o1', id = 'auth0|t') => ({
  user_id: id,
  identities: [{ provider: 'auth0', connection: 'db' }],
  app_metadata: { roles, unit },
});
const run = (p: Permissions, action: DecisionAction, target: Record<string, unknown> | undefined, input: DecisionInput) => {
  const first = decide(p, action, undefined, input);
  return first.allowed && target ? decide(p, action, target, input, first) : first;
};
const refusal = (...args: Parameters<typeof run>) => {
  const verdict = run(...args);
  return verdict.allowed ? 'allowed' : { code: verdict.error.code, rule: verdict.rule };
};

describe('decide: the rule that refused', () => {
  it.each([
    ['no known role', as(['ghost']), 'read', user([]), { id: 'auth0|t' }, { code: 'no_role', rule: { key: 'roles' } }],
    [
      'no role allowing the action',
      as(['crew']),
      'update',
      user([]),
      { id: 'auth0|t', body: { name: 'x' } },
      { code: 'action_forbidden', rule: { role: 'crew', key: 'can', value: 'update' } },
    ],
    [
      'a target outside the org',
      as(['lead']),
      'update',
      user([], 'o2'),
      { id: 'auth0|t', body: { name: 'x' } },
      { code: 'user_not_found', rule: { role: 'lead', key: 'scope', value: 'org' } },
    ],
    [
      'a target holding a role outside grant',
      as(['lead']),
      'logout',
      user(['root']),
      { id: 'auth0|t' },
      { code: 'target_protected', rule: { role: 'lead', key: 'grant', value: 'root' } },
    ],
    [
      'a field outside write',
      as(['lead']),
      'update',
      user([]),
      { id: 'auth0|t', body: { nickname: 'x' } },
      { code: 'field_not_writable', rule: { role: 'lead', key: 'write', value: 'nickname' } },
    ],
    [
      'a role outside grant',
      as(['lead']),
      'update',
      user([]),
      { id: 'auth0|t', body: { app_metadata: { roles: ['root'] } } },
      { code: 'role_not_grantable', rule: { role: 'lead', key: 'grant', value: 'root' } },
    ],
    [
      'oneself through /users/:id',
      as(['root']),
      'update',
      user([], 'o1', 'auth0|me'),
      { id: 'auth0|me', body: { name: 'x' } },
      { code: 'self_forbidden', rule: { key: 'self' } },
    ],
    [
      'a desk action on oneself that self.can does not list',
      as(['lead']),
      'read_logs',
      user([], 'o1', 'auth0|me'),
      { id: 'auth0|me' },
      { code: 'self_forbidden', rule: { key: 'self.can', value: 'read_logs' } },
    ],
    [
      'a connection outside connections',
      as(['lead']),
      'create',
      undefined,
      { body: { connection: 'other', name: 'x' } },
      { code: 'connection_forbidden', rule: { role: 'lead', key: 'connections', value: 'other' } },
    ],
    [
      'a log sort on an unread field',
      as(['lead']),
      'read_logs',
      user([]),
      { id: 'auth0|t', query: { sort: 'ip:1' } },
      { code: 'field_not_readable', rule: { role: 'lead', key: 'log_fields', value: 'ip' } },
    ],
  ] as const)('%s', (_what, p, action, target, input, expected) => {
    expect(refusal(p, action, target, input as DecisionInput)).toEqual(expected);
  });
});

describe('decide: what an allowed verdict says to do', () => {
  it('a desk action on oneself that self.can lists skips target protection', () => {
    expect(run(as(['lead']), 'logout', user(['root'], 'o1', 'auth0|me'), { id: 'auth0|me' })).toMatchObject({
      allowed: true,
      logFields: ['date', 'type'],
    });
  });

  it('a create by an org-scoped role sends the body with its org forced in', () => {
    const verdict = run(as(['lead']), 'create', undefined, { body: { connection: 'db', name: 'N' } });
    expect(verdict).toMatchObject({
      allowed: true,
      body: { connection: 'db', name: 'N', app_metadata: { unit: 'o1' } },
      invalidatesTarget: false,
    });
  });

  it('a delete, or a write of roles, org or blocked, drops the target cached caller entry', () => {
    expect(run(as(['root']), 'delete', user([]), { id: 'auth0|t' })).toMatchObject({ allowed: true, invalidatesTarget: true });
    expect(run(as(['root']), 'update', user([]), { id: 'auth0|t', body: { name: 'x' } })).toMatchObject({
      allowed: true,
      invalidatesTarget: false,
    });
    expect(run(as(['root']), 'update', user([]), { id: 'auth0|t', body: { app_metadata: { unit: 'o2' } } })).toMatchObject({
      allowed: true,
      invalidatesTarget: true,
    });
  });

  it('a read keeps the fields the acting roles read, and the checked selection', () => {
    const verdict = run(as(['lead', 'crew']), 'read', user([]), { id: 'auth0|t', query: { fields: 'name,user_id' } });
    expect(verdict.allowed && verdict.acting.map((r) => r.name)).toEqual(['lead', 'crew']);
    expect(verdict).toMatchObject({ selection: { names: ['name', 'user_id'], include: true } });
  });
});
