export { MachineTokenProvider, type MachineTokenOptions } from './machine-token';
export { ManagementClient, type ManagementClientOptions, type Query } from './management-client';
export { checkUserId, MAX_USER_ID_LENGTH } from './user-id';
export { ACTION_SCOPES, describeMissing, missingScopes, scopesOfToken, type MissingScope } from './required-scopes';
