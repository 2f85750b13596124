import { scopesNamedIn } from '../../src/management/management-client';
import { ACTION_SCOPES, describeMissing, missingScopes, scopesOfToken } from '../../src/management/required-scopes';
import { ACTIONS } from '../../src/policy/fixed-fields';

const token = (payload: unknown) => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

describe('Management API scopes per action', () => {
  it('every policy action has its scopes listed', () => {
    for (const action of ACTIONS) expect(ACTION_SCOPES[action].length).toBeGreaterThan(0);
  });

  it('with ROLES_SOURCE=rbac, update also needs read:roles (names to ids) and a role-assignment scope', () => {
    const granted = new Set(['read:users', 'update:users_app_metadata']);
    expect(missingScopes(['update'], granted, 'standard', 'app_metadata')).toEqual([]);
    expect(missingScopes(['update', 'read'], granted, 'standard', 'rbac')).toEqual([
      { action: 'update', scope: 'read:roles' },
      { action: 'update', scope: 'update:users or create:role_members' },
      { action: 'update', scope: 'update:users or delete:role_members' },
    ]);
    expect(missingScopes(['update'], new Set(['read:users', 'update:users', 'read:roles']), 'standard', 'rbac')).toEqual([]);
  });

  it('names each enabled action and each scope the token lacks; one of several alternatives is enough', () => {
    const granted = new Set(['read:users', 'update:users', 'read:logs_users']);
    expect(missingScopes(['read', 'read_logs', 'unblock'], granted)).toEqual([]);
    expect(missingScopes(['logout', 'read', 'logout'], granted)).toEqual([
      { action: 'logout', scope: 'read:device_credentials' },
      { action: 'logout', scope: 'delete:device_credentials' },
    ]);
    expect(missingScopes(['logout'], granted, 'enterprise')).toEqual([
      { action: 'logout', scope: 'read:sessions' },
      { action: 'logout', scope: 'delete:sessions' },
      { action: 'logout', scope: 'read:refresh_tokens' },
      { action: 'logout', scope: 'delete:refresh_tokens' },
    ]);
    expect(missingScopes(['read_logs'], new Set(['read:users']))).toEqual([{ action: 'read_logs', scope: 'read:logs or read:logs_users' }]);
    expect(describeMissing([{ action: 'reset_password', scope: 'create:user_tickets' }])[0]).toBe(
      'action "reset_password" needs the Management API scope create:user_tickets, which usergate\'s machine token lacks',
    );
  });

  it('the organization actions need the organizations scopes of the calls they make', () => {
    const granted = new Set(['read:users', 'read:roles', 'read:organizations', 'read:organization_invitations']);
    expect(missingScopes(['invite', 'revoke_invitation'], granted)).toEqual([
      { action: 'invite', scope: 'create:organization_invitations' },
      { action: 'revoke_invitation', scope: 'delete:organization_invitations' },
    ]);
    expect(missingScopes(['remove_member'], granted)).toEqual([{ action: 'remove_member', scope: 'delete:organization_members' }]);
    expect(missingScopes(['list_members'], granted).map((m) => m.scope)).toEqual([
      'read:organization_members',
      'read:organization_member_roles',
      'create:organization_member_roles',
      'delete:organization_member_roles',
    ]);
  });

  it('reads the scope claim of a token without verifying it; no claim or no JWT is undefined', () => {
    expect(scopesOfToken(token({ scope: 'read:users delete:sessions' }))).toEqual(new Set(['read:users', 'delete:sessions']));
    expect(scopesOfToken(token({ sub: 'x' }))).toBeUndefined();
    expect(scopesOfToken('opaque-token')).toBeUndefined();
    expect(scopesOfToken('a.!!!.c')).toBeUndefined();
  });

  it('takes the scopes Auth0 names in an insufficient_scope message, and nothing else', () => {
    expect(scopesNamedIn('Insufficient scope, expected any of: read:logs,read:logs_users')).toEqual(['read:logs', 'read:logs_users']);
    expect(scopesNamedIn('Insufficient scope, expected any of: <script>, read:users')).toEqual(['read:users']);
    expect(scopesNamedIn('Forbidden')).toEqual([]);
    expect(scopesNamedIn(undefined)).toEqual([]);
  });
});
