export { SigningKeys, type SigningKeysOptions } from './signing-keys';
export { verifyToken, type VerifyTokenOptions } from './verify-token';
export { appMetadataCallerResolver, claimCallerResolver, readRolesAndOrg, type CallerResolver } from './resolve-caller';
