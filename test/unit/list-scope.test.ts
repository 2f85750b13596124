import { validatePolicyDocument } from '../../src/config/policy-file';
import { appMetadataDirectory } from '../../src/directory';
import { compilePolicy, decide, Permissions } from '../../src/policy';

/**
 * Org scoping of lists, on its own: a caller whose only roles that list are org-scoped gets its search
 * narrowed upstream to its org (wrapped around whatever it searched), and each answered user is kept
 * only when a role in scope for that user reaches it. Role names and ORG_PATH unlike the shipped ones.
 */
const policy = compilePolicy(
  validatePolicyDocument(
    {
      roles: {
        desk: { can: ['list', 'read'], read: ['user_id', 'name'], scope: 'org' },
        census: { can: ['list'], read: ['user_id'] },
      },
    },
    'list scope test',
  ),
  appMetadataDirectory({ rolesPath: 'roles', orgPath: 'tenant.team' }),
);
const as = (roles: string[], org?: string) => new Permissions(policy, { sub: 'auth0|me', roles, org });
const listQuery = (p: Permissions, q?: string) => {
  const verdict = decide(p, 'list', undefined, { query: q === undefined ? {} : { q } });
  return verdict.allowed ? verdict.list!.q : `refused ${verdict.error.code}`;
};

describe('org scoping of lists', () => {
  it('an org-scoped lister searches only its org: the filter alone, or wrapped around its query', () => {
    expect(listQuery(as(['desk'], 'red'))).toBe('app_metadata.tenant.team:"red"');
    expect(listQuery(as(['desk'], 'red'), 'name:jo*')).toBe('(name:jo*) AND app_metadata.tenant.team:"red"');
    expect(listQuery(as(['desk'], 'red'), 'name:a OR name:b')).toBe('(name:a OR name:b) AND app_metadata.tenant.team:"red"');
  });

  it('a query cannot widen the filter: a quote in the org stays inside the phrase', () => {
    expect(listQuery(as(['desk'], 'r") OR (x'), 'name:a')).toBe('(name:a) AND app_metadata.tenant.team:"r\\") OR (x"');
  });

  it('an org-scoped lister without an org lists nothing', () => {
    expect(listQuery(as(['desk']))).toBe('refused action_forbidden');
  });

  it('a role that lists every org lifts the narrowing', () => {
    expect(listQuery(as(['census']), 'user_id:x')).toBe('user_id:x');
    expect(listQuery(as(['desk', 'census'], 'red'), 'user_id:x')).toBe('user_id:x');
  });

  it('each answered user is kept only when a role in scope reaches it, with what that role reads', () => {
    const inRed = { user_id: 'auth0|1', name: 'R', app_metadata: { tenant: { team: 'red' } } };
    const inBlue = { user_id: 'auth0|2', name: 'B', app_metadata: { tenant: { team: 'blue' } } };
    expect(as(['desk'], 'red').view('list', inRed)).toEqual({ user_id: 'auth0|1', name: 'R' });
    expect(as(['desk'], 'red').view('list', inBlue)).toBeUndefined();
    expect(as(['desk', 'census'], 'red').view('list', inBlue)).toEqual({ user_id: 'auth0|2' });
  });
});
