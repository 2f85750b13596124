import { Router } from 'express';
import { jsonBody } from '../http/json-body';
import { readMe, updateMe } from '../operations';
import { bodyOf, contextOf } from './context';
import { allowOnly } from './method-not-allowed';
import { queryParams } from './query-params';

/** /me: the caller's own profile under the `self` policy, and its effective permissions. */
export function meRoutes(): Router {
  const router = Router();
  router.get('/me', async (req, res) => {
    queryParams(req, []);
    res.json(await readMe(contextOf(res)));
  });
  router.patch('/me', jsonBody(), async (req, res) => {
    queryParams(req, []);
    res.json(await updateMe(contextOf(res), bodyOf(req)));
  });
  router.get('/me/permissions', (req, res) => {
    queryParams(req, []);
    res.json(contextOf(res).permissions.summary());
  });
  allowOnly(router, '/me', ['GET', 'PATCH']);
  allowOnly(router, '/me/permissions', ['GET']);
  return router;
}
