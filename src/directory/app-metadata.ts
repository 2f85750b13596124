import { errors } from '../errors';
import { getPath, orgValue, setOwn } from './values';
import type { RoleChange, UserDirectory } from './user-directory';

/** Role names as usergate accepts them in app_metadata: short, plain tokens. */
const ROLE_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
export const MAX_ROLES = 50;

/**
 * The value at `app_metadata.<path>` after Auth0 applies the write body to `current` (one-level
 * merge of app_metadata; `{}` or a non-object replaces it whole). `touched` is false when the body
 * cannot change that value.
 */
export function appMetadataAfterWrite(body: Record<string, unknown>, current: unknown, path: string): { touched: boolean; value: unknown } {
  const before = getPath(getPath(current, 'app_metadata'), path);
  if (!Object.hasOwn(body, 'app_metadata')) return { touched: false, value: before };
  const appMetadata = body.app_metadata;
  if (!appMetadata || typeof appMetadata !== 'object' || Array.isArray(appMetadata) || Object.keys(appMetadata).length === 0) {
    return { touched: true, value: undefined };
  }
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  if (!Object.hasOwn(appMetadata, head)) return { touched: false, value: before };
  const replaced = (appMetadata as Record<string, unknown>)[head];
  const value = rest.length === 0 ? replaced : getPath(replaced, rest.join('.'));
  return { touched: true, value: value ?? undefined };
}

/**
 * `ROLES_SOURCE=app_metadata` (and `claim`, whose targets are still read from their profiles): a user's
 * roles are `app_metadata.<ROLES_PATH>`, its org `app_metadata.<ORG_PATH>`.
 */
export function appMetadataDirectory(paths: { rolesPath: string; orgPath: string }): UserDirectory {
  const { rolesPath, orgPath } = paths;
  const rolesOf = (user: unknown): string[] => {
    const roles = getPath(getPath(user, 'app_metadata'), rolesPath);
    return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
  };
  const orgOf = (user: unknown): string | undefined => orgValue(getPath(getPath(user, 'app_metadata'), orgPath));
  return {
    source: 'app_metadata',
    rolesField: `app_metadata.${rolesPath}`,
    orgField: `app_metadata.${orgPath}`,
    rolesApart: false,
    orgsApart: false,
    neededFields: ['app_metadata'],
    rolesOf,
    tenantRolesOf: rolesOf,
    orgOf,
    inOrg: (user, org) => orgOf(user) === org,
    roleChange(body, user): RoleChange | undefined {
      const preview = appMetadataAfterWrite(body, user, rolesPath);
      if (!preview.touched) return undefined;
      const before = rolesOf(user);
      const after = preview.value ?? [];
      if (!Array.isArray(after) || after.length > MAX_ROLES || !after.every((r) => typeof r === 'string' && ROLE_NAME.test(r))) {
        throw errors.invalidRoles(
          `app_metadata.${rolesPath} must be an array of at most ${MAX_ROLES} role names (letters, digits, _ . : -).`,
        );
      }
      const next = new Set(after as string[]);
      const change = { added: [...next].filter((r) => !before.includes(r)), removed: before.filter((r) => !next.has(r)) };
      return change.added.length + change.removed.length > 0 ? change : undefined;
    },
    rewritesRolesOrOrg(body, user) {
      return appMetadataAfterWrite(body, user, rolesPath).touched || appMetadataAfterWrite(body, user, orgPath).touched;
    },
    orgAfter(body, user) {
      const org = appMetadataAfterWrite(body, user, orgPath);
      return org.touched ? (org.value as string | undefined) : orgOf(user);
    },
    orgAskedIn(body) {
      return getPath(getPath(body, 'app_metadata'), orgPath);
    },
    withOrg(body, org) {
      const copy = structuredClone(body);
      const appMetadata = (copy.app_metadata && typeof copy.app_metadata === 'object' ? copy.app_metadata : {}) as Record<string, unknown>;
      const segments = orgPath.split('.');
      let node = appMetadata;
      for (const segment of segments.slice(0, -1)) {
        const next = node[segment];
        const child = next && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : {};
        setOwn(node, segment, child);
        node = child;
      }
      setOwn(node, segments.at(-1)!, org);
      copy.app_metadata = appMetadata;
      return copy;
    },
    listFilter(org) {
      return { orgPath, org };
    },
  };
}
