import { Router, type Request, type Response } from 'express';
import { findConnectionById } from './connections';
import { sendApiError } from './errors';
import { offsetPage } from './list-paging';
import { noSuchOrganization } from './organizations-api';
import { INVITATION_DEFAULT_TTL_S, type Invitation, type OrganizationStore } from './organizations';
import type { RoleStore } from './rbac';
import type { SpaClients } from './spa-clients';

/** Auth0's answer when the application has no login URI to build the invitation URL on. */
const NO_LOGIN_ROUTE =
  'A default login route is required to generate the invitation url. For more information, see https://auth0.com/docs/universal-login/configure-default-login-routes';

function noSuchInvitation(res: Response): void {
  sendApiError(res, 404, 'The invitation does not exist.', 'inexistent_invitation');
}

/** `fields`/`include_fields` on an invitation (the OpenAPI document checked the names). */
function project(invitation: Invitation, req: Request): Record<string, unknown> {
  const named = typeof req.query.fields === 'string' ? req.query.fields.split(',') : [];
  if (named.length === 0) return { ...invitation };
  const include = req.query.include_fields !== 'false';
  return Object.fromEntries(Object.entries(invitation).filter(([k]) => named.includes(k) === include));
}

/**
 * `/organizations/{id}/invitations[/{invitation_id}]` of the Management API v2. No email is sent: the
 * invitation URL is the application's login URI with the ticket, the organization's id and its name.
 * Requests were validated against the OpenAPI document and their scopes checked before they get here.
 */
export function organizationInvitationsApi(orgs: OrganizationStore, roles: RoleStore, clients: SpaClients, now: () => number): Router {
  const router = Router();

  router.get('/organizations/:id/invitations', (req, res) => {
    const org = orgs.get(req.params.id);
    if (!org) return noSuchOrganization(res);
    let list = orgs.invitations(org.id);
    if (req.query.sort === 'created_at:-1') list = [...list].reverse();
    // With include_totals Auth0 answers {invitations, start, limit}: no total.
    offsetPage(
      req,
      res,
      'invitations',
      list.map((i) => project(i, req)),
      false,
    );
  });

  router.post('/organizations/:id/invitations', (req, res) => {
    const org = orgs.get(req.params.id);
    if (!org) return noSuchOrganization(res);
    const body = req.body as {
      inviter: { name: string };
      invitee: { email: string };
      client_id: string;
      connection_id?: string;
      ttl_sec?: number;
      roles?: string[];
      app_metadata?: Record<string, unknown>;
      user_metadata?: Record<string, unknown>;
    };
    const client = clients.find(body.client_id);
    if (!client) return sendApiError(res, 400, `Invalid client_id: ${body.client_id}`, 'invalid_body');
    if (!client.initiateLoginUri) return sendApiError(res, 400, NO_LOGIN_ROUTE, 'invalid_body');
    if (body.connection_id !== undefined && !findConnectionById(body.connection_id)) {
      return sendApiError(res, 400, 'The connection does not exist.', 'inexistent_connection');
    }
    if (body.roles && !body.roles.every((id) => roles.get(id))) {
      return sendApiError(res, 404, 'One or more of the roles you specified do not exist.', 'inexistent_role');
    }
    const ttl = body.ttl_sec || INVITATION_DEFAULT_TTL_S;
    const created = now();
    const invitation = orgs.addInvitation(
      {
        organization_id: org.id,
        inviter: { name: body.inviter.name },
        invitee: { email: body.invitee.email },
        created_at: new Date(created).toISOString(),
        expires_at: new Date(created + ttl * 1000).toISOString(),
        client_id: client.clientId,
        ...(body.connection_id !== undefined ? { connection_id: body.connection_id } : {}),
        ...(body.roles ? { roles: [...body.roles] } : {}),
        ...(body.app_metadata ? { app_metadata: body.app_metadata } : {}),
        ...(body.user_metadata ? { user_metadata: body.user_metadata } : {}),
      },
      client.initiateLoginUri,
    );
    res.status(201).json(invitation);
  });

  router.get('/organizations/:id/invitations/:invitationId', (req, res) => {
    const org = orgs.get(req.params.id);
    if (!org) return noSuchOrganization(res);
    const invitation = orgs.invitation(org.id, req.params.invitationId);
    if (!invitation) return noSuchInvitation(res);
    res.json(project(invitation, req));
  });

  router.delete('/organizations/:id/invitations/:invitationId', (req, res) => {
    const org = orgs.get(req.params.id);
    if (!org) return noSuchOrganization(res);
    if (!orgs.deleteInvitation(org.id, req.params.invitationId)) return noSuchInvitation(res);
    res.status(204).end();
  });

  return router;
}
