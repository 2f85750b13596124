import { Router, type Response } from 'express';
import { sendApiError } from './errors';
import { checkpointPage, offsetPage, wantsCheckpoint } from './list-paging';
import type { Organization, OrganizationStore } from './organizations';

/** Auth0's answer for an organization id (or name) the tenant does not have. */
export function noSuchOrganization(res: Response): void {
  sendApiError(res, 404, 'No organization found by that id or name', 'inexistent_organization');
}

function nameTaken(res: Response): void {
  sendApiError(res, 409, 'An organization with this name already exists.', 'conflict');
}

const WRITABLE = ['display_name', 'metadata', 'branding'] as const;

function fieldsOf(body: Record<string, unknown>): Partial<Organization> {
  const fields: Partial<Organization> = {};
  for (const key of WRITABLE) if (body[key] !== undefined) Object.assign(fields, { [key]: body[key] });
  return fields;
}

/**
 * `/organizations`, `/organizations/{id}`, `/organizations/name/{name}` and `/users/{id}/organizations`
 * of the Management API v2. Requests were validated against the OpenAPI document (the name's format
 * included) and their scopes checked before they get here.
 */
export function organizationsApi(orgs: OrganizationStore): Router {
  const router = Router();

  // Offset paging, or checkpoint paging with from/take (by name, the order Auth0 lists them in).
  router.get('/organizations', (req, res) => {
    let all = orgs.all();
    const sort = typeof req.query.sort === 'string' ? req.query.sort : undefined;
    if (sort && !wantsCheckpoint(req)) {
      const [field, direction] = sort.split(':') as [keyof Organization, string];
      const sign = Number(direction);
      all = [...all].sort((a, b) => String(a[field] ?? '').localeCompare(String(b[field] ?? '')) * sign);
    }
    if (wantsCheckpoint(req)) return checkpointPage(req, res, 'organizations', all, (o) => o.name);
    offsetPage(req, res, 'organizations', all);
  });

  router.post('/organizations', (req, res) => {
    const body = req.body as Record<string, unknown>;
    const name = body.name as string;
    if (orgs.byName(name)) return nameTaken(res);
    res.status(201).json(orgs.create(name, fieldsOf(body)));
  });

  router.get('/organizations/name/:name', (req, res) => {
    const org = orgs.byName(req.params.name);
    if (!org) return noSuchOrganization(res);
    res.json(org);
  });

  router.get('/organizations/:id', (req, res) => {
    const org = orgs.get(req.params.id);
    if (!org) return noSuchOrganization(res);
    res.json(org);
  });

  router.patch('/organizations/:id', (req, res) => {
    const org = orgs.get(req.params.id);
    if (!org) return noSuchOrganization(res);
    const body = req.body as Record<string, unknown>;
    const name = typeof body.name === 'string' ? body.name : undefined;
    if (name !== undefined && name !== org.name && orgs.byName(name)) return nameTaken(res);
    res.json(orgs.update(org.id, { ...fieldsOf(body), ...(name !== undefined ? { name } : {}) }));
  });

  // Its members, their member roles and its invitations go with it.
  router.delete('/organizations/:id', (req, res) => {
    if (!orgs.delete(req.params.id)) return noSuchOrganization(res);
    res.status(204).end();
  });

  // Auth0 answers a user it does not know with an empty list (the operation has no 404).
  router.get('/users/:id/organizations', (req, res) => {
    offsetPage(req, res, 'organizations', orgs.organizationsOf(req.params.id));
  });

  // A deleted user is no member of anything (the users endpoints answer the deletion).
  router.delete('/users/:id', (req, _res, next) => {
    orgs.forgetUser(req.params.id);
    next();
  });

  return router;
}
