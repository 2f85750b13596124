import { Router, type Request, type Response } from 'express';
import { sendApiError } from './errors';
import { checkpointPage, offsetPage, wantsCheckpoint } from './list-paging';
import { noSuchOrganization } from './organizations-api';
import type { Organization, OrganizationStore } from './organizations';
import type { RoleStore } from './rbac';
import { isUserId } from './user-id-format';
import type { UserStore } from './user-store';

/** A member's fields when `fields` names none; `roles` only when asked for (and the scope allows it). */
const DEFAULT_FIELDS = ['user_id', 'email', 'picture', 'name'];

function requestedFields(req: Request): string[] {
  const named = typeof req.query.fields === 'string' ? req.query.fields.split(',') : [];
  if (named.length === 0) return DEFAULT_FIELDS;
  return req.query.include_fields === 'false' ? DEFAULT_FIELDS.filter((f) => !named.includes(f)) : named;
}

/**
 * `/organizations/{id}/members` and `/organizations/{id}/members/{user_id}/roles` of the Management
 * API v2. A member's roles here are its member roles in that organization, apart from its tenant roles.
 * Requests were validated against the OpenAPI document and their scopes checked before they get here.
 */
export function organizationMembersApi(orgs: OrganizationStore, roles: RoleStore, users: UserStore): Router {
  const router = Router();
  const orgOf = (req: Request, res: Response): Organization | undefined => {
    const org = orgs.get(String(req.params.id));
    if (!org) noSuchOrganization(res);
    return org;
  };
  /** The path's user is a well-formed id and a member of the organization; otherwise Auth0's 400. */
  const memberOf = (org: Organization, req: Request, res: Response): string | undefined => {
    const userId = String(req.params.userId);
    if (!isUserId(userId)) {
      sendApiError(res, 400, `Object didn't pass validation for format user-id: ${userId}`, 'invalid_uri');
      return undefined;
    }
    if (orgs.isMember(org.id, userId)) return userId;
    sendApiError(res, 400, 'User is not a member of the organization.', 'invalid_uri');
    return undefined;
  };
  const roleIdsOf = (req: Request, res: Response): string[] | undefined => {
    const ids = (req.body as { roles: string[] }).roles;
    if (ids.every((id) => roles.get(id))) return ids;
    sendApiError(res, 404, 'One or more of the roles you specified do not exist.', 'inexistent_role');
    return undefined;
  };

  router.get('/organizations/:id/members', (req, res) => {
    const org = orgOf(req, res);
    if (!org) return;
    const fields = requestedFields(req);
    const granted = (res.locals.scopes as string[] | undefined) ?? [];
    if (fields.includes('roles') && !granted.includes('read:organization_member_roles')) {
      return sendApiError(res, 403, 'Insufficient scope, expected any of: read:organization_member_roles', 'insufficient_scope');
    }
    // Each member as its profile is now: a later change of name or picture shows at once.
    const view = (userId: string): Record<string, unknown> => {
      const user = users.get(userId);
      const full: Record<string, unknown> = {
        user_id: userId,
        email: user?.email,
        picture: user?.picture,
        name: user?.name,
        roles: orgs.memberRolesOf(org.id, userId).map((r) => ({ id: r.id, name: r.name })),
      };
      return Object.fromEntries(fields.filter((f) => full[f] !== undefined).map((f) => [f, full[f]]));
    };
    const ids = orgs.memberIds(org.id);
    if (wantsCheckpoint(req)) return checkpointPage(req, res, 'members', ids, (id) => id, view);
    offsetPage(req, res, 'members', ids.map(view));
  });

  // Every user must exist; nothing changes otherwise. Adding a member twice is no error.
  router.post('/organizations/:id/members', (req, res) => {
    const org = orgOf(req, res);
    if (!org) return;
    const ids = (req.body as { members: string[] }).members;
    if (!ids.every((id) => users.get(id))) return sendApiError(res, 400, 'One or more users do not exist.', 'invalid_body');
    orgs.addMembers(org.id, ids);
    res.status(204).end();
  });

  // Removing a user who is no member is no error; a removed member's member roles go too.
  router.delete('/organizations/:id/members', (req, res) => {
    const org = orgOf(req, res);
    if (!org) return;
    orgs.removeMembers(org.id, (req.body as { members: string[] }).members);
    res.status(204).end();
  });

  router.get('/organizations/:id/members/:userId/roles', (req, res) => {
    const org = orgOf(req, res);
    const userId = org && memberOf(org, req, res);
    if (!org || !userId) return;
    offsetPage(req, res, 'roles', orgs.memberRolesOf(org.id, userId));
  });

  router.post('/organizations/:id/members/:userId/roles', (req, res) => {
    const org = orgOf(req, res);
    const userId = org && memberOf(org, req, res);
    const ids = userId && roleIdsOf(req, res);
    if (!org || !userId || !ids) return;
    orgs.assignMemberRoles(org.id, userId, ids);
    res.status(204).end();
  });

  router.delete('/organizations/:id/members/:userId/roles', (req, res) => {
    const org = orgOf(req, res);
    const userId = org && memberOf(org, req, res);
    const ids = userId && roleIdsOf(req, res);
    if (!org || !userId || !ids) return;
    orgs.unassignMemberRoles(org.id, userId, ids);
    res.status(204).end();
  });

  return router;
}
