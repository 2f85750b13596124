import { errors } from '../errors';

/** Longest user id accepted, in characters (Auth0 allows 255 for the id part, plus provider and connection). */
export const MAX_USER_ID_LENGTH = 512;
/**
 * `provider|id` or `provider|connection|id`. No `/`, `\`, `?`, `#`, `%` or whitespace, so that no id
 * can name another Management API path even before it is percent-encoded.
 */
const USER_ID = /^[A-Za-z0-9_.-]+(\|[A-Za-z0-9_.@+=:~-]+)+$/;

/** Returns the id when it is a well-formed Auth0 user id; throws a 400 otherwise. */
export function checkUserId(id: unknown): string {
  if (typeof id !== 'string' || id.length > MAX_USER_ID_LENGTH || !USER_ID.test(id)) throw errors.invalidUserId();
  return id;
}
