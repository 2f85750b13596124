/**
 * The console's calls to usergate's organization routes (`/orgs/{org_id}/...`): members, member roles
 * and invitations of the caller's organization. Same rules as api.ts: usergate decides, these calls only
 * carry the request and the answer; every non-2xx answer rejects with client/'s `UsergateError`.
 */
import { createUsergateClient as createTypedClient, type components, type UsergateClientOptions } from '@usergate/client';
import type { Permissions } from './api';
import { data, pageFrame } from './answer';

/** A member as usergate answers it: cut to what the caller reads (`roles` only where roles are readable). */
export type Member = components['schemas']['Member'];
/** An invitation; `invitation_url` only in the answer to its creation. */
export type Invitation = components['schemas']['Invitation'];
export type InvitationBody = components['schemas']['InvitationBody'];

export interface MemberPage {
  start: number;
  limit: number;
  total: number;
  members: Member[];
}

export interface InvitationPage {
  start: number;
  limit: number;
  total: number;
  invitations: Invitation[];
}

/** The organization actions of the policy vocabulary, as `/me/permissions` lists them. */
export const ORG_ACTIONS = ['list_members', 'remove_member', 'invite', 'revoke_invitation'] as const;
export type OrgAction = (typeof ORG_ACTIONS)[number];

/** An Auth0 organization id, as usergate's routes accept it. */
const ORG_ID = /^org_[A-Za-z0-9]{1,64}$/;

/**
 * The organization the console manages: the caller's own (`org` of `/me/permissions`, with
 * ORG_SOURCE=organizations the verified `org_id` of its token), when it is an Auth0 organization id and
 * the caller's roles have any organization action. Otherwise undefined: no Organization area.
 */
export function managedOrg(permissions: Permissions): { orgId: string; actions: Set<OrgAction> } | undefined {
  const org = permissions.org;
  if (typeof org !== 'string' || !ORG_ID.test(org)) return undefined;
  const actions = new Set(ORG_ACTIONS.filter((a) => permissions.actions.includes(a)));
  return actions.size > 0 ? { orgId: org, actions } : undefined;
}

/** What `/me/permissions` says of member roles (`org_member_roles`; absent from a usergate without the organization routes). */
export function memberRoles(permissions: Permissions): { read: boolean; change: boolean; grant: string[] } {
  const summary = (permissions as Permissions & { org_member_roles?: { read?: unknown; change?: unknown; grant?: unknown } })
    .org_member_roles;
  const grant = Array.isArray(summary?.grant) ? summary.grant.filter((r): r is string => typeof r === 'string') : [];
  return { read: summary?.read === true, change: summary?.change === true, grant };
}

/**
 * The member roles an invitation may carry: the caller's grant list. `*` (any role) names no role the
 * console could list, so such a caller invites without roles and grants them on the member's page.
 */
export function invitableRoles(permissions: Permissions): string[] {
  return memberRoles(permissions).grant.filter((r) => r !== '*');
}

export function createOrgClient(options: UsergateClientOptions, orgId: string) {
  const client = createTypedClient(options);
  const org = { org_id: orgId };
  const member = (userId: string) => ({ params: { path: { ...org, user_id: userId } } });

  return {
    orgId,
    async members(page: number, perPage: number): Promise<MemberPage> {
      const query = { page, per_page: perPage, include_totals: 'true' as const };
      const answer = await data(client.GET('/orgs/{org_id}/members', { params: { path: org, query } }));
      const members = Array.isArray(answer) ? answer : answer.members;
      // Checkpoint paging, or no totals: counted as one page of what came.
      const framed = Array.isArray(answer) || 'next' in answer || !('total' in answer) ? members : answer;
      return { ...pageFrame(framed, members.length, page, perPage), members };
    },
    async removeMember(userId: string): Promise<void> {
      await client.DELETE('/orgs/{org_id}/members/{user_id}', member(userId));
    },
    async memberRoles(userId: string): Promise<string[]> {
      return (await data(client.GET('/orgs/{org_id}/members/{user_id}/roles', member(userId)))).roles;
    },
    async addMemberRoles(userId: string, roles: string[]): Promise<string[]> {
      return (await data(client.POST('/orgs/{org_id}/members/{user_id}/roles', { ...member(userId), body: { roles } }))).roles;
    },
    async removeMemberRoles(userId: string, roles: string[]): Promise<string[]> {
      return (await data(client.DELETE('/orgs/{org_id}/members/{user_id}/roles', { ...member(userId), body: { roles } }))).roles;
    },
    async invitations(page: number, perPage: number): Promise<InvitationPage> {
      const query = { page, per_page: perPage, include_totals: 'true' as const };
      const answer = await data(client.GET('/orgs/{org_id}/invitations', { params: { path: org, query } }));
      const invitations = Array.isArray(answer) ? answer : answer.invitations;
      return { ...pageFrame(answer, invitations.length, page, perPage), invitations };
    },
    invite: (body: InvitationBody): Promise<Invitation> => data(client.POST('/orgs/{org_id}/invitations', { params: { path: org }, body })),
    async revokeInvitation(invitationId: string): Promise<void> {
      await client.DELETE('/orgs/{org_id}/invitations/{invitation_id}', { params: { path: { ...org, invitation_id: invitationId } } });
    },
  };
}

export type OrgClient = ReturnType<typeof createOrgClient>;
