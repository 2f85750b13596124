import type { FieldSet } from './field-set';

/**
 * What a caller sees of a user: only the readable fields, and never an always-hidden one (password,
 * IdP tokens inside identities, the policy's `hidden`), whatever the readable set says.
 */
export function filterUser(user: unknown, readable: FieldSet, hidden: FieldSet): Record<string, unknown> {
  const projected = readable.project(user);
  const out = projected && typeof projected === 'object' && !Array.isArray(projected) ? (projected as Record<string, unknown>) : {};
  hidden.strip(out);
  return out;
}
