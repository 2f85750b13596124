import { Router, type NextFunction, type Request, type Response } from 'express';
import { jsonBody } from '../http/json-body';
import {
  createPasswordTicket,
  liftBlocks,
  readAuthenticationMethods,
  readBlocks,
  readRefreshTokens,
  readSessions,
  readUserLogs,
  resetAuthenticationMethods,
  sendVerificationEmail,
  signOut,
  type Auth0Plan,
  type TicketSettings,
} from '../operations';
import { deskRoutes as contract } from '../http/contract/desk';
import { contextOf } from './context';
import { allowOnly } from './method-not-allowed';
import { queryParams } from './query-params';
import { bodyOf, pathId } from './request-body';

/** A JSON body where one is sent; none at all reads as `{}` (the desk's POSTs have only optional fields). */
function optionalJsonBody() {
  const parse = jsonBody();
  return (req: Request, res: Response, next: NextFunction): void => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
    if (hasBody) return parse(req, res, next);
    req.body = {};
    next();
  };
}

/** The support desk (docs/api.md): thin handlers over one operation per concern, checked against the contract. */
export function deskRoutes(options: { ticket: TicketSettings; plan: Auth0Plan }): Router {
  const router = Router();
  router.post('/users/:id/password-change-ticket', optionalJsonBody(), async (req, res) => {
    const route = contract.passwordChangeTicket;
    queryParams(req, route.query);
    res.status(201).json(await createPasswordTicket(contextOf(res), pathId(req, route.params), bodyOf(req, route.body), options.ticket));
  });
  router.post('/users/:id/verification-email', optionalJsonBody(), async (req, res) => {
    const route = contract.verificationEmail;
    queryParams(req, route.query);
    res.status(201).json(await sendVerificationEmail(contextOf(res), pathId(req, route.params), bodyOf(req, route.body)));
  });
  router.get('/users/:id/blocks', async (req, res) => {
    queryParams(req, contract.getBlocks.query);
    res.json(await readBlocks(contextOf(res), pathId(req, contract.getBlocks.params)));
  });
  router.delete('/users/:id/blocks', async (req, res) => {
    queryParams(req, contract.deleteBlocks.query);
    await liftBlocks(contextOf(res), pathId(req, contract.deleteBlocks.params));
    res.status(204).end();
  });
  router.get('/users/:id/authentication-methods', async (req, res) => {
    queryParams(req, contract.getAuthenticationMethods.query);
    res.json(await readAuthenticationMethods(contextOf(res), pathId(req, contract.getAuthenticationMethods.params)));
  });
  router.delete('/users/:id/authentication-methods', async (req, res) => {
    queryParams(req, contract.deleteAuthenticationMethods.query);
    await resetAuthenticationMethods(contextOf(res), pathId(req, contract.deleteAuthenticationMethods.params));
    res.status(204).end();
  });
  router.get('/users/:id/sessions', async (req, res) => {
    const route = contract.getSessions;
    res.json(await readSessions(contextOf(res), pathId(req, route.params), queryParams(req, route.query), options.plan));
  });
  router.delete('/users/:id/sessions', async (req, res) => {
    queryParams(req, contract.deleteSessions.query);
    res.json(await signOut(contextOf(res), pathId(req, contract.deleteSessions.params), options.plan));
  });
  router.get('/users/:id/refresh-tokens', async (req, res) => {
    queryParams(req, contract.getRefreshTokens.query);
    res.json(await readRefreshTokens(contextOf(res), pathId(req, contract.getRefreshTokens.params), options.plan));
  });
  router.get('/users/:id/logs', async (req, res) => {
    const route = contract.getLogs;
    res.json(await readUserLogs(contextOf(res), pathId(req, route.params), queryParams(req, route.query)));
  });
  allowOnly(router, '/users/:id/password-change-ticket', ['POST']);
  allowOnly(router, '/users/:id/verification-email', ['POST']);
  allowOnly(router, '/users/:id/blocks', ['GET', 'DELETE']);
  allowOnly(router, '/users/:id/authentication-methods', ['GET', 'DELETE']);
  allowOnly(router, '/users/:id/sessions', ['GET', 'DELETE']);
  allowOnly(router, '/users/:id/refresh-tokens', ['GET']);
  allowOnly(router, '/users/:id/logs', ['GET']);
  return router;
}
