import { BoundedCache } from '../lib/bounded-cache';
import type { Now } from '../lib/clock';
import type { RequestScope } from '../lib/request-scope';
import type { ManagementClient } from '../management/management-client';
import { allRoleNames, pageOf, PAGE } from './upstream-pages';

export { MAX_RBAC_ROLES } from './upstream-pages';

/** Pages of `/roles` read to resolve one name (a name filter matches parts of names: a few pages at most). */
const MAX_NAME_PAGES = 5;

/** The names of a user's Auth0 RBAC roles, every page (`GET /users/{id}/roles`; bounds: upstream-pages.ts). */
export function roleNamesOf(management: ManagementClient, userId: string, scope?: RequestScope, coalesceTag?: string): Promise<unknown[]> {
  return allRoleNames((page) => management.getUserRoles(userId, { per_page: PAGE, page, include_totals: true }, scope, coalesceTag));
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
      const { items: roles } = pageOf(await this.management.listRoles({ name_filter: name, per_page: PAGE, page }, scope), 'roles');
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
