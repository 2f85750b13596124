import { appMetadataAfterWrite, appMetadataDirectory } from './app-metadata';
import { membershipsOf, ROLES_NOT_COUNTED, withMemberships } from './memberships';
import { rbacDirectory } from './rbac';
import type { UserDirectory } from './user-directory';

/** The policy's name for a user's organizations (what `orgField` says in docs and the CLI; no user field). */
export const ORGANIZATIONS_FIELD = 'organizations';

const strings = (list: readonly unknown[] | undefined): string[] => (list ?? []).filter((r): r is string => typeof r === 'string');

/**
 * ORG_SOURCE=organizations: a user's org is its Auth0 Organizations memberships. They live apart from
 * the profile: the operations read them (directory/org-memberships.ts) and attach them to the user they
 * decide on (directory/memberships.ts); a user whose memberships were not read is in no organization.
 * Roles come from `base` (ROLES_SOURCE=rbac or app_metadata). With rbac, the roles a target holds are
 * its tenant roles and its member roles in every organization it belongs to (what target protection
 * counts); when they could not all be read, they include ROLES_NOT_COUNTED. A profile write never moves
 * a user between organizations (app_metadata.<ORG_PATH> is plain data here).
 */
export function organizationsDirectory(settings: { rolesPath: string; orgPath: string; rbac: boolean }): UserDirectory {
  const base = settings.rbac ? rbacDirectory(settings) : appMetadataDirectory(settings);
  return {
    ...base,
    orgField: ORGANIZATIONS_FIELD,
    orgsApart: true,
    tenantRolesOf: (user) => base.rolesOf(user),
    rolesOf(user) {
      const tenant = base.rolesOf(user);
      // app_metadata roles: member roles are not usergate roles in this mode (the caller side reads none either).
      if (!settings.rbac) return tenant;
      const memberships = membershipsOf(user);
      if (!memberships) return [...tenant, ROLES_NOT_COUNTED];
      const all = new Set(tenant);
      for (const roles of memberships.orgs.values()) for (const role of strings(roles)) all.add(role);
      if (!memberships.complete || [...memberships.orgs.values()].some((roles) => roles === undefined)) all.add(ROLES_NOT_COUNTED);
      return [...all];
    },
    orgOf: () => undefined,
    inOrg: (user, org) => membershipsOf(user)?.orgs.has(org) === true,
    rewritesRolesOrOrg: (body, user) => !settings.rbac && appMetadataAfterWrite(body, user, settings.rolesPath).touched,
    orgAfter: () => undefined,
    orgAskedIn: () => undefined,
    // The new user joins the organization once created (operations/create-user.ts); decide sees it as a member.
    withOrg: (body, org) => withMemberships({ ...body }, { orgs: new Map([[org, []]]), complete: true }),
  };
}
