/**
 * The user ids Auth0 holds: a provider prefix, `|`, then any non-whitespace characters (custom OAuth2
 * and custom database ids contain `/` and `:`). Auth0 refuses an id without the prefix with
 * `400 Object didn't pass validation for format user-id`.
 */
const USER_ID_FORMAT = /^[A-Za-z0-9_.-]+\|\S+$/u;

/** Longest id the tenant accepts (a custom id part is at most 255 characters, plus provider and connection). */
export const MAX_USER_ID_LENGTH = 512;

/** A custom `user_id` on create: `^\S*$`, at most 255 characters (the contract's CreateUserRequestContent). */
export const CUSTOM_USER_ID = /^\S{1,255}$/u;

export function isUserId(id: string): boolean {
  // No control characters, no lone surrogates (they cannot be percent-encoded).
  return id.length <= MAX_USER_ID_LENGTH && USER_ID_FORMAT.test(id) && !/[\p{Cc}\p{Cs}]/u.test(id);
}
