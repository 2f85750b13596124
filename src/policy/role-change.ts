import { errors } from '../errors';
import { storedRolesOf } from './user-fields';
import { appMetadataAfterWrite } from './write-preview';

/** Role names as usergate accepts them in app_metadata: short, plain tokens. */
const ROLE_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
export const MAX_ROLES = 50;

export interface RoleChange {
  added: string[];
  removed: string[];
}

/**
 * The roles a write body grants and revokes, applying Auth0's merge (one level deep in app_metadata)
 * to the target's current roles. `undefined` when the body leaves the roles alone. Malformed role
 * lists are refused with 400.
 */
export function roleChange(body: Record<string, unknown>, current: unknown, rolesPath: string): RoleChange | undefined {
  const preview = appMetadataAfterWrite(body, current, rolesPath);
  if (!preview.touched) return undefined;
  const before = storedRolesOf(current, rolesPath);
  const after = preview.value ?? [];
  if (!Array.isArray(after) || after.length > MAX_ROLES || !after.every((r) => typeof r === 'string' && ROLE_NAME.test(r))) {
    throw errors.invalidRoles(`app_metadata.${rolesPath} must be an array of at most ${MAX_ROLES} role names (letters, digits, _ . : -).`);
  }
  const next = new Set(after as string[]);
  const change = { added: [...next].filter((r) => !before.includes(r)), removed: before.filter((r) => !next.has(r)) };
  return change.added.length + change.removed.length > 0 ? change : undefined;
}
