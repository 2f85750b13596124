export { appMetadataDirectory, appMetadataAfterWrite, MAX_ROLES } from './app-metadata';
export type { OrgFilter, RoleChange, UserDirectory } from './user-directory';
export { getPath, orgValue } from './values';
