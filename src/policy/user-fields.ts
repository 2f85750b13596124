/** Reads a dot path inside a value; undefined when any step is missing or not an object. */
export function getPath(value: unknown, path: string): unknown {
  let current = value;
  for (const segment of path.split('.')) {
    if (!current || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** An org value as usergate compares it: a non-empty string, or a finite number as its string; else none. */
export function orgValue(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '' && value.length <= 128) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** The org of a user: `app_metadata.<ORG_PATH>`. */
export function orgOf(user: unknown, orgPath: string): string | undefined {
  return orgValue(getPath(getPath(user, 'app_metadata'), orgPath));
}

/** The roles of a user: `app_metadata.<ROLES_PATH>`, or [] when absent. */
export function storedRolesOf(user: unknown, rolesPath: string): string[] {
  const roles = getPath(getPath(user, 'app_metadata'), rolesPath);
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
}
