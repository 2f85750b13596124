import type { Query } from '../management/management-client';
import { checkUserId } from '../management/user-id';
import type { FieldSet } from '../policy/field-set';
import { filterUser } from '../policy/read-filter';
import { audited, fetchTarget, revokingWrite, type OperationContext } from './context';
import { pick } from './desk-target';
import { decideOrgOrThrow, itemsOf, onOrg, orgIdOf, requireMember } from './org-context';

export interface MembersParams {
  page?: string;
  per_page?: string;
  include_totals?: string;
  from?: string;
  take?: string;
}

/** What Auth0 answers of a member (and all usergate ever passes on): the rest of a profile is read through /users. */
const MEMBER_FIELDS = ['user_id', 'email', 'name', 'picture'];

/** One member as the caller may see it: the fields its acting roles read, and `roles` (names) only when the roles are readable. */
function memberView(
  member: Record<string, unknown>,
  readable: FieldSet,
  hidden: FieldSet,
  rolesReadable: boolean,
): Record<string, unknown> {
  const seen = filterUser(pick(member, MEMBER_FIELDS), readable, hidden);
  if (rolesReadable && Array.isArray(member.roles)) {
    seen.roles = member.roles
      .map((r) => (r && typeof r === 'object' ? (r as Record<string, unknown>).name : undefined))
      .filter((n): n is string => typeof n === 'string');
  }
  return seen;
}

/**
 * GET /orgs/:org_id/members: the organization's members, each cut to what the roles acting in the
 * organization read (`roles`, the member roles by name, only where the roles field is readable). Paged as
 * Auth0 pages it: `page`/`per_page` (`include_totals`: `{start, limit, total, members}`), or
 * checkpoints `from`/`take` (`{members, next}`).
 */
export async function listMembers(ctx: OperationContext, orgId: string, params: MembersParams): Promise<unknown> {
  const org = orgIdOf(orgId);
  const verdict = decideOrgOrThrow(ctx, 'list_members', undefined, { org });
  const p = ctx.permissions;
  const readable = p.readableBy(verdict.acting);
  const rolesReadable = readable.covers(p.policy.directory.rolesField);
  const checkpoint = params.from !== undefined || params.take !== undefined;
  const query: Query = checkpoint
    ? { from: params.from, take: params.take === undefined ? undefined : Number(params.take) }
    : {
        page: params.page === undefined ? undefined : Number(params.page),
        per_page: params.per_page === undefined ? undefined : Number(params.per_page),
        include_totals: params.include_totals === 'true' ? true : undefined,
      };
  if (rolesReadable) Object.assign(query, { fields: [...MEMBER_FIELDS, 'roles'].join(','), include_fields: true });
  const answer = await onOrg(() => ctx.management.listOrganizationMembers(org, query, ctx.scope));
  const members = itemsOf(answer, 'members').map((m) => memberView(m, readable, p.hidden, rolesReadable));
  if (Array.isArray(answer)) return members;
  const page = answer as Record<string, unknown>;
  if (checkpoint) return { members, ...(typeof page.next === 'string' ? { next: page.next } : {}) };
  const number = (key: string) => (typeof page[key] === 'number' ? { [key]: page[key] } : {});
  return { ...number('start'), ...number('limit'), ...number('total'), members };
}

/**
 * DELETE /orgs/:org_id/members/:user_id: the caller acting in the organization with `remove_member`,
 * never itself, the user a member (404 user_not_found otherwise) whom target protection lets it manage.
 * The member's generation moves on whatever the outcome: its next request is resolved afresh.
 */
export async function removeMember(ctx: OperationContext, orgId: string, id: string): Promise<void> {
  await audited(ctx, { action: 'remove_member', target: id.slice(0, 512), targetOrg: orgId.slice(0, 128) }, async () => {
    const org = orgIdOf(orgId);
    const input = { org, id };
    const screened = decideOrgOrThrow(ctx, 'remove_member', undefined, input);
    checkUserId(id);
    await requireMember(ctx, org, id);
    const member = await fetchTarget(ctx, id);
    decideOrgOrThrow(ctx, 'remove_member', member, input, screened);
    await revokingWrite(ctx, id, () => onOrg(() => ctx.management.removeOrganizationMembers(org, [id], ctx.scope)));
  });
}
