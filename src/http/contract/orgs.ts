import { errors } from '../../errors';
import { INVITATION_ID, ORG_ID } from '../../management/org-id';
import { MAX_USER_ID_LENGTH } from '../../management/user-id';
import { isRoleName, MAX_ROLE_NAME, ROLE_NAME_RULE } from '../../policy/role-name';
import { MAX_ROLES } from '../../directory';
import { AUTHENTICATED, empty, errorResponses, json, WITH_BODY, type ErrorCode } from './errors';
import { bool, wholeNumber } from './params';
import type { FieldErrors, RouteContract } from './route';
import { NoQuery, RolesAnswer } from './users';
import { z } from './zod';

/** Auth0's longest invitation lifetime: 30 days. */
export const MAX_INVITATION_TTL_S = 2_592_000;
/** Auth0's largest page of members and invitations. */
const MAX_ORG_PAGE = 100;

const orgId = z.string().max(68, 'invalid_org_id').regex(ORG_ID, 'invalid_org_id').openapi({
  description: 'An Auth0 organization id: `org_` and 1 to 64 letters or digits (400 `invalid_org_id`).',
  example: 'org_W3bAcmeX9',
});
const userId = z.string().min(1).max(MAX_USER_ID_LENGTH, 'invalid_user_id').openapi({
  description: 'The member: an Auth0 user id, percent-encoded in the path (400 `invalid_user_id`).',
  example: 'auth0|64f1c2aa',
});
const invitationId = z.string().max(69, 'invalid_invitation_id').regex(INVITATION_ID, 'invalid_invitation_id').openapi({
  description: 'An Auth0 invitation id: `uinv_` and letters or digits (400 `invalid_invitation_id`).',
  example: 'uinv_Q1w2E3r4',
});

export const OrgParams = z.object({ org_id: orgId });
export const MemberParams = z.object({ org_id: orgId, user_id: userId });
export const InvitationParams = z.object({ org_id: orgId, invitation_id: invitationId });

const ORG_ID_ERRORS: FieldErrors = { org_id: () => errors.invalidOrgId() };
const MEMBER_ERRORS: FieldErrors = { ...ORG_ID_ERRORS, user_id: () => errors.invalidUserId() };
const INVITATION_ERRORS: FieldErrors = { ...ORG_ID_ERRORS, invitation_id: () => errors.invalidInvitationId() };

export const MembersQuery = z
  .object({
    page: wholeNumber('page', 0, 1000, 'The page, from 0 (with `per_page`).').optional(),
    per_page: wholeNumber(
      'per_page',
      1,
      MAX_ORG_PAGE,
      `Members per page, from 1 to ${MAX_ORG_PAGE}; Auth0's default when absent.`,
    ).optional(),
    include_totals: bool('include_totals')
      .optional()
      .openapi({ description: 'true: answer `{start, limit, total, members}` instead of an array.' }),
    from: z
      .string()
      .regex(/^[A-Za-z0-9_.~+/=-]{1,512}$/, 'from must be the `next` checkpoint of an earlier page')
      .optional()
      .openapi({ description: 'Checkpoint paging: the `next` of the previous page (answers `{members, next}`).' }),
    take: wholeNumber('take', 1, MAX_ORG_PAGE, `Checkpoint paging: members to take, from 1 to ${MAX_ORG_PAGE}.`).optional(),
  })
  .strict();

/** Checkpoint paging (`from`/`take`) and offset paging (`page`/`per_page`/`include_totals`) do not mix. */
export function membersPagingRule(query: Record<string, unknown>) {
  const checkpoint = query.from !== undefined || query.take !== undefined;
  const offset = query.page !== undefined || query.per_page !== undefined || query.include_totals !== undefined;
  return checkpoint && offset
    ? errors.invalidQuery('from/take (checkpoint paging) and page/per_page/include_totals do not mix')
    : undefined;
}

export const InvitationsQuery = z
  .object({
    page: wholeNumber('page', 0, 1000, 'The page, from 0.').optional(),
    per_page: wholeNumber('per_page', 1, MAX_ORG_PAGE, `Invitations per page, from 1 to ${MAX_ORG_PAGE}.`).optional(),
    include_totals: bool('include_totals')
      .optional()
      .openapi({ description: 'true: answer `{start, limit, total, invitations}` instead of an array.' }),
  })
  .strict();

const roleNames = z
  .array(z.string().max(MAX_ROLE_NAME, `each role name is ${ROLE_NAME_RULE}`).refine(isRoleName, `each role name is ${ROLE_NAME_RULE}`))
  .min(1, 'roles names at least one role.')
  .max(MAX_ROLES, `roles names at most ${MAX_ROLES} roles.`);

export const MemberRolesBody = z
  .object({
    roles: roleNames.openapi({
      description: 'Role names; each must be in the `grant` list of a caller role acting in the organization.',
      example: ['Org Member'],
    }),
  })
  .strict()
  .openapi('MemberRolesBody', { example: { roles: ['Org Member'] } });

export const InvitationBody = z
  .object({
    email: z
      .string({ required_error: 'email must be an email address', invalid_type_error: 'email must be an email address' })
      .max(320, 'email must be an email address')
      .regex(/^[^\s@]+@[^\s@]+$/, 'email must be an email address')
      .openapi({ description: 'Who is invited.', example: 'ada@acme.example' }),
    roles: roleNames.optional().openapi({
      description: 'Member roles the invitee gets on accepting; each must be grantable by the caller.',
      example: ['Org Member'],
    }),
    connection_id: z
      .string()
      .regex(/^con_[A-Za-z0-9]{1,64}$/, 'connection_id must be an Auth0 connection id (con_...)')
      .optional()
      .openapi({ description: 'The connection the invitee signs up with (enabled on the organization).' }),
    ttl_sec: z
      .number()
      .int('ttl_sec must be a whole number of seconds')
      .min(0, `ttl_sec must be from 0 to ${MAX_INVITATION_TTL_S}`)
      .max(MAX_INVITATION_TTL_S, `ttl_sec must be from 0 to ${MAX_INVITATION_TTL_S}`)
      .optional()
      .openapi({
        description: `How long the invitation is valid, in seconds (at most ${MAX_INVITATION_TTL_S}: 30 days; 0: Auth0's default, 7 days).`,
      }),
    send_invitation_email: z.boolean().optional().openapi({ description: 'Whether Auth0 emails the invitation (default true).' }),
  })
  .strict()
  .openapi('InvitationBody', { example: { email: 'ada@acme.example', roles: ['Org Member'] } });

export const Member = z
  .object({
    user_id: z.string(),
    email: z.string(),
    name: z.string(),
    picture: z.string(),
    roles: z
      .array(z.string())
      .openapi({ description: "The member's roles in the organization, by name (only where the roles are readable)." }),
  })
  .partial()
  .strict()
  .openapi('Member', { description: 'A member of an organization, minus every field the caller may not read.' });

export const MembersAnswer = z
  .union([
    z.array(Member),
    z
      .object({ start: z.number(), limit: z.number(), total: z.number(), members: z.array(Member) })
      .partial({ start: true, limit: true, total: true })
      .strict(),
    z.object({ members: z.array(Member), next: z.string().optional() }).strict(),
  ])
  .openapi('Members', {
    description: 'An array; with `include_totals`, `{start, limit, total, members}`; with `from`/`take`, `{members, next}`.',
  });

export const Invitation = z
  .object({
    id: z.string(),
    organization_id: z.string(),
    client_id: z.string(),
    connection_id: z.string(),
    created_at: z.string(),
    expires_at: z.string(),
    inviter: z.object({ name: z.string() }).strict(),
    invitee: z.object({ email: z.string() }).strict(),
    roles: z.array(z.string()).openapi({ description: 'The member roles the invitation gives, by name.' }),
    invitation_url: z.string().openapi({
      description:
        'The link the invitee follows: a bearer link, answered once to the inviter (never in a list); hand it over a channel you trust.',
    }),
  })
  .partial()
  .strict()
  .openapi('Invitation', {
    description:
      "An organization invitation: the invitee's email and the inviter's name only where the caller's roles read `email` / `name`.",
  });

export const InvitationsAnswer = z
  .union([
    z.array(Invitation),
    z
      .object({ start: z.number(), limit: z.number(), total: z.number(), invitations: z.array(Invitation) })
      .partial({ start: true, limit: true, total: true })
      .strict(),
  ])
  .openapi('Invitations', { description: 'An array; with `include_totals`, `{start, limit, total, invitations}`.' });

const IN_ORG: ErrorCode[] = [...AUTHENTICATED, 'invalid_org_id', 'org_not_found', 'no_role', 'action_forbidden'];
const ON_MEMBER: ErrorCode[] = [...IN_ORG, 'invalid_user_id', 'user_not_found'];
const MEMBER_ROLE_CHANGE = errorResponses(
  [...ON_MEMBER, ...WITH_BODY, 'invalid_roles', 'role_not_grantable', 'self_forbidden', 'target_protected'],
  { forwards: true },
);

export const orgsRoutes = {
  listMembers: {
    method: 'get',
    path: '/orgs/{org_id}/members',
    operationId: 'listOrgMembers',
    tag: 'organizations',
    action: 'list_members',
    params: OrgParams,
    fieldErrors: { params: ORG_ID_ERRORS },
    query: MembersQuery,
    queryRule: membersPagingRule,
    summary: "An organization's members",
    description:
      "Needs `list_members` from a role acting in the organization (`scope: all`, or the caller's own organization; any other is 404 `org_not_found`, as a missing one). Each member is cut to what those roles read; `roles` only where the roles field is readable.",
    responses: {
      200: json('The members, each filtered.', MembersAnswer),
      ...errorResponses(IN_ORG, { forwards: true }),
    },
  },
  removeMember: {
    method: 'delete',
    path: '/orgs/{org_id}/members/{user_id}',
    operationId: 'removeOrgMember',
    tag: 'organizations',
    action: 'remove_member',
    params: MemberParams,
    fieldErrors: { params: MEMBER_ERRORS },
    query: NoQuery,
    summary: 'Remove a member from an organization',
    description:
      "`remove_member` acting in the organization, never yourself, the user a member (404 `user_not_found` otherwise), target protection (every role the member holds). The member's next request sees the change.",
    responses: {
      204: empty('Removed.'),
      ...errorResponses([...ON_MEMBER, 'self_forbidden', 'target_protected'], { forwards: true }),
    },
  },
  readMemberRoles: {
    method: 'get',
    path: '/orgs/{org_id}/members/{user_id}/roles',
    operationId: 'getOrgMemberRoles',
    tag: 'organizations',
    action: 'read',
    params: MemberParams,
    fieldErrors: { params: MEMBER_ERRORS },
    query: NoQuery,
    summary: "A member's roles in an organization",
    description: '`read` acting in the organization with the roles field readable; the user must be a member.',
    responses: {
      200: json("The names of the member's roles in the organization.", RolesAnswer),
      ...errorResponses([...ON_MEMBER, 'field_not_readable'], { forwards: true }),
    },
  },
  addMemberRoles: {
    method: 'post',
    path: '/orgs/{org_id}/members/{user_id}/roles',
    operationId: 'addOrgMemberRoles',
    tag: 'organizations',
    params: MemberParams,
    fieldErrors: { params: MEMBER_ERRORS, body: { roles: errors.invalidRoles } },
    query: NoQuery,
    body: MemberRolesBody,
    summary: 'Give a member roles in an organization',
    description:
      "Each role in the `grant` list of a caller role acting in the organization (403 `role_not_grantable`, before anything is sent), never yourself, the user a member, target protection. The member's next request sees the change.",
    responses: {
      200: json("The member's roles in the organization after the change.", RolesAnswer),
      ...MEMBER_ROLE_CHANGE,
    },
  },
  removeMemberRoles: {
    method: 'delete',
    path: '/orgs/{org_id}/members/{user_id}/roles',
    operationId: 'removeOrgMemberRoles',
    tag: 'organizations',
    params: MemberParams,
    fieldErrors: { params: MEMBER_ERRORS, body: { roles: errors.invalidRoles } },
    query: NoQuery,
    body: MemberRolesBody,
    summary: 'Take roles from a member in an organization',
    description: 'As adding member roles: each role removed must be in the `grant` list. A role the member does not hold is no error.',
    responses: {
      200: json("The member's roles in the organization after the change.", RolesAnswer),
      ...MEMBER_ROLE_CHANGE,
    },
  },
  listInvitations: {
    method: 'get',
    path: '/orgs/{org_id}/invitations',
    operationId: 'listOrgInvitations',
    tag: 'organizations',
    action: 'invite',
    params: OrgParams,
    fieldErrors: { params: ORG_ID_ERRORS },
    query: InvitationsQuery,
    summary: "An organization's invitations",
    description: '`invite` acting in the organization. Roles by name; never the invitation links.',
    responses: {
      200: json('The invitations.', InvitationsAnswer),
      ...errorResponses(IN_ORG, { forwards: true }),
    },
  },
  createInvitation: {
    method: 'post',
    path: '/orgs/{org_id}/invitations',
    operationId: 'createOrgInvitation',
    tag: 'organizations',
    action: 'invite',
    params: OrgParams,
    fieldErrors: { params: ORG_ID_ERRORS, body: { roles: errors.invalidRoles } },
    query: NoQuery,
    body: InvitationBody,
    summary: 'Invite someone into an organization',
    description:
      '`invite` acting in the organization; each role in the `grant` list of those roles (403 `role_not_grantable`, before anything is sent). The inviter is your name; the application is INVITATION_CLIENT_ID (501 `not_configured` without it).',
    responses: {
      201: json('The invitation, with its link.', Invitation),
      ...errorResponses([...IN_ORG, ...WITH_BODY, 'invalid_roles', 'role_not_grantable', 'not_configured'], { forwards: true }),
    },
  },
  revokeInvitation: {
    method: 'delete',
    path: '/orgs/{org_id}/invitations/{invitation_id}',
    operationId: 'revokeOrgInvitation',
    tag: 'organizations',
    action: 'revoke_invitation',
    params: InvitationParams,
    fieldErrors: { params: INVITATION_ERRORS },
    query: NoQuery,
    summary: 'Revoke an invitation',
    description: '`revoke_invitation` acting in the organization; an unknown invitation is 404 `invitation_not_found`.',
    responses: {
      204: empty('Revoked.'),
      ...errorResponses([...IN_ORG, 'invalid_invitation_id', 'invitation_not_found'], { forwards: true }),
    },
  },
} satisfies Record<string, RouteContract>;
