import { Router } from 'express';
import { errors } from '../errors';
import { usersRoutes as contract } from '../http/contract/users';
import { jsonBody } from '../http/json-body';
import { sendJson } from '../http/send-json';
import { createUser, deleteUser, listUsers, readUser, updateUser, usersByEmail } from '../operations';
import { contextOf } from './context';
import { allowOnly } from './method-not-allowed';
import { queryParams } from './query-params';
import { bodyOf, pathId } from './request-body';

/** The users surface (docs/api.md): thin handlers over the operations, checked against the contract. */
export function usersRoutes(): Router {
  const router = Router();
  router.get('/users', async (req, res) => {
    sendJson(res, await listUsers(contextOf(res), queryParams(req, contract.list.query, { q: errors.invalidSearch })));
  });
  router.get('/users-by-email', async (req, res) => {
    sendJson(res, await usersByEmail(contextOf(res), queryParams(req, contract.byEmail.query)));
  });
  router.get('/users/:id', async (req, res) => {
    sendJson(res, await readUser(contextOf(res), pathId(req, contract.read.params), queryParams(req, contract.read.query)));
  });
  router.post('/users', jsonBody(), async (req, res) => {
    queryParams(req, contract.create.query);
    res
      .status(201)
      .json(
        await createUser(
          contextOf(res),
          bodyOf(req, contract.create.body, { user_id: () => errors.invalidUserId('a user_id given on create is a string') }),
        ),
      );
  });
  router.patch('/users/:id', jsonBody(), async (req, res) => {
    queryParams(req, contract.update.query);
    res.json(await updateUser(contextOf(res), pathId(req, contract.update.params), bodyOf(req, contract.update.body)));
  });
  router.delete('/users/:id', async (req, res) => {
    queryParams(req, contract.delete.query);
    await deleteUser(contextOf(res), pathId(req, contract.delete.params));
    res.status(204).end();
  });
  allowOnly(router, '/users', ['GET', 'POST']);
  allowOnly(router, '/users-by-email', ['GET']);
  allowOnly(router, '/users/:id', ['GET', 'PATCH', 'DELETE']);
  return router;
}
