import { checkUserId } from '../management/user-id';
import type { RolesAsked } from '../policy/decide';
import { audited, fetchTarget, revokingWrite, type OperationContext } from './context';
import { decideOrgOrThrow, knownRoleIds, memberRoleNames, onOrg, orgIdOf, requireMember, roleIdsOf } from './org-context';
import type { RolesAnswer } from './user-roles';

/** GET /orgs/:org_id/members/:user_id/roles: `read` acting in the organization with the roles readable; the member's roles there. */
export async function readMemberRoles(ctx: OperationContext, orgId: string, id: string): Promise<RolesAnswer> {
  const org = orgIdOf(orgId);
  decideOrgOrThrow(ctx, 'read_member_roles', undefined, { org, id });
  checkUserId(id);
  await requireMember(ctx, org, id);
  return { roles: await memberRoleNames(ctx, org, id) };
}

/**
 * POST / DELETE /orgs/:org_id/members/:user_id/roles: each role added or removed in the `grant` list of
 * a role acting in the organization (refused before anything is sent), never on oneself, the user a
 * member, target protection (every role it holds); then the names become ids (an unknown name added:
 * 400 invalid_roles) and the member roles are written. The member's generation moves on whatever the
 * outcome. Answers the member's roles in the organization after the change.
 */
export async function changeMemberRoles(
  ctx: OperationContext,
  orgId: string,
  id: string,
  names: string[],
  how: 'add' | 'remove',
): Promise<RolesAnswer> {
  const entry = { action: `${how}-member-roles`, target: id.slice(0, 512), targetOrg: orgId.slice(0, 128), fields: ['roles'] };
  return audited(ctx, entry, async () => {
    const org = orgIdOf(orgId);
    const asked: RolesAsked = how === 'add' ? { added: names, removed: [] } : { added: [], removed: names };
    const input = { org, id, roles: asked };
    const screened = decideOrgOrThrow(ctx, 'change_member_roles', undefined, input);
    checkUserId(id);
    await requireMember(ctx, org, id);
    const member = await fetchTarget(ctx, id);
    decideOrgOrThrow(ctx, 'change_member_roles', member, input, screened);
    const current = await memberRoleNames(ctx, org, id);
    let ids: string[];
    if (how === 'add') ids = await knownRoleIds(ctx, names);
    else {
      // A role the tenant does not have is held by nobody: nothing to remove.
      const found = await roleIdsOf(ctx).idsOf(names, ctx.scope);
      ids = [...new Set([...found.values()].filter((v): v is string => v !== undefined))];
    }
    if (ids.length > 0) {
      await revokingWrite(ctx, id, () =>
        onOrg(() =>
          how === 'add'
            ? ctx.management.assignMemberRoles(org, id, ids, ctx.scope)
            : ctx.management.removeMemberRoles(org, id, ids, ctx.scope),
        ),
      );
    }
    const after = how === 'add' ? [...new Set([...current, ...names])] : current.filter((r) => !names.includes(r));
    return { roles: after.sort() };
  });
}
