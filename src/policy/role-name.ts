/** Longest role name usergate accepts (policy keys, grants, RBAC role names of a caller). */
export const MAX_ROLE_NAME = 64;

/**
 * A role name as the policy file may write it: any Auth0 role name (spaces included; quote such keys
 * in YAML), 1 to 64 characters, with no control, format or invisible characters, no whitespace but the
 * plain space, none at either end, and never `*` (which means "every role" in a grant list).
 */
export function isRoleName(name: string): boolean {
  return (
    name.length >= 1 &&
    name.length <= MAX_ROLE_NAME &&
    name !== '*' &&
    name.trim() === name &&
    !/[\p{C}\p{Zl}\p{Zp}]/u.test(name) &&
    !/[^\S ]/u.test(name)
  );
}

export const ROLE_NAME_RULE = 'any Auth0 role name: 1 to 64 characters, plain spaces inside only, no control characters, not *';
