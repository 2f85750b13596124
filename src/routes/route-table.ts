import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import { errors, type HttpError } from '../errors';
import { successStatus, type FieldErrors, type RouteContract } from '../http/contract/route';
import { jsonBody } from '../http/json-body';
import { sendJson } from '../http/send-json';

type Infer<S> = S extends z.ZodTypeAny ? z.infer<S> : Record<string, never>;

/** What a route's handler gets: its path parameters, query and body, each already checked against the contract. */
export interface RouteInput<R extends RouteContract> {
  params: Infer<R['params']>;
  query: Infer<R['query']>;
  body: Infer<R['body']>;
}

/** A route's work: the answer's body (sent with the contract's success status), or nothing for a status without one. */
export type RouteHandler<R extends RouteContract> = (input: RouteInput<R>, res: Response) => unknown;

/** One handler per route of a contract group, by the route's key. */
export type Handlers<C extends Record<string, RouteContract>> = { [K in keyof C]: RouteHandler<C[K]> };

/** `/users/{id}` as Express writes it. */
const expressPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');

/** zod's default wording ("Expected boolean, received string") made to name the field. */
function describe(issue: z.ZodIssue): string {
  const where = issue.path.join('.') || 'the body';
  if (issue.code === 'invalid_type' && /^(Expected|Required)/.test(issue.message)) {
    return `${where} must be ${issue.expected === 'object' ? 'a JSON object' : issue.expected === 'array' ? 'an array' : `a ${issue.expected}`}.`;
  }
  if (issue.code === 'unrecognized_keys')
    return `${where === 'the body' ? 'The body' : where} may not contain: ${issue.keys.map((k) => k.slice(0, 64)).join(', ')}.`;
  return /^[a-z_]+ /.test(issue.message) || issue.message.endsWith('.') ? issue.message : `${where}: ${issue.message}`;
}

/** The first problem of a failed check, as the catalogue error its field names (or the default one). */
function refusal(
  error: z.ZodError,
  fieldErrors: FieldErrors | undefined,
  fallback: (message: string) => HttpError,
  message: (issue: z.ZodIssue) => string,
) {
  const issue = error.issues[0]!;
  const special = fieldErrors?.[String(issue.path[0] ?? '')];
  return (special ?? fallback)(message(issue));
}

/**
 * The checks of one route, built once at start: query (no unknown or repeated parameter, each value as
 * the contract says, then the route's rule across them), path parameters, body. They run in that order,
 * before any operation, so an operation never sees input the contract would refuse.
 */
function validator(route: RouteContract) {
  const allowed = route.query ? Object.keys(route.query.shape as object) : [];
  const allowedList = allowed.join(', ') || 'none';
  return (req: Request): RouteInput<RouteContract> => {
    let query: Record<string, unknown> = {};
    // A route without a query schema (the probes) reads no query and judges none.
    if (route.query) {
      const raw = req.query as Record<string, unknown>;
      for (const key in raw) {
        if (!allowed.includes(key)) throw errors.invalidQuery(`unknown query parameter "${key.slice(0, 64)}"; allowed: ${allowedList}`);
        if (typeof raw[key] !== 'string') throw errors.invalidQuery(`query parameter "${key}" must be given once`);
      }
      const parsed = route.query.safeParse(raw);
      if (!parsed.success) throw refusal(parsed.error, route.fieldErrors?.query, errors.invalidQuery, (issue) => issue.message);
      query = parsed.data as Record<string, unknown>;
      const broken = route.queryRule?.(query);
      if (broken) throw broken;
    }
    let params: Record<string, unknown> = {};
    if (route.params) {
      const parsed = route.params.safeParse(req.params);
      if (!parsed.success) throw refusal(parsed.error, route.fieldErrors?.params, errors.invalidPath, (issue) => issue.message);
      params = parsed.data as Record<string, unknown>;
    }
    let body: unknown = {};
    if (route.body) {
      const parsed = route.body.safeParse(req.body);
      if (!parsed.success) throw refusal(parsed.error, route.fieldErrors?.body, errors.invalidBody, describe);
      body = parsed.data;
    }
    return { params, query, body } as RouteInput<RouteContract>;
  };
}

/** A JSON body where one is sent; none at all reads as `{}` (a body whose fields are all optional). */
function optionalJsonBody(): RequestHandler {
  const parse = jsonBody();
  return (req: Request, res: Response, next: NextFunction): void => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
    if (hasBody) return parse(req, res, next);
    req.body = {};
    next();
  };
}

/** One route mounted as its contract says: method, path, body parsing, checks, success status. */
function mount(router: Router, route: RouteContract, handler: RouteHandler<RouteContract>): void {
  const check = validator(route);
  const status = successStatus(route);
  const success = route.responses[String(status)]!;
  const json = success.content?.['application/json'] !== undefined;
  const run = async (req: Request, res: Response): Promise<void> => {
    const answer = await handler(check(req), res);
    if (res.headersSent) return;
    res.statusCode = status;
    if (json) sendJson(res, answer);
    else res.end();
  };
  const path = expressPath(route.path);
  if (route.body) router[route.method](path, route.bodyOptional ? optionalJsonBody() : jsonBody(), run);
  else router[route.method](path, run);
}

/** A contract group with a handler for each of its routes, checked by the compiler, then mounted as one. */
export interface RouteGroup {
  routes: { route: RouteContract; handler: RouteHandler<RouteContract> }[];
}

export function routeGroup<C extends Record<string, RouteContract>>(contract: C, handlers: Handlers<C>): RouteGroup {
  return {
    routes: Object.keys(contract).map((key) => ({ route: contract[key]!, handler: handlers[key] as RouteHandler<RouteContract> })),
  };
}

/**
 * The route table: mounts every route of the given groups with its handler, and answers any other
 * method on a known path with 405 and `Allow` (HEAD comes with GET). Built once at start; a request
 * costs one Express match and the checks of its own route.
 */
export function contractRoutes(...groups: RouteGroup[]): Router {
  const router = Router();
  const methods = new Map<string, string[]>();
  for (const { route, handler } of groups.flatMap((g) => g.routes)) {
    mount(router, route, handler);
    const path = expressPath(route.path);
    methods.set(path, [...(methods.get(path) ?? []), route.method.toUpperCase()]);
  }
  for (const [path, allowed] of methods) router.all(path, (req, _res, next) => next(errors.methodNotAllowed(req.method, allowed)));
  return router;
}
