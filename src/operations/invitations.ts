import { errors, HttpError } from '../errors';
import { checkInvitationId } from '../management/org-id';
import type { FieldSet } from '../policy/field-set';
import { audited, type OperationContext } from './context';
import { pick } from './desk-target';
import { decideOrgOrThrow, itemsOf, knownRoleIds, onOrg, orgIdOf, roleNamesById } from './org-context';

export interface InvitationsParams {
  page?: string;
  per_page?: string;
  include_totals?: string;
}

export interface InvitationBody {
  email: string;
  roles?: string[];
  connection_id?: string;
  ttl_sec?: number;
  send_invitation_email?: boolean;
}

/** Auth0's longest inviter name. */
const MAX_INVITER_NAME = 300;

/**
 * What usergate answers of an invitation: an allowlist. Never `invitation_url` in a list (a bearer link:
 * answered once, to the inviter, by the create), never `ticket_id` or the invitation's metadata.
 */
const INVITATION_FIELDS = ['id', 'organization_id', 'client_id', 'connection_id', 'created_at', 'expires_at'];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * One invitation as the caller sees it, as a member is seen (org-members.ts): the invitee's email and the
 * inviter's name where its roles read `email` / `name`; the roles it gives (by name) only where its roles
 * read the roles field (`roleNames` given, else no `roles` at all).
 */
function invitationView(
  invitation: Record<string, unknown>,
  readable: FieldSet,
  roleNames: Map<string, string> | undefined,
): Record<string, unknown> {
  const out = pick(invitation, INVITATION_FIELDS);
  const inviter = isRecord(invitation.inviter) ? invitation.inviter : {};
  const invitee = isRecord(invitation.invitee) ? invitation.invitee : {};
  if (readable.covers('name') && typeof inviter.name === 'string') out.inviter = { name: inviter.name };
  if (readable.covers('email') && typeof invitee.email === 'string') out.invitee = { email: invitee.email };
  if (roleNames && Array.isArray(invitation.roles)) {
    out.roles = invitation.roles
      .map((id) => (typeof id === 'string' ? roleNames.get(id) : undefined))
      .filter((n): n is string => n !== undefined);
  }
  return out;
}

/**
 * GET /orgs/:org_id/invitations: the organization's pending invitations (`invite` acting in it), paged as
 * Auth0 pages them; the roles each gives only to a caller whose acting roles read the roles field.
 */
export async function listInvitations(ctx: OperationContext, orgId: string, params: InvitationsParams): Promise<unknown> {
  const org = orgIdOf(orgId);
  const p = ctx.permissions;
  const verdict = decideOrgOrThrow(ctx, 'invite', undefined, { org });
  const readable = p.readableBy(verdict.acting);
  const rolesReadable = readable.covers(p.policy.directory.rolesField);
  const includeTotals = params.include_totals === 'true';
  const answer = await onOrg(() =>
    ctx.management.listInvitations(
      org,
      {
        page: params.page === undefined ? undefined : Number(params.page),
        per_page: params.per_page === undefined ? undefined : Number(params.per_page),
        include_totals: includeTotals ? true : undefined,
      },
      ctx.scope,
    ),
  );
  const items = itemsOf(answer, 'invitations');
  const giveRoles = rolesReadable && items.some((i) => Array.isArray(i.roles) && i.roles.length > 0);
  const roleNames = rolesReadable ? (giveRoles ? await roleNamesById(ctx) : new Map<string, string>()) : undefined;
  const invitations = items.map((i) => invitationView(i, readable, roleNames));
  if (Array.isArray(answer)) return invitations;
  const page = answer as Record<string, unknown>;
  const number = (key: string) => (typeof page[key] === 'number' ? { [key]: page[key] } : {});
  return { ...number('start'), ...number('limit'), ...number('total'), invitations };
}

/** The caller's name for the invitation's `inviter.name`: its profile's `name`, else its email, else its subject. */
async function inviterName(ctx: OperationContext): Promise<string> {
  const sub = ctx.permissions.sub;
  let profile: unknown;
  try {
    profile = await ctx.management.getUser(sub, { fields: 'name,email', include_fields: true }, ctx.scope);
  } catch (err) {
    // A caller that is not a user Auth0 knows (or an unreadable one) is named by its subject.
    if (!(err instanceof HttpError) || err.status >= 500 || err.status === 429) throw err;
  }
  const named = [isRecord(profile) ? profile.name : undefined, isRecord(profile) ? profile.email : undefined, sub].find(
    (v): v is string => typeof v === 'string' && v.trim() !== '',
  )!;
  return named.trim().slice(0, MAX_INVITER_NAME);
}

/**
 * POST /orgs/:org_id/invitations: with INVITATION_CLIENT_ID set (501 not_configured otherwise), `invite`
 * acting in the organization, each role granted by the invitation in the acting roles' `grant` (403
 * role_not_grantable), all decided before anything is sent; the roles become ids (an unknown one: 400
 * invalid_roles), the inviter is the caller's name. Answers the invitation with its `invitation_url`.
 */
export async function createInvitation(
  ctx: OperationContext,
  orgId: string,
  body: InvitationBody,
  clientId: string | undefined,
): Promise<unknown> {
  const roles = body.roles ?? [];
  const entry = {
    action: 'invite',
    target: orgId.slice(0, 128),
    targetOrg: orgId.slice(0, 128),
    fields: roles.length > 0 ? ['roles'] : undefined,
  };
  return audited(ctx, entry, async () => {
    if (!clientId) throw errors.notConfigured('INVITATION_CLIENT_ID');
    const org = orgIdOf(orgId);
    const verdict = decideOrgOrThrow(ctx, 'invite', undefined, { org, roles: { added: roles, removed: [] } });
    const roleIds = await knownRoleIds(ctx, roles);
    const outgoing: Record<string, unknown> = {
      inviter: { name: await inviterName(ctx) },
      invitee: { email: body.email },
      client_id: clientId,
      ...(roleIds.length > 0 ? { roles: roleIds } : {}),
      ...(body.connection_id !== undefined ? { connection_id: body.connection_id } : {}),
      ...(body.ttl_sec !== undefined ? { ttl_sec: body.ttl_sec } : {}),
      ...(body.send_invitation_email !== undefined ? { send_invitation_email: body.send_invitation_email } : {}),
    };
    const answer = await onOrg(() => ctx.management.createInvitation(org, outgoing, ctx.scope));
    if (!isRecord(answer)) throw errors.upstreamError('its invitation answer was not an object');
    // The names asked, as given (the ids were resolved from them); the caller sees what it invited.
    const view = invitationView(answer, ctx.permissions.readableBy(verdict.acting), undefined);
    return {
      ...view,
      // The inviter and invitee were the caller's own input: answered to it whatever its roles read.
      inviter: outgoing.inviter,
      invitee: outgoing.invitee,
      ...(roles.length > 0 ? { roles: [...new Set(roles)].sort() } : {}),
      ...(typeof answer.invitation_url === 'string' ? { invitation_url: answer.invitation_url } : {}),
    };
  });
}

/** DELETE /orgs/:org_id/invitations/:invitation_id: `revoke_invitation` acting in the organization; Auth0's 404 is invitation_not_found. */
export async function revokeInvitation(ctx: OperationContext, orgId: string, invitationId: string): Promise<void> {
  const entry = { action: 'revoke_invitation', target: invitationId.slice(0, 128), targetOrg: orgId.slice(0, 128) };
  await audited(ctx, entry, async () => {
    const org = orgIdOf(orgId);
    decideOrgOrThrow(ctx, 'revoke_invitation', undefined, { org });
    checkInvitationId(invitationId);
    await onOrg(() => ctx.management.deleteInvitation(org, invitationId, ctx.scope), 'invitation');
  });
}
