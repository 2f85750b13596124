import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { DevTenant } from './dev-tenant';
import { DEMO_USERS, SEED_ORGS } from './seed';

/** What the seed needs of a policy role (the dev tenant reads the policy file itself: it imports nothing of usergate). */
export interface PolicyRole {
  name: string;
  can: string[];
  grant: string[];
  scoped: boolean;
}

/** The demo's three kinds of caller, each a policy role name (undefined when the policy has none of that kind). */
export interface DemoRoles {
  /** An unscoped role granting every role (or, failing that, the unscoped role with the most actions). */
  tenantAdmin?: string;
  /** A `scope: org` role that manages members (invites, lists members, or grants the most roles). */
  orgAdmin?: string;
  /** Another `scope: org` role, the one with the fewest actions. */
  orgMember?: string;
}

/** The organization the demo's org admin and org member sign in through, and that holds the pending invitation. */
export const DEMO_ORG = SEED_ORGS[0];

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The roles of the policy file `ACL_FILE` names (default config/acl.yaml, relative to the working directory). */
export function policyRoles(env: Record<string, string | undefined>): PolicyRole[] {
  const file = env.ACL_FILE?.trim() || 'config/acl.yaml';
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`dev tenant: cannot read the policy file ${file} to seed its roles (${(err as Error).message})`);
  }
  const roles = (doc as { roles?: Record<string, Record<string, unknown> | null> } | null)?.roles ?? {};
  return Object.entries(roles).map(([name, role]) => ({
    name,
    can: strings(role?.can),
    grant: strings(role?.grant),
    scoped: role?.scope === 'org',
  }));
}

/** Which policy roles the demo's tenant admin, org admin and org member hold (by what they allow, never by name). */
export function demoRoles(roles: PolicyRole[]): DemoRoles {
  const most = (list: PolicyRole[], size: (r: PolicyRole) => number) =>
    list.reduce<PolicyRole | undefined>((best, r) => (!best || size(r) > size(best) ? r : best), undefined);
  const unscoped = roles.filter((r) => !r.scoped);
  const scoped = roles.filter((r) => r.scoped);
  const tenantAdmin = unscoped.find((r) => r.grant.includes('*')) ?? most(unscoped, (r) => r.can.length);
  const managers = scoped.filter((r) => r.can.includes('invite') || r.can.includes('list_members'));
  const orgAdmin = most(managers.length > 0 ? managers : scoped, (r) => r.grant.length * 100 + r.can.length);
  const orgMember = most(
    scoped.filter((r) => r !== orgAdmin),
    (r) => -r.can.length,
  );
  return { tenantAdmin: tenantAdmin?.name, orgAdmin: orgAdmin?.name, orgMember: orgMember?.name };
}

function displayName(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * The Auth0 RBAC and Organizations model for `ROLES_SOURCE=rbac`: one tenant role per policy role; one
 * organization per seeded org, its members the users whose `app_metadata.org` names it; each user's
 * `app_metadata.roles` split into tenant roles (unscoped policy roles, and names the policy lacks) and
 * member roles in its organization (`scope: org` policy roles). The demo's tenant admin holds the
 * tenant-admin role only as a tenant role; its org admin holds the org-admin role only as a member role
 * in DEMO_ORG; its org member the org-member role likewise.
 */
export function seedOrganizations(tenant: DevTenant, roles: PolicyRole[]): DemoRoles {
  const { organizations: orgs, roles: rbac, store } = tenant;
  for (const role of roles) rbac.define(role.name);
  const scoped = new Set(roles.filter((r) => r.scoped).map((r) => r.name));
  const orgIds = new Map(SEED_ORGS.map((name) => [name, orgs.define(name, displayName(name)).id]));
  for (const user of store.all()) {
    const orgId = orgIds.get(user.app_metadata?.org as (typeof SEED_ORGS)[number]);
    const names = strings(user.app_metadata?.roles);
    if (!orgId) continue;
    orgs.addMembers(orgId, [user.user_id]);
    rbac.setUserRoles(
      user.user_id,
      names.filter((n) => !scoped.has(n)),
    );
    const memberRoles = names.filter((n) => scoped.has(n));
    if (memberRoles.length > 0) orgs.setMemberRoles(orgId, user.user_id, memberRoles);
  }
  const demo = demoRoles(roles);
  const demoOrg = orgIds.get(DEMO_ORG)!;
  const place = (userId: string, tenantRoles: string[], memberRoles: string[]) => {
    rbac.setUserRoles(userId, tenantRoles);
    orgs.addMembers(demoOrg, [userId]);
    orgs.setMemberRoles(demoOrg, userId, memberRoles);
  };
  if (demo.tenantAdmin) place(DEMO_USERS.admin, [demo.tenantAdmin], []);
  if (demo.orgAdmin) {
    // The org admin acts in DEMO_ORG only: no other membership, no tenant role.
    for (const id of orgIds.values()) if (id !== demoOrg) orgs.removeMembers(id, [DEMO_USERS.support]);
    place(DEMO_USERS.support, [], [demo.orgAdmin]);
  }
  if (demo.orgMember) place(DEMO_USERS.none, [], [demo.orgMember]);
  return demo;
}

/**
 * The demo's pending invitation to DEMO_ORG, for the application `clientId` (it needs its login URI, so
 * dev mode creates it once the console is registered). Does nothing when the invitation exists.
 */
export function seedInvitation(tenant: DevTenant, clientId: string, roles: DemoRoles): void {
  const org = tenant.organizations.byName(DEMO_ORG);
  const client = tenant.spaClients.find(clientId);
  if (!org || !client?.initiateLoginUri || tenant.organizations.invitations(org.id).length > 0) return;
  const memberRole = roles.orgMember ? tenant.roles.byName(roles.orgMember) : undefined;
  const created = Date.now();
  tenant.organizations.addInvitation(
    {
      organization_id: org.id,
      inviter: { name: tenant.store.get(DEMO_USERS.support)?.name ?? 'Org admin' },
      invitee: { email: `new.hire@${DEMO_ORG}.example` },
      created_at: new Date(created).toISOString(),
      expires_at: new Date(created + 7 * 86_400_000).toISOString(),
      client_id: clientId,
      ...(memberRole ? { roles: [memberRole.id] } : {}),
    },
    client.initiateLoginUri,
  );
}
