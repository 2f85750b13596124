import { Router } from 'express';
import { jsonBody } from '../http/json-body';
import { sendJson } from '../http/send-json';
import { createUser, deleteUser, listUsers, readUser, updateUser, usersByEmail } from '../operations';
import { bodyOf, contextOf } from './context';
import { allowOnly } from './method-not-allowed';
import { queryParams } from './query-params';

const LIST_PARAMS = ['q', 'page', 'per_page', 'sort', 'include_totals', 'fields', 'include_fields'] as const;
const FIELD_PARAMS = ['fields', 'include_fields'] as const;

/** The users surface of DESIGN.md: thin handlers over the operations. */
export function usersRoutes(): Router {
  const router = Router();
  router.get('/users', async (req, res) => {
    sendJson(res, await listUsers(contextOf(res), queryParams(req, LIST_PARAMS)));
  });
  router.get('/users-by-email', async (req, res) => {
    sendJson(res, await usersByEmail(contextOf(res), queryParams(req, ['email', ...FIELD_PARAMS])));
  });
  router.get('/users/:id', async (req, res) => {
    sendJson(res, await readUser(contextOf(res), req.params.id, queryParams(req, FIELD_PARAMS)));
  });
  router.post('/users', jsonBody(), async (req, res) => {
    queryParams(req, []);
    res.status(201).json(await createUser(contextOf(res), bodyOf(req)));
  });
  router.patch('/users/:id', jsonBody(), async (req, res) => {
    queryParams(req, []);
    res.json(await updateUser(contextOf(res), String(req.params.id), bodyOf(req)));
  });
  router.delete('/users/:id', async (req, res) => {
    queryParams(req, []);
    await deleteUser(contextOf(res), req.params.id);
    res.status(204).end();
  });
  allowOnly(router, '/users', ['GET', 'POST']);
  allowOnly(router, '/users-by-email', ['GET']);
  allowOnly(router, '/users/:id', ['GET', 'PATCH', 'DELETE']);
  return router;
}
