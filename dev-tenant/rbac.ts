import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { sendApiError } from './errors';
import { isUserId } from './user-id-format';
import type { StoredUser, UserStore } from './user-store';

/** An Auth0 RBAC role as the Management API answers it. */
export interface Role {
  id: string;
  name: string;
  description?: string;
}

/** Auth0's list defaults: 50 a page, at most 100. */
const DEFAULT_PER_PAGE = 50;

/** A stable role id for a name (`rol_` and 16 characters, Auth0's shape), so seeds and tests agree across runs. */
export function roleIdFor(name: string): string {
  return `rol_${createHash('sha256').update(name).digest('base64url').replace(/[-_]/g, 'x').slice(0, 16)}`;
}

/**
 * The tenant's RBAC model: its roles and which users hold them (by role id). A user's RBAC roles are
 * independent of anything in its `app_metadata`, as at Auth0.
 */
export class RoleStore {
  private readonly roles = new Map<string, Role>();
  private readonly held = new Map<string, Set<string>>();

  /** Creates the role if the tenant has none of that name; answers it. */
  define(name: string, description?: string): Role {
    const existing = this.byName(name);
    if (existing) return existing;
    const role: Role = { id: roleIdFor(name), name, ...(description ? { description } : {}) };
    this.roles.set(role.id, role);
    return role;
  }

  all(): Role[] {
    return [...this.roles.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(id: string): Role | undefined {
    return this.roles.get(id);
  }

  byName(name: string): Role | undefined {
    return [...this.roles.values()].find((r) => r.name === name);
  }

  /** The roles a user holds, by name order. */
  rolesOf(userId: string): Role[] {
    return [...(this.held.get(userId) ?? [])]
      .map((id) => this.roles.get(id))
      .filter((r): r is Role => r !== undefined)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The names of a user's roles (a test's view of the tenant's state). */
  namesOf(userId: string): string[] {
    return this.rolesOf(userId).map((r) => r.name);
  }

  assign(userId: string, roleIds: string[]): void {
    const set = this.held.get(userId) ?? new Set<string>();
    for (const id of roleIds) set.add(id);
    this.held.set(userId, set);
  }

  unassign(userId: string, roleIds: string[]): void {
    const set = this.held.get(userId);
    if (!set) return;
    for (const id of roleIds) set.delete(id);
  }

  /** Test knob: the user holds exactly these roles (by name, each defined if new). */
  setUserRoles(userId: string, names: string[]): void {
    this.held.set(userId, new Set(names.map((n) => this.define(n).id)));
  }

  /** A deleted user holds nothing. */
  forget(userId: string): void {
    this.held.delete(userId);
  }

  /**
   * Seeds the model from the users' `app_metadata.roles`: one role per name found, and each user holding
   * the roles its app_metadata names (so both sources agree until a test sets them apart).
   */
  static mirroring(users: StoredUser[]): RoleStore {
    const store = new RoleStore();
    for (const user of users) {
      const roles = user.app_metadata?.roles;
      if (!Array.isArray(roles)) continue;
      const names = roles.filter((r): r is string => typeof r === 'string');
      store.assign(
        user.user_id,
        names.map((n) => store.define(n).id),
      );
    }
    return store;
  }
}

function page<T>(req: Request, res: Response, items: T[]): void {
  const perPage = req.query.per_page === undefined ? DEFAULT_PER_PAGE : Number(req.query.per_page);
  const pageNumber = Number(req.query.page ?? 0);
  const start = pageNumber * perPage;
  const roles = items.slice(start, start + perPage);
  if (req.query.include_totals === 'true') res.json({ start, limit: perPage, total: items.length, roles });
  else res.json(roles);
}

/**
 * `/roles`, `/roles/{id}` and `/users/{id}/roles` of the Management API v2 (read and assign; roles
 * themselves are managed in the dashboard). Requests were validated against the OpenAPI document and
 * their scopes checked before they get here.
 */
export function rbacApi(roles: RoleStore, users: UserStore): Router {
  const router = Router();
  const knownUser = (id: string, res: Response): boolean => {
    if (!isUserId(id)) {
      sendApiError(res, 400, `Object didn't pass validation for format user-id: ${id}`, 'invalid_uri');
      return false;
    }
    if (users.get(id)) return true;
    sendApiError(res, 404, 'The user does not exist.', 'inexistent_user');
    return false;
  };
  /** Every id names a role of the tenant; otherwise Auth0's 404 and nothing changes. */
  const knownRoles = (ids: string[], res: Response): boolean => {
    if (ids.every((id) => roles.get(id))) return true;
    sendApiError(res, 404, 'One or more of the roles you specified do not exist.', 'inexistent_role');
    return false;
  };

  // name_filter: a case-insensitive match on part of the name.
  router.get('/roles', (req, res) => {
    const filter = typeof req.query.name_filter === 'string' ? req.query.name_filter.toLowerCase() : '';
    page(
      req,
      res,
      roles.all().filter((r) => r.name.toLowerCase().includes(filter)),
    );
  });

  router.get('/roles/:id', (req, res) => {
    const role = roles.get(req.params.id);
    if (!role) return sendApiError(res, 404, 'The role does not exist.', 'inexistent_role');
    res.json(role);
  });

  router.get('/users/:id/roles', (req, res) => {
    if (!knownUser(req.params.id, res)) return;
    page(req, res, roles.rolesOf(req.params.id));
  });

  router.post('/users/:id/roles', (req, res) => {
    if (!knownUser(req.params.id, res)) return;
    const ids = (req.body as { roles: string[] }).roles;
    if (!knownRoles(ids, res)) return;
    roles.assign(req.params.id, ids);
    res.status(204).end();
  });

  router.delete('/users/:id/roles', (req, res) => {
    if (!knownUser(req.params.id, res)) return;
    const ids = (req.body as { roles: string[] }).roles;
    if (!knownRoles(ids, res)) return;
    roles.unassign(req.params.id, ids);
    res.status(204).end();
  });

  // A deleted user holds no role (the users endpoints answer the deletion).
  router.delete('/users/:id', (req, _res, next) => {
    roles.forget(req.params.id);
    next();
  });

  return router;
}
