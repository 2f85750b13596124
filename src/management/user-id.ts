import { errors } from '../errors';

/** Longest user id accepted, in characters (Auth0 allows 255 for a custom id, plus provider and connection). */
export const MAX_USER_ID_LENGTH = 512;
/** Longest custom `user_id` on create (the contract's `CreateUserRequestContent`). */
export const MAX_CUSTOM_USER_ID_LENGTH = 255;
/**
 * Every id Auth0 can hold: a provider prefix, `|`, then any non-whitespace characters (custom OAuth2
 * and custom database ids contain `/` and `:`; see docs/auth0-facts.md). Whatever it holds, the id is
 * percent-encoded into one path segment before it reaches a URL.
 */
const USER_ID = /^[A-Za-z0-9_.-]+\|\S+$/u;
/** Control characters, and lone surrogates (they cannot be percent-encoded). */
const UNENCODABLE = /[\p{Cc}\p{Cs}]/u;

/** Returns the id when it is a well-formed Auth0 user id; throws a 400 otherwise. */
export function checkUserId(id: unknown): string {
  if (typeof id !== 'string' || id.length > MAX_USER_ID_LENGTH || !USER_ID.test(id) || UNENCODABLE.test(id)) throw errors.invalidUserId();
  return id;
}

/**
 * A custom `user_id` given on create: Auth0 takes `^\S*$`, at most 255 characters, and the user's id
 * becomes `auth0|<user_id>`, which must then be an id usergate serves.
 */
export function checkNewUserId(raw: unknown): string {
  const ok =
    typeof raw === 'string' && raw.length > 0 && raw.length <= MAX_CUSTOM_USER_ID_LENGTH && /^\S+$/u.test(raw) && !UNENCODABLE.test(raw);
  if (!ok)
    throw errors.invalidUserId(
      `user_id on create must be 1 to ${MAX_CUSTOM_USER_ID_LENGTH} characters without whitespace or control characters`,
    );
  checkUserId(`auth0|${raw}`);
  return raw;
}

/** The id as one percent-encoded path segment, checked to decode back to the id. */
export function userIdSegment(id: string): string {
  const segment = encodeURIComponent(checkUserId(id));
  if (segment.includes('/') || decodeURIComponent(segment) !== id) throw errors.invalidUserId();
  return segment;
}
