import { createHash, randomBytes } from 'node:crypto';
import type { Role, RoleStore } from './rbac';

/** An Auth0 organization as the Management API answers it. */
export interface Organization {
  id: string;
  name: string;
  display_name?: string;
  metadata?: Record<string, string | null>;
  branding?: Record<string, unknown>;
}

/** An invitation to join an organization, as Auth0 stores and answers it. */
export interface Invitation {
  id: string;
  organization_id: string;
  inviter: { name: string };
  invitee: { email: string };
  invitation_url: string;
  created_at: string;
  expires_at: string;
  client_id: string;
  connection_id?: string;
  roles?: string[];
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
  ticket_id: string;
}

/** Auth0's rule for an organization's `name`: lowercase letters, digits, `-` and `_`, 1 to 50 characters. */
export const ORGANIZATION_NAME = /^[a-z0-9_-]{1,50}$/;

/** Default lifetime of an invitation, in s (7 days); Auth0's maximum is 30 days. */
export const INVITATION_DEFAULT_TTL_S = 604_800;
export const INVITATION_MAX_TTL_S = 2_592_000;

function shortHash(input: string): string {
  return createHash('sha256').update(input).digest('base64url').replace(/[-_]/g, 'x').slice(0, 16);
}

/** A stable organization id for a name (`org_` and 16 characters, Auth0's shape), so seeds and tests agree across runs. */
export function organizationIdFor(name: string): string {
  return `org_${shortHash(`organization:${name}`)}`;
}

/**
 * The tenant's Organizations: each organization, its members (user ids), its members' roles (role ids of
 * the tenant's RBAC roles, held only within that organization) and its invitations. Member roles are
 * independent of the user's tenant roles (`RoleStore`), as at Auth0.
 */
export class OrganizationStore {
  private readonly orgs = new Map<string, Organization>();
  private readonly members = new Map<string, Set<string>>();
  /** orgId → userId → role ids. */
  private readonly memberRoles = new Map<string, Map<string, Set<string>>>();
  /** orgId → invitation id → invitation. */
  private readonly invites = new Map<string, Map<string, Invitation>>();

  constructor(private readonly roles: RoleStore) {}

  /** Creates an organization (the caller checked the name is free); answers it. */
  create(name: string, fields: Omit<Organization, 'id' | 'name'> = {}): Organization {
    let id = organizationIdFor(name);
    // An organization renamed keeps its id: a new one of the old name gets another.
    for (let n = 1; this.orgs.has(id); n++) id = organizationIdFor(`${name}#${n}`);
    const org: Organization = { id, name, ...structuredClone(fields) };
    this.orgs.set(id, org);
    this.members.set(id, new Set());
    this.memberRoles.set(id, new Map());
    this.invites.set(id, new Map());
    return org;
  }

  /** Test and seed knob: the organization of that name, created if new. */
  define(name: string, displayName?: string): Organization {
    return this.byName(name) ?? this.create(name, displayName ? { display_name: displayName } : {});
  }

  /** Every organization, by name. */
  all(): Organization[] {
    return [...this.orgs.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get(id: string): Organization | undefined {
    return this.orgs.get(id);
  }

  byName(name: string): Organization | undefined {
    return [...this.orgs.values()].find((o) => o.name === name);
  }

  /** The organization an `/authorize` request names, by id (`org_...`) or by name. */
  byIdOrName(value: string): Organization | undefined {
    return value.startsWith('org_') ? this.get(value) : this.byName(value);
  }

  update(id: string, fields: Partial<Omit<Organization, 'id'>>): Organization | undefined {
    const org = this.orgs.get(id);
    if (!org) return undefined;
    Object.assign(org, structuredClone(fields));
    return org;
  }

  /** Deletes an organization with its members, member roles and invitations. */
  delete(id: string): boolean {
    this.members.delete(id);
    this.memberRoles.delete(id);
    this.invites.delete(id);
    return this.orgs.delete(id);
  }

  /** The members' user ids, in user_id order (the order checkpoint paging walks). */
  memberIds(orgId: string): string[] {
    return [...(this.members.get(orgId) ?? [])].sort();
  }

  isMember(orgId: string, userId: string): boolean {
    return this.members.get(orgId)?.has(userId) ?? false;
  }

  addMembers(orgId: string, userIds: string[]): void {
    const set = this.members.get(orgId);
    if (!set) return;
    for (const id of userIds) set.add(id);
  }

  /** Removes members; their member roles in that organization go with them. */
  removeMembers(orgId: string, userIds: string[]): void {
    for (const id of userIds) {
      this.members.get(orgId)?.delete(id);
      this.memberRoles.get(orgId)?.delete(id);
    }
  }

  /** The organizations a user is a member of, by name. */
  organizationsOf(userId: string): Organization[] {
    return this.all().filter((o) => this.isMember(o.id, userId));
  }

  /** A member's roles in an organization, by name order (roles the tenant no longer has are skipped). */
  memberRolesOf(orgId: string, userId: string): Role[] {
    return [...(this.memberRoles.get(orgId)?.get(userId) ?? [])]
      .map((id) => this.roles.get(id))
      .filter((r): r is Role => r !== undefined)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The names of a member's roles in an organization (a test's view of the tenant's state). */
  memberRoleNames(orgId: string, userId: string): string[] {
    return this.memberRolesOf(orgId, userId).map((r) => r.name);
  }

  assignMemberRoles(orgId: string, userId: string, roleIds: string[]): void {
    const byUser = this.memberRoles.get(orgId);
    if (!byUser) return;
    const set = byUser.get(userId) ?? new Set<string>();
    for (const id of roleIds) set.add(id);
    byUser.set(userId, set);
  }

  unassignMemberRoles(orgId: string, userId: string, roleIds: string[]): void {
    const set = this.memberRoles.get(orgId)?.get(userId);
    if (!set) return;
    for (const id of roleIds) set.delete(id);
  }

  /** Test and seed knob: the user is a member of the organization holding exactly these member roles (by name, each defined if new). */
  setMemberRoles(orgId: string, userId: string, names: string[]): void {
    this.addMembers(orgId, [userId]);
    this.memberRoles.get(orgId)?.set(userId, new Set(names.map((n) => this.roles.define(n).id)));
  }

  /** A deleted user is no member of anything and holds no member role. */
  forgetUser(userId: string): void {
    for (const orgId of this.orgs.keys()) this.removeMembers(orgId, [userId]);
  }

  /** The organization's invitations, oldest first. */
  invitations(orgId: string): Invitation[] {
    return [...(this.invites.get(orgId)?.values() ?? [])].sort((a, b) =>
      a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0,
    );
  }

  invitation(orgId: string, id: string): Invitation | undefined {
    return this.invites.get(orgId)?.get(id);
  }

  /** Stores an invitation; the id and ticket are random, as at Auth0. */
  addInvitation(invitation: Omit<Invitation, 'id' | 'ticket_id' | 'invitation_url'>, loginUri: string): Invitation {
    const org = this.orgs.get(invitation.organization_id)!;
    const ticket = randomBytes(24).toString('base64url');
    const url = new URL(loginUri);
    url.searchParams.set('invitation', ticket);
    url.searchParams.set('organization', org.id);
    url.searchParams.set('organization_name', org.name);
    const stored: Invitation = {
      ...structuredClone(invitation),
      id: `uinv_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').slice(0, 16)}`,
      invitation_url: url.toString(),
      ticket_id: ticket,
    };
    this.invites.get(org.id)!.set(stored.id, stored);
    return stored;
  }

  deleteInvitation(orgId: string, id: string): boolean {
    return this.invites.get(orgId)?.delete(id) ?? false;
  }
}
