/** Reads a dot path inside a value; undefined when any step is missing or not an object. */
export function getPath(value: unknown, path: string): unknown {
  let current = value;
  for (const segment of path.split('.')) {
    if (!current || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** The org of a user: `app_metadata.<ORG_PATH>` when it is a non-empty string. */
export function orgOf(user: unknown, orgPath: string): string | undefined {
  const org = getPath(getPath(user, 'app_metadata'), orgPath);
  return typeof org === 'string' && org !== '' ? org : undefined;
}

/** The roles of a user: `app_metadata.<ROLES_PATH>`, or [] when absent. */
export function storedRolesOf(user: unknown, rolesPath: string): string[] {
  const roles = getPath(getPath(user, 'app_metadata'), rolesPath);
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
}
