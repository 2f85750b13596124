import { errors } from '../errors';

/** Auth0's largest page of roles, of a user's organizations, of members and of member roles. */
export const PAGE = 100;
/** A user with more RBAC roles (or member roles in one organization) than this is malformed data for usergate. */
export const MAX_RBAC_ROLES = 100;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The entries of one page, as `{<key>, total}` (include_totals) or a bare array; anything else is Auth0 misbehaving. */
export function pageOf(answer: unknown, key: string): { items: Record<string, unknown>[]; total?: number } {
  const list = Array.isArray(answer) ? answer : isRecord(answer) ? answer[key] : undefined;
  if (!Array.isArray(list)) throw errors.upstreamError(`its ${key} answer was not a list`);
  const total = isRecord(answer) && typeof answer.total === 'number' ? answer.total : undefined;
  return { items: list.filter(isRecord), total };
}

/** Whether a page of `items` entries is the last one, `read` entries read so far. */
export const lastPage = (items: number, read: number, total: number | undefined): boolean =>
  items < PAGE || (total !== undefined && read >= total);

/**
 * The names of every role on every page `readPage` answers (`GET /users/{id}/roles`, a member's roles
 * in an organization). Stops once more than MAX_RBAC_ROLES were read (what the holder then has is
 * refused as too many, never half read). Entries that are not strings are kept as they are for the
 * caller's reader to judge.
 */
export async function allRoleNames(readPage: (page: number) => Promise<unknown>): Promise<unknown[]> {
  const names: unknown[] = [];
  for (let page = 0; ; page++) {
    const { items, total } = pageOf(await readPage(page), 'roles');
    names.push(...items.map((r) => r.name));
    if (names.length > MAX_RBAC_ROLES || lastPage(items.length, names.length, total)) return names;
  }
}
