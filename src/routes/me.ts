import { Router } from 'express';
import { meRoutes as contract } from '../http/contract/me';
import { jsonBody } from '../http/json-body';
import { readMe, updateMe } from '../operations';
import { contextOf } from './context';
import { allowOnly } from './method-not-allowed';
import { queryParams } from './query-params';
import { bodyOf } from './request-body';

/** /me: the caller's own profile under the `self` policy, and its effective permissions. */
export function meRoutes(): Router {
  const router = Router();
  router.get('/me', async (req, res) => {
    queryParams(req, contract.read.query);
    res.json(await readMe(contextOf(res)));
  });
  router.patch('/me', jsonBody(), async (req, res) => {
    queryParams(req, contract.update.query);
    res.json(await updateMe(contextOf(res), bodyOf(req, contract.update.body)));
  });
  router.get('/me/permissions', (req, res) => {
    queryParams(req, contract.permissions.query);
    res.json(contextOf(res).permissions.summary());
  });
  allowOnly(router, '/me', ['GET', 'PATCH']);
  allowOnly(router, '/me/permissions', ['GET']);
  return router;
}
