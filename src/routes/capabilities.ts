import { Router } from 'express';
import { capabilitiesRoutes as contract } from '../http/contract/capabilities';
import { readCapabilities } from '../operations';
import { contextOf } from './context';
import { allowOnly } from './method-not-allowed';
import { queryParams } from './query-params';
import { pathId } from './request-body';

/** GET /users/:id/capabilities: what the caller may do to one user, before it tries. */
export function capabilitiesRoutes(): Router {
  const router = Router();
  router.get('/users/:id/capabilities', async (req, res) => {
    queryParams(req, contract.read.query);
    res.json(await readCapabilities(contextOf(res), pathId(req, contract.read.params)));
  });
  allowOnly(router, '/users/:id/capabilities', ['GET']);
  return router;
}
