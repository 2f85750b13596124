import { appMetadataAfterWrite, appMetadataDirectory } from './app-metadata';
import type { UserDirectory } from './user-directory';

/** The policy's pseudo-field for a user's Auth0 RBAC roles (reading it is reading `GET /users/{id}/roles`). */
export const RBAC_ROLES_FIELD = 'roles';

/**
 * `ROLES_SOURCE=rbac`: a user's roles are the names of its Auth0 RBAC roles. They are not part of the
 * profile: the operations fetch them (`GET /users/{id}/roles`, directory/rbac-roles.ts) and set them at
 * the pseudo-field `roles` of the user they decide on; `rolesOf` reads them there. A profile write can
 * never change them (only the roles routes do), so `roleChange` of a body is always none and
 * `app_metadata.roles` is plain data. The org stays `app_metadata.<ORG_PATH>`.
 */
export function rbacDirectory(paths: { rolesPath: string; orgPath: string }): UserDirectory {
  const profile = appMetadataDirectory(paths);
  const rolesOf = (user: unknown): string[] => {
    const roles =
      user && typeof user === 'object' && !Array.isArray(user) ? (user as Record<string, unknown>)[RBAC_ROLES_FIELD] : undefined;
    return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
  };
  return {
    ...profile,
    source: 'rbac',
    rolesField: RBAC_ROLES_FIELD,
    rolesApart: true,
    rolesOf,
    tenantRolesOf: rolesOf,
    roleChange() {
      return undefined;
    },
    rewritesRolesOrOrg(body, user) {
      return appMetadataAfterWrite(body, user, paths.orgPath).touched;
    },
  };
}
