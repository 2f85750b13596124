import { appMetadataDirectory } from './app-metadata';
import { organizationsDirectory } from './organizations';
import { rbacDirectory } from './rbac';
import type { UserDirectory } from './user-directory';

export { appMetadataDirectory, appMetadataAfterWrite, MAX_ROLES } from './app-metadata';
export type { OrgFilter, RoleChange, UserDirectory } from './user-directory';
export { getPath, orgValue, setOwn } from './values';
export { RBAC_ROLES_FIELD, rbacDirectory } from './rbac';
export { RoleIds, roleNamesOf, MAX_RBAC_ROLES } from './rbac-roles';
export { MEMBER_ELSEWHERE, MEMBERSHIPS, membershipsOf, ROLES_NOT_COUNTED, withMemberships, type Memberships } from './memberships';
export { ORGANIZATIONS_FIELD, organizationsDirectory } from './organizations';
export {
  memberRoleNamesOf,
  memberOf,
  membershipsOfTarget,
  organizationIdsOf,
  MAX_TARGET_ORGS,
  type TargetMemberships,
} from './org-memberships';
export { PAGE, pageOf } from './upstream-pages';

/** Where roles and org live (ROLES_SOURCE, ROLES_PATH, ORG_PATH). */
export interface DirectorySettings {
  source?: string;
  /** ORG_SOURCE (its default follows ROLES_SOURCE: see config/env.ts). */
  orgSource?: string;
  rolesPath: string;
  orgPath: string;
}

/**
 * The directory for the configured source: the one place a source is chosen. `app_metadata` and
 * `claim` read targets from their profiles alike (a claim describes only the caller's own token);
 * `rbac` reads roles from Auth0 RBAC; ORG_SOURCE=organizations reads orgs from Auth0 Organizations.
 */
export function directoryFor(settings: DirectorySettings): UserDirectory {
  if (settings.orgSource === 'organizations') return organizationsDirectory({ ...settings, rbac: settings.source === 'rbac' });
  if (settings.source === 'rbac') return rbacDirectory(settings);
  // `claim`: named apart, so the roles routes know a claim cannot be written (501 not_configured).
  if (settings.source === 'claim') return { ...appMetadataDirectory(settings), source: 'claim' };
  return appMetadataDirectory(settings);
}
