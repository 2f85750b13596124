export { extractBearer } from './bearer';
export { TokenVerifier, classifyVerificationError, type Claims, type TokenVerifierOptions } from './token-verifier';
export { SigningKeys, type SigningKeysOptions } from './signing-keys';
export { verifyToken, type VerifyTokenOptions } from './verify-token';
export { appMetadataCallerResolver, claimCallerResolver, readRolesAndOrg, type CallerResolver } from './resolve-caller';
