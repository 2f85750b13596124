import { CallerCache } from '../../src/auth/caller-cache';
import { ConfigError, loadConfig } from '../../src/config/env';
import {
  appMetadataDirectory,
  directoryFor,
  MEMBER_ELSEWHERE,
  membershipsOf,
  organizationsDirectory,
  ROLES_NOT_COUNTED,
  withMemberships,
  type Memberships,
} from '../../src/directory';
import { missingScopes } from '../../src/management/required-scopes';
import { compilePolicy, decide, Permissions, type DecisionAction, type DecisionInput, type PolicyDocument } from '../../src/policy';
import { decideOrg } from '../../src/policy/decide-org';
import { memberRolePolicy, rolesOfCaller } from '../../src/policy/member-roles';
import { protectedRoles } from '../../src/policy/rules/protection';

/**
 * ORG_SOURCE=organizations, the pure parts: member roles bound to the organization, memberships as
 * the directory reads them, target protection counting every role, lists and creates of an org-scoped
 * caller, the config pairs and scopes, and the caller cache's per-org slots. Role names unlike the
 * shipped ones.
 */
const doc: PolicyDocument = {
  roles: {
    chief: { can: ['list', 'read', 'create', 'update', 'delete'], read: ['*'], write: ['*'], grant: ['*'], connections: ['*'] },
    warden: {
      can: ['list', 'read', 'create', 'update', 'delete'],
      read: ['user_id', 'email', 'name'],
      write: ['name', 'email', 'connection'],
      grant: ['ranger'],
      connections: ['db'],
      scope: 'org',
    },
    ranger: { can: ['read'], read: ['user_id'], scope: 'org' },
  },
};
const directory = organizationsDirectory({ rolesPath: 'roles', orgPath: 'org', rbac: true });
const policy = compilePolicy(doc, directory);
const ORG = 'org_A1';
const OTHER = 'org_B2';

const member = (orgs: [string, unknown[] | undefined][], tenantRoles: string[] = [], complete = true) =>
  withMemberships({ user_id: 'auth0|t', roles: tenantRoles, identities: [{ provider: 'auth0', connection: 'db' }] }, {
    orgs: new Map(orgs),
    complete,
  } satisfies Memberships);
const as = (roles: string[], memberRoles?: string[], org: string | null = ORG) =>
  new Permissions(policy, { sub: 'auth0|me', roles, ...(org ? { org } : {}), ...(memberRoles ? { memberRoles } : {}) });
const run = (p: Permissions, action: DecisionAction, target: Record<string, unknown> | undefined, input: DecisionInput) => {
  const first = decide(p, action, undefined, input);
  return first.allowed && target ? decide(p, action, target, input, first) : first;
};
const code = (...args: Parameters<typeof run>) => {
  const verdict = run(...args);
  return verdict.allowed ? 'allowed' : verdict.error.code;
};

describe('member roles act only in the organization', () => {
  it('a member role named like a tenant-wide role is bound to the org and grants only org-scoped roles', () => {
    const chief = policy.roles.get('chief')!;
    const bound = memberRolePolicy(policy, chief);
    expect(bound).toMatchObject({ name: 'chief', scope: 'org' });
    expect(bound.grant.all).toBe(false);
    expect([...bound.grant.names].sort()).toEqual(['ranger', 'warden']);
    // Built once per policy and role.
    expect(memberRolePolicy(policy, chief)).toBe(bound);
    // A role already org-scoped, granting only org-scoped roles, is itself.
    expect(memberRolePolicy(policy, policy.roles.get('warden')!)).toBe(policy.roles.get('warden'));
  });

  it('a role held as a tenant role too keeps its own scope; unknown names are dropped', () => {
    expect(rolesOfCaller(policy, ['chief'], ['chief', 'nobody']).map((r) => [r.name, r.scope])).toEqual([['chief', 'all']]);
    expect(rolesOfCaller(policy, [], ['chief', 'nobody']).map((r) => [r.name, r.scope])).toEqual([['chief', 'org']]);
    expect(rolesOfCaller(policy, ['ranger'], undefined).map((r) => r.name)).toEqual(['ranger']);
  });

  it('a member "chief" reads a member of its org, not a non-member nor a member of another org (404)', () => {
    const p = as([], ['chief']);
    expect(code(p, 'read', member([[ORG, []]]), { id: 'auth0|t' })).toBe('allowed');
    expect(code(p, 'read', member([]), { id: 'auth0|t' })).toBe('user_not_found');
    expect(code(p, 'read', member([[OTHER, []]]), { id: 'auth0|t' })).toBe('user_not_found');
    // Without a verified org, it reaches nobody.
    expect(code(as([], ['chief'], null), 'read', member([[ORG, []]]), { id: 'auth0|t' })).toBe('user_not_found');
  });

  it('a tenant-wide admin who is a member of the org is protected from the org admin, whatever its member role is named', () => {
    const orgAdmin = as([], ['chief']);
    const tenantAdmin = member([[ORG, []]], ['chief']);
    expect(code(orgAdmin, 'update', tenantAdmin, { id: 'auth0|t', body: { name: 'x' } })).toBe('target_protected');
    // A member holding only what the org admin may grant is manageable.
    expect(code(orgAdmin, 'update', member([[ORG, ['ranger']]]), { id: 'auth0|t', body: { name: 'x' } })).toBe('allowed');
    // A member holding a member role elsewhere that it may not grant is protected.
    expect(
      code(
        as([], ['warden']),
        'delete',
        member([
          [ORG, ['ranger']],
          [OTHER, ['warden']],
        ]),
        { id: 'auth0|t' },
      ),
    ).toBe('target_protected');
  });

  it('an org-scoped caller never manages a member of another organization too, even holding no role there; scope: all does', () => {
    const dual = member([
      [ORG, []],
      [OTHER, []],
    ]);
    const update = { id: 'auth0|t', body: { email: 'x@y.example' } };
    const refused = run(as([], ['warden']), 'update', dual, update);
    expect(refused).toMatchObject({ allowed: false, error: { code: 'target_protected' }, rule: { key: 'grant', value: MEMBER_ELSEWHERE } });
    expect(!refused.allowed && refused.error.message).toContain('member of another organization');
    expect(!refused.allowed && refused.error.message).not.toContain(OTHER);
    expect(code(as([], ['warden']), 'delete', dual, { id: 'auth0|t' })).toBe('target_protected');
    // Memberships not all read count too (fail closed).
    expect(code(as([], ['warden']), 'update', member([[ORG, []]], [], false), update)).toBe('target_protected');
    // A role reaching every org acts in each: the other membership is not its concern.
    expect(code(as(['chief']), 'update', dual, update)).toBe('allowed');
    // The organization routes act in the caller's organization only: its member roles there change.
    const grant = { org: ORG, id: 'auth0|t', roles: { added: ['ranger'], removed: [] } };
    expect(decideOrg(as([], ['warden']), 'change_member_roles', dual, grant)).toMatchObject({ allowed: true });
  });

  it('/me/permissions shows member roles apart from tenant roles', () => {
    expect(as(['ranger'], ['warden']).summary()).toMatchObject({
      roles: ['ranger'],
      memberRoles: ['warden'],
      knownRoles: ['ranger', 'warden'],
    });
    expect(as(['ranger']).summary()).not.toHaveProperty('memberRoles');
  });
});

describe('the organizations directory', () => {
  it('a target is in an org when its memberships say so; memberships are never a field', () => {
    const user = member([[ORG, ['ranger']]]);
    expect(directory.inOrg(user, ORG)).toBe(true);
    expect(directory.inOrg(user, OTHER)).toBe(false);
    expect(directory.inOrg({ user_id: 'auth0|t', app_metadata: { org: ORG } }, ORG)).toBe(false);
    expect(Object.keys(user)).not.toContain('memberships');
    expect(JSON.parse(JSON.stringify(user))).toEqual({
      user_id: 'auth0|t',
      roles: [],
      identities: [{ provider: 'auth0', connection: 'db' }],
    });
    expect(membershipsOf(structuredClone(user))).toBeUndefined();
    expect(directory.orgOf(user)).toBeUndefined();
  });

  it('rolesOf counts tenant and member roles everywhere; tenantRolesOf only tenant roles', () => {
    const user = member(
      [
        [ORG, ['ranger']],
        [OTHER, ['warden', 7]],
      ],
      ['chief'],
    );
    expect(directory.rolesOf(user).sort()).toEqual(['chief', 'ranger', 'warden']);
    expect(directory.tenantRolesOf(user)).toEqual(['chief']);
  });

  it('fails closed: memberships unread, incomplete, or roles of one org unread count as roles nobody grants', () => {
    expect(directory.rolesOf({ user_id: 'auth0|t', roles: ['ranger'] })).toEqual(['ranger', ROLES_NOT_COUNTED]);
    expect(directory.rolesOf(member([[ORG, []]], [], false))).toContain(ROLES_NOT_COUNTED);
    expect(directory.rolesOf(member([[ORG, undefined]]))).toContain(ROLES_NOT_COUNTED);
    const everything = policy.roles.get('chief')!;
    expect(protectedRoles(['ranger', ROLES_NOT_COUNTED], [everything])).toEqual([ROLES_NOT_COUNTED]);
  });

  it('with roles from app_metadata, member roles are no roles and need no reading', () => {
    const plain = organizationsDirectory({ rolesPath: 'roles', orgPath: 'org', rbac: false });
    const user = withMemberships({ app_metadata: { roles: ['ranger'] } }, { orgs: new Map([[ORG, undefined]]), complete: false });
    expect(plain.rolesOf(user)).toEqual(['ranger']);
    expect(plain.inOrg(user, ORG)).toBe(true);
    expect(plain.rewritesRolesOrOrg({ app_metadata: { roles: [] } }, user)).toBe(true);
    expect(plain.rewritesRolesOrOrg({ app_metadata: { org: OTHER } }, user)).toBe(false);
  });

  it('directoryFor chooses it for ORG_SOURCE=organizations; app_metadata keeps comparing the profile org', () => {
    expect(directoryFor({ source: 'rbac', orgSource: 'organizations', rolesPath: 'roles', orgPath: 'org' }).orgsApart).toBe(true);
    expect(directoryFor({ source: 'rbac', orgSource: 'app_metadata', rolesPath: 'roles', orgPath: 'org' }).orgsApart).toBe(false);
    const profile = appMetadataDirectory({ rolesPath: 'roles', orgPath: 'org' });
    expect(profile.inOrg({ app_metadata: { org: 'acme' } }, 'acme')).toBe(true);
    expect(profile.inOrg({ app_metadata: {} }, 'acme')).toBe(false);
  });
});

describe('lists and creates of an org-scoped caller', () => {
  it('lists the members of its organization: no q, no sort (400 org_search_unavailable)', () => {
    const p = as([], ['warden']);
    const verdict = run(p, 'list', undefined, { query: {} });
    expect(verdict.allowed && verdict.list?.listing.membersOf).toBe(ORG);
    expect(verdict.allowed && verdict.list?.listing.narrowTo).toBeUndefined();
    expect(code(p, 'list', undefined, { query: { q: 'name:x' } })).toBe('org_search_unavailable');
    expect(code(p, 'list', undefined, { query: { q: '' } })).toBe('org_search_unavailable');
    expect(code(p, 'list', undefined, { query: { sort: 'name:1' } })).toBe('org_search_unavailable');
    // A tenant-wide lister searches as before.
    const chief = run(as(['chief']), 'list', undefined, { query: { q: 'name:x' } });
    expect(chief.allowed && chief.list).toMatchObject({ q: 'name:x', listing: {} });
    expect(chief.allowed && chief.list?.listing.membersOf).toBeUndefined();
  });

  it('a create joins the caller org (never written into app_metadata); a tenant-wide creator joins none', () => {
    const body = { connection: 'db', email: 'n@example.test', name: 'n' };
    const verdict = run(as([], ['warden']), 'create', {}, { body });
    expect(verdict).toMatchObject({ allowed: true, joinOrg: ORG, body });
    expect(JSON.stringify(verdict.allowed && verdict.body)).toBe(JSON.stringify(body));
    const tenantWide = run(as(['chief']), 'create', {}, { body });
    expect(tenantWide).toMatchObject({ allowed: true, joinOrg: undefined });
    expect(code(as([], ['warden'], null), 'create', {}, { body })).toBe('org_forbidden');
  });
});

describe('ORG_SOURCE config and scopes', () => {
  const base = { AUTH0_DOMAIN: 'acme.eu.auth0.com', AUTH0_AUDIENCE: 'https://api', MGMT_CLIENT_ID: 'm', MGMT_CLIENT_SECRET: 's' };
  it('defaults follow ROLES_SOURCE; the supported pairs load; the others stop start-up naming ORG_SOURCE', () => {
    expect(loadConfig(base).roles.orgSource).toBe('app_metadata');
    expect(loadConfig({ ...base, ROLES_SOURCE: 'claim' }).roles.orgSource).toBe('claim');
    expect(loadConfig({ ...base, ROLES_SOURCE: 'rbac' }).roles.orgSource).toBe('organizations');
    expect(loadConfig({ ...base, ROLES_SOURCE: 'rbac', ORG_SOURCE: 'app_metadata' }).roles.orgSource).toBe('app_metadata');
    expect(loadConfig({ ...base, ORG_SOURCE: 'organizations' }).roles.orgSource).toBe('organizations');
    for (const env of [
      { ROLES_SOURCE: 'claim', ORG_SOURCE: 'organizations' },
      { ROLES_SOURCE: 'rbac', ORG_SOURCE: 'claim' },
      { ORG_SOURCE: 'claim' },
      { ORG_SOURCE: 'groups' },
    ]) {
      expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, ...env })).toThrow(/ORG_SOURCE/);
    }
  });

  it('organizations adds read:organizations to every action, the members scopes to list and create, member roles with rbac', () => {
    const granted = new Set(['read:users', 'create:users']);
    expect(missingScopes(['read', 'list', 'create'], granted, 'standard', 'app_metadata', 'app_metadata')).toEqual([]);
    expect(missingScopes(['read', 'list', 'create'], granted, 'standard', 'rbac', 'organizations')).toEqual([
      { action: 'create', scope: 'read:organizations' },
      { action: 'create', scope: 'create:organization_members' },
      { action: 'create', scope: 'delete:users' },
      { action: 'create', scope: 'read:organization_member_roles' },
      { action: 'list', scope: 'read:organizations' },
      { action: 'list', scope: 'read:organization_members' },
      { action: 'list', scope: 'read:organization_member_roles' },
      { action: 'read', scope: 'read:organizations' },
      { action: 'read', scope: 'read:organization_member_roles' },
    ]);
    expect(missingScopes(['read'], granted, 'standard', 'app_metadata', 'organizations')).toEqual([
      { action: 'read', scope: 'read:organizations' },
    ]);
  });
});

describe('the caller cache keeps one slot per organization', () => {
  it('a subject with tokens for two orgs is never served the other org; one revocation drops every slot', async () => {
    let clock = 0;
    const cache = new CallerCache<string>({ ttlMs: 60_000, maxEntries: 10, maxUnknown: 10, now: () => clock });
    let reads = 0;
    const lookup = (org: string) => () => Promise.resolve({ value: `${org}#${++reads}`, unknown: false });
    expect((await cache.get('auth0|u', lookup(ORG), ORG)).value).toBe(`${ORG}#1`);
    expect((await cache.get('auth0|u', lookup(OTHER), OTHER)).value).toBe(`${OTHER}#2`);
    expect((await cache.get('auth0|u', lookup('none'))).value).toBe('none#3');
    expect(await cache.get('auth0|u', lookup(ORG), ORG)).toEqual({ value: `${ORG}#1`, hit: true });
    expect(await cache.get('auth0|u', lookup(OTHER), OTHER)).toEqual({ value: `${OTHER}#2`, hit: true });
    await cache.revoke('auth0|u');
    expect(await cache.get('auth0|u', lookup(ORG), ORG)).toEqual({ value: `${ORG}#4`, hit: false });
    expect(await cache.get('auth0|u', lookup(OTHER), OTHER)).toEqual({ value: `${OTHER}#5`, hit: false });
    clock += 60_000;
    expect((await cache.get('auth0|u', lookup(ORG), ORG)).hit).toBe(false);
  });
});
