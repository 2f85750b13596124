import { Router, type NextFunction, type Request, type Response } from 'express';
import { jsonBody } from '../http/json-body';
import {
  createPasswordTicket,
  liftBlocks,
  readAuthenticationMethods,
  readBlocks,
  readSessions,
  readUserLogs,
  resetAuthenticationMethods,
  revokeSessions,
  sendVerificationEmail,
} from '../operations';
import { bodyOf, contextOf } from './context';
import { allowOnly } from './method-not-allowed';
import { queryParams } from './query-params';

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

/** The support desk of DESIGN.md: thin handlers over one operation per concern. */
export function deskRoutes(options: { ticketResultUrls: readonly string[] }): Router {
  const router = Router();
  router.post('/users/:id/password-change-ticket', optionalJsonBody(), async (req, res) => {
    queryParams(req, []);
    res.status(201).json(await createPasswordTicket(contextOf(res), String(req.params.id), bodyOf(req), options.ticketResultUrls));
  });
  router.post('/users/:id/verification-email', optionalJsonBody(), async (req, res) => {
    queryParams(req, []);
    res.status(201).json(await sendVerificationEmail(contextOf(res), String(req.params.id), bodyOf(req)));
  });
  router.get('/users/:id/blocks', async (req, res) => {
    queryParams(req, []);
    res.json(await readBlocks(contextOf(res), String(req.params.id)));
  });
  router.delete('/users/:id/blocks', async (req, res) => {
    queryParams(req, []);
    await liftBlocks(contextOf(res), String(req.params.id));
    res.status(204).end();
  });
  router.get('/users/:id/authentication-methods', async (req, res) => {
    queryParams(req, []);
    res.json(await readAuthenticationMethods(contextOf(res), String(req.params.id)));
  });
  router.delete('/users/:id/authentication-methods', async (req, res) => {
    queryParams(req, []);
    await resetAuthenticationMethods(contextOf(res), String(req.params.id));
    res.status(204).end();
  });
  router.get('/users/:id/sessions', async (req, res) => {
    res.json(await readSessions(contextOf(res), String(req.params.id), queryParams(req, ['from', 'take'])));
  });
  router.delete('/users/:id/sessions', async (req, res) => {
    queryParams(req, []);
    await revokeSessions(contextOf(res), String(req.params.id));
    res.status(202).end();
  });
  router.get('/users/:id/logs', async (req, res) => {
    res.json(await readUserLogs(contextOf(res), String(req.params.id), queryParams(req, ['page', 'per_page', 'sort', 'include_totals'])));
  });
  allowOnly(router, '/users/:id/password-change-ticket', ['POST']);
  allowOnly(router, '/users/:id/verification-email', ['POST']);
  allowOnly(router, '/users/:id/blocks', ['GET', 'DELETE']);
  allowOnly(router, '/users/:id/authentication-methods', ['GET', 'DELETE']);
  allowOnly(router, '/users/:id/sessions', ['GET', 'DELETE']);
  allowOnly(router, '/users/:id/logs', ['GET']);
  return router;
}
