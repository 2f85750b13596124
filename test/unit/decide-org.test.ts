import { appMetadataDirectory, rbacDirectory } from '../../src/directory';
import { compilePolicy, Permissions, type PolicyDocument } from '../../src/policy';
import { capabilities } from '../../src/policy/capabilities';
import { decideOrg, needsMember, type OrgDecisionAction, type OrgDecisionInput } from '../../src/policy/decide-org';
import { orgMemberRolesSummary } from '../../src/policy/org-summary';

/**
 * The organization routes' decision: reach (an org-scoped role only in the caller's organization, any
 * other answered as a missing one), grants, target protection, never oneself; with the rule that refused.
 * A policy of its own, with names unlike the shipped ones.
 */
const doc: PolicyDocument = {
  roles: {
    'Org Boss': {
      can: ['list', 'read', 'list_members', 'remove_member', 'invite', 'revoke_invitation'],
      read: ['user_id', 'name', 'roles'],
      grant: ['Org Hand'],
      scope: 'org',
    },
    'Org Hand': { can: ['read'], read: ['user_id'], scope: 'org' },
    Overseer: { can: ['list', 'read', 'list_members'], read: ['user_id', 'email'] },
    Root: {
      can: ['list', 'read', 'update', 'list_members', 'remove_member', 'invite', 'revoke_invitation'],
      read: ['*'],
      write: ['*'],
      grant: ['*'],
    },
  },
};
const ORG = 'org_AAAA1111';
const OTHER = 'org_BBBB2222';
const policy = compilePolicy(doc, rbacDirectory({ rolesPath: 'roles', orgPath: 'org' }));
/** `null`: a caller without an organization. */
const as = (roles: string[], org: string | null = ORG, sub = 'auth0|me') => new Permissions(policy, { sub, roles, org: org ?? undefined });
/** A member as fetchTarget sets it with rbac: its roles at the pseudo-field `roles`. */
const member = (roles: string[], id = 'auth0|them') => ({ user_id: id, roles });

function run(p: Permissions, action: OrgDecisionAction, target: Record<string, unknown> | undefined, input: OrgDecisionInput) {
  const first = decideOrg(p, action, undefined, input);
  const verdict = first.allowed && target && needsMember(action) ? decideOrg(p, action, target, input, first) : first;
  return verdict.allowed
    ? { allowed: verdict.acting.map((r) => r.name), invalidates: verdict.invalidatesTarget }
    : { code: verdict.error.code, message: verdict.error.message, rule: verdict.rule };
}

describe('decideOrg: reach', () => {
  it('an org-scoped role acts in the caller’s organization only; any other is 404 org_not_found, as a missing one', () => {
    expect(run(as(['Org Boss']), 'list_members', undefined, { org: ORG })).toEqual({ allowed: ['Org Boss'], invalidates: false });
    for (const org of [OTHER, 'org_doesnotexist', `${ORG}x`, ORG.toLowerCase()]) {
      expect(run(as(['Org Boss']), 'list_members', undefined, { org })).toMatchObject({
        code: 'org_not_found',
        rule: { role: 'Org Boss', key: 'scope', value: 'org' },
      });
    }
  });

  it('a caller without an organization reaches none with an org-scoped role', () => {
    expect(run(as(['Org Boss'], null), 'invite', undefined, { org: ORG })).toMatchObject({ code: 'org_not_found' });
  });

  it('a role reaching every org acts in any organization', () => {
    expect(run(as(['Overseer'], null), 'list_members', undefined, { org: OTHER })).toEqual({
      allowed: ['Overseer'],
      invalidates: false,
    });
    expect(run(as(['Root'], ORG), 'revoke_invitation', undefined, { org: OTHER })).toEqual({ allowed: ['Root'], invalidates: false });
  });

  it('only the roles with the action reaching the org act (the union is per organization)', () => {
    // Overseer reaches OTHER but cannot invite; Org Boss can invite but does not reach OTHER.
    expect(run(as(['Org Boss', 'Overseer']), 'invite', undefined, { org: OTHER })).toMatchObject({ code: 'org_not_found' });
    expect(run(as(['Org Boss', 'Overseer']), 'list_members', undefined, { org: OTHER })).toEqual({
      allowed: ['Overseer'],
      invalidates: false,
    });
  });

  it('no known role: 403 no_role; no role with the action: 403 action_forbidden (before the organization is judged)', () => {
    expect(run(as(['Ghost']), 'list_members', undefined, { org: ORG })).toMatchObject({ code: 'no_role', rule: { key: 'roles' } });
    expect(run(as(['Org Hand']), 'remove_member', undefined, { org: OTHER, id: 'auth0|x' })).toMatchObject({
      code: 'action_forbidden',
      rule: { role: 'Org Hand', key: 'can', value: 'remove_member' },
    });
  });
});

describe('decideOrg: members', () => {
  it('removes a member whose every role it grants, and the member’s caller entry must go', () => {
    expect(run(as(['Org Boss']), 'remove_member', member(['Org Hand']), { org: ORG, id: 'auth0|them' })).toEqual({
      allowed: ['Org Boss'],
      invalidates: true,
    });
    expect(run(as(['Org Boss']), 'remove_member', member([]), { org: ORG, id: 'auth0|them' })).toMatchObject({ invalidates: true });
  });

  it('target protection counts every role the member holds: a tenant admin who is a member is protected', () => {
    expect(run(as(['Org Boss']), 'remove_member', member(['Org Hand', 'Root']), { org: ORG, id: 'auth0|them' })).toMatchObject({
      code: 'target_protected',
      rule: { role: 'Org Boss', key: 'grant', value: 'Root' },
    });
    expect(
      run(as(['Org Boss']), 'change_member_roles', member(['Some Unknown Role']), {
        org: ORG,
        id: 'auth0|them',
        roles: { added: ['Org Hand'], removed: [] },
      }),
    ).toMatchObject({ code: 'target_protected' });
  });

  it('never oneself: removing oneself or changing one’s own member roles is 403 self_forbidden', () => {
    expect(run(as(['Root']), 'remove_member', member([], 'auth0|me'), { org: ORG, id: 'auth0|me' })).toMatchObject({
      code: 'self_forbidden',
      rule: { key: 'self' },
    });
    expect(
      run(as(['Root']), 'change_member_roles', member([], 'auth0|me'), {
        org: ORG,
        id: 'auth0|me',
        roles: { added: ['Org Hand'], removed: [] },
      }),
    ).toMatchObject({ code: 'self_forbidden' });
  });

  it('member roles: each role added or removed in the grant list of a role acting there, refused before the member is read', () => {
    const add = (p: Permissions, roles: string[], org = ORG) =>
      decideOrg(p, 'change_member_roles', undefined, { org, id: 'auth0|them', roles: { added: roles, removed: [] } });
    expect(add(as(['Org Boss']), ['Org Hand']).allowed).toBe(true);
    const refused = add(as(['Org Boss']), ['Org Hand', 'Root', 'Org Boss']);
    expect(refused.allowed ? 'allowed' : [refused.error.code, refused.error.message, refused.rule]).toEqual([
      'role_not_grantable',
      expect.stringContaining('Root, Org Boss'),
      { role: 'Org Boss', key: 'grant', value: 'Root' },
    ]);
    // Removing is granting too.
    const removing = decideOrg(as(['Org Boss']), 'change_member_roles', undefined, {
      org: ORG,
      id: 'auth0|them',
      roles: { added: [], removed: ['Root'] },
    });
    expect(removing.allowed ? 'allowed' : removing.error.code).toBe('role_not_grantable');
    // Another organization: 404 first, whatever the roles asked.
    expect(add(as(['Org Boss']), ['Root'], OTHER)).toMatchObject({ allowed: false, error: { code: 'org_not_found' } });
    // A role granting nothing grants no member role.
    expect(add(as(['Overseer']), ['Org Hand'], OTHER)).toMatchObject({ allowed: false, error: { code: 'role_not_grantable' } });
    expect(add(as(['Root']), ['Org Boss', 'Anything'], OTHER).allowed).toBe(true);
  });

  it('reading member roles needs read acting in the organization with the roles field readable', () => {
    expect(run(as(['Org Boss']), 'read_member_roles', undefined, { org: ORG, id: 'auth0|them' })).toMatchObject({ allowed: ['Org Boss'] });
    expect(run(as(['Org Hand']), 'read_member_roles', undefined, { org: ORG, id: 'auth0|them' })).toMatchObject({
      code: 'field_not_readable',
      rule: { role: 'Org Hand', key: 'read', value: 'roles' },
    });
    expect(run(as(['Org Boss']), 'read_member_roles', undefined, { org: OTHER, id: 'auth0|them' })).toMatchObject({
      code: 'org_not_found',
    });
  });
});

describe('decideOrg: invitations', () => {
  it('invites with grantable roles only, in an organization it reaches', () => {
    const invite = (p: Permissions, roles: string[], org = ORG) =>
      run(p, 'invite', undefined, { org, roles: { added: roles, removed: [] } });
    expect(invite(as(['Org Boss']), ['Org Hand'])).toEqual({ allowed: ['Org Boss'], invalidates: false });
    expect(invite(as(['Org Boss']), [])).toEqual({ allowed: ['Org Boss'], invalidates: false });
    expect(invite(as(['Org Boss']), ['Org Hand', 'Root'])).toMatchObject({
      code: 'role_not_grantable',
      rule: { key: 'grant', value: 'Root' },
    });
    expect(invite(as(['Org Boss']), ['Org Hand'], OTHER)).toMatchObject({ code: 'org_not_found' });
    expect(invite(as(['Overseer']), [])).toMatchObject({ code: 'action_forbidden', rule: { key: 'can', value: 'invite' } });
  });

  it('revokes in an organization it reaches', () => {
    expect(run(as(['Org Boss']), 'revoke_invitation', undefined, { org: ORG })).toMatchObject({ allowed: ['Org Boss'] });
    expect(run(as(['Org Boss']), 'revoke_invitation', undefined, { org: OTHER })).toMatchObject({ code: 'org_not_found' });
  });
});

describe('capabilities and permissions of the organization routes', () => {
  it('capabilities answer for the caller’s organization, as the routes decide', () => {
    const caps = capabilities(as(['Org Boss']), 'auth0|them', member(['Org Hand']));
    expect(caps.org).toEqual({
      org_id: ORG,
      actions: { remove_member: { allowed: true } },
      member_roles: { read: { allowed: true }, change: { allowed: true } },
      grantable_roles: ['Org Hand'],
    });
    const protectedOne = capabilities(as(['Org Boss']), 'auth0|them', member(['Root']));
    expect(protectedOne.org).toMatchObject({
      actions: { remove_member: { allowed: false, errorCode: 'target_protected' } },
      member_roles: { change: { allowed: false, errorCode: 'target_protected' } },
      grantable_roles: [],
    });
    expect(capabilities(as(['Root'], null), 'auth0|them', member([])).org).toBeNull();
  });

  it('/me/permissions org_member_roles: member roles readable and grantable, in an organization the caller reaches', () => {
    expect(orgMemberRolesSummary(as(['Org Boss']))).toEqual({ read: true, change: true, grant: ['Org Hand'] });
    expect(orgMemberRolesSummary(as(['Overseer']))).toEqual({ read: false, change: false, grant: [] });
    expect(orgMemberRolesSummary(as(['Org Boss', 'Root']))).toEqual({ read: true, change: true, grant: ['*'] });
    // No org and only org-scoped roles: every /orgs call is a 404, so nothing is open.
    expect(orgMemberRolesSummary(as(['Org Boss'], null))).toEqual({ read: false, change: false, grant: [] });
    // A role reaching every org still reaches some organization.
    expect(orgMemberRolesSummary(as(['Org Boss', 'Root'], null))).toEqual({ read: true, change: true, grant: ['*'] });
    // With roles in app_metadata, the roles field is app_metadata.<ROLES_PATH>.
    const amPolicy = compilePolicy(doc, appMetadataDirectory({ rolesPath: 'roles', orgPath: 'org' }));
    expect(orgMemberRolesSummary(new Permissions(amPolicy, { sub: 'auth0|me', roles: ['Org Boss'], org: ORG })).read).toBe(false);
  });
});
