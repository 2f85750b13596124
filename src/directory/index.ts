import { appMetadataDirectory } from './app-metadata';
import type { UserDirectory } from './user-directory';

export { appMetadataDirectory, appMetadataAfterWrite, MAX_ROLES } from './app-metadata';
export type { OrgFilter, RoleChange, UserDirectory } from './user-directory';
export { getPath, orgValue } from './values';

/** Where roles and org live (ROLES_SOURCE, ROLES_PATH, ORG_PATH). */
export interface DirectorySettings {
  source?: string;
  rolesPath: string;
  orgPath: string;
}

/**
 * The directory for the configured source: the one place a source is chosen. `app_metadata` and
 * `claim` read targets from their profiles alike (a claim describes only the caller's own token).
 */
export function directoryFor(settings: DirectorySettings): UserDirectory {
  return appMetadataDirectory(settings);
}
