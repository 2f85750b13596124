import { errors } from '../errors';
import { BoundedCache } from '../lib/bounded-cache';
import type { Now } from '../lib/clock';
import type { RequestScope } from '../lib/request-scope';
import type { ManagementClient } from '../management/management-client';

/** Auth0's largest page of roles. */
const PAGE = 100;
/** A user with more RBAC roles than this is malformed data for usergate (the caller is granted nothing). */
export const MAX_RBAC_ROLES = 100;
/** Pages of `/roles` read to resolve one name (a name filter matches parts of names: a few pages at most). */
const MAX_NAME_PAGES = 5;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The roles of one page, as `{roles, total}` (include_totals) or a bare array; anything else is Auth0 misbehaving. */
function rolesPage(answer: unknown): { roles: Record<string, unknown>[]; total?: number } {
  const list = Array.isArray(answer) ? answer : isRecord(answer) ? answer.roles : undefined;
  if (!Array.isArray(list)) throw errors.upstreamError('its roles answer was not a list');
  const total = isRecord(answer) && typeof answer.total === 'number' ? answer.total : undefined;
  return { roles: list.filter(isRecord), total };
}

/**
 * The names of a user's Auth0 RBAC roles, every page (`GET /users/{id}/roles`). Stops once more than
 * MAX_RBAC_ROLES were read (what the caller then holds is refused as too many, never half read).
 * Entries that are not strings are kept as they are for the caller's reader to judge.
 */
export async function roleNamesOf(
  management: ManagementClient,
  userId: string,
  scope?: RequestScope,
  coalesceTag?: string,
): Promise<unknown[]> {
  const names: unknown[] = [];
  for (let page = 0; ; page++) {
    const { roles, total } = rolesPage(
      await management.getUserRoles(userId, { per_page: PAGE, page, include_totals: true }, scope, coalesceTag),
    );
    names.push(...roles.map((r) => r.name));
    if (roles.length < PAGE || names.length > MAX_RBAC_ROLES || (total !== undefined && names.length >= total)) return names;
  }
}

/**
 * Role names to Auth0 role ids, through `GET /roles?name_filter=` (exact, case-sensitive match of the
 * answers), cached per name for `ttlMs` in a bounded cache. A name the tenant does not have is not
 * cached (it may be created in the dashboard any time).
 */
export class RoleIds {
  private readonly cache: BoundedCache<string, string>;

  constructor(
    private readonly management: ManagementClient,
    private readonly ttlMs: number,
    private readonly now: Now = Date.now,
    maxEntries = 1000,
  ) {
    this.cache = new BoundedCache({ maxEntries, now });
  }

  /** The id of each name (undefined where the tenant has no such role). */
  async idsOf(names: readonly string[], scope?: RequestScope): Promise<Map<string, string | undefined>> {
    const out = new Map<string, string | undefined>();
    for (const name of new Set(names)) out.set(name, await this.idOf(name, scope));
    return out;
  }

  private async idOf(name: string, scope?: RequestScope): Promise<string | undefined> {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    for (let page = 0; page < MAX_NAME_PAGES; page++) {
      const { roles } = rolesPage(await this.management.listRoles({ name_filter: name, per_page: PAGE, page }, scope));
      const found = roles.find((r) => r.name === name && typeof r.id === 'string');
      if (found) {
        if (this.ttlMs > 0) this.cache.set(name, found.id as string, this.now() + this.ttlMs);
        return found.id as string;
      }
      if (roles.length < PAGE) return undefined;
    }
    return undefined;
  }
}
