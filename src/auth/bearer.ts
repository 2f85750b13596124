import { errors } from '../errors';

/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1): 401 credentials_required
 * without a header, 401 invalid_request for another scheme or a malformed header. The token's own
 * syntax is the verifier's business.
 */
export function extractBearer(authorization: string | undefined): string {
  if (authorization === undefined || authorization === '') throw errors.credentialsRequired();
  const parts = authorization.split(' ');
  if (parts.length !== 2 || !/^Bearer$/i.test(parts[0]!) || parts[1] === '') {
    throw errors.invalidRequest('Send the token as Authorization: Bearer <token>.');
  }
  return parts[1]!;
}
