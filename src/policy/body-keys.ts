import { errors, type HttpError } from '../errors';

/**
 * Root attributes a write body may name: the attributes of an Auth0 user, plus what Auth0's create and
 * update requests take besides (`password`, `connection`, `verify_email`, ...). Read-only attributes
 * are in the list on purpose: naming one is refused later as not writable, which says more.
 */
export const BODY_ATTRIBUTES: ReadonlySet<string> = new Set([
  'app_metadata',
  'blocked',
  'client_id',
  'connection',
  'created_at',
  'email',
  'email_verified',
  'family_name',
  'given_name',
  'identities',
  'last_ip',
  'last_login',
  'logins_count',
  'multifactor',
  'name',
  'nickname',
  'password',
  'phone_number',
  'phone_verified',
  'picture',
  'updated_at',
  'user_id',
  'user_metadata',
  'username',
  'verify_email',
  'verify_phone_number',
]);

const METADATA = ['app_metadata', 'user_metadata'];
/** Auth0 forbids these in metadata keys; usergate's paths would misread a dotted key as a deeper one. */
const RESERVED_IN_KEY = /[.$]/;

function metadataKeyProblem(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = metadataKeyProblem(item, path);
      if (found) return found;
    }
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  for (const key of Object.keys(value)) {
    if (RESERVED_IN_KEY.test(key)) return `${path}["${key.slice(0, 64)}"]`;
    const found = metadataKeyProblem((value as Record<string, unknown>)[key], `${path}.${key.slice(0, 64)}`);
    if (found) return found;
  }
  return undefined;
}

/**
 * Keys are what they seem: a root key that is not an Auth0 user attribute, or a metadata key (at any
 * depth) holding `.` or `$`, is refused with 400 naming the key, before any other check.
 */
export function misleadingKey(body: Record<string, unknown>): HttpError | undefined {
  const unknown = Object.keys(body).filter((key) => !BODY_ATTRIBUTES.has(key));
  if (unknown.length > 0) {
    return errors.invalidBody(
      `The body names what is not an Auth0 user attribute: ${unknown
        .slice(0, 10)
        .map((k) => `"${k.slice(0, 64)}"`)
        .join(', ')}.`,
    );
  }
  for (const root of METADATA) {
    const found = metadataKeyProblem(body[root], root);
    if (found) return errors.invalidBody(`Metadata keys may not contain "." or "$": ${found}.`);
  }
  return undefined;
}
