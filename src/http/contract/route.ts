import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { HttpError } from '../../errors';
import type { z } from './zod';
import type { ResponseConfig } from './errors';

/** The catalogue error a failed check of one named parameter or body field answers (instead of invalid_query / invalid_body). */
export type FieldErrors = Record<string, (message: string) => HttpError>;

/**
 * One route of usergate's HTTP surface: what it takes and every answer it gives. The route table
 * (src/routes/route-table.ts) mounts exactly these paths and methods, validates with exactly these
 * schemas and answers with the one success status listed here; the OpenAPI document is generated from
 * the same objects, so what the document states is what is enforced.
 */
export interface RouteContract {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI path, `{id}` for a parameter. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** The policy action this route performs, when it is one (`x-usergate-action` in the document). */
  action?: string;
  /** Needs `Authorization: Bearer`; default true. */
  authenticated?: boolean;
  params?: z.AnyZodObject;
  query?: z.AnyZodObject;
  body?: z.ZodTypeAny;
  /** No body at all reads as `{}` (the body's fields are all optional); otherwise a JSON body is required. */
  bodyOptional?: boolean;
  /** Parameters or fields whose failed check answers its own catalogue error. */
  fieldErrors?: { params?: FieldErrors; query?: FieldErrors; body?: FieldErrors };
  /** A rule across parameters, run after each one passed (the paging cap of a list). */
  queryRule?: (query: Record<string, unknown>) => HttpError | undefined;
  responses: Record<string, ResponseConfig>;
}

export const BEARER = 'bearer';

/** The one 2xx (or 3xx) status a route answers on success. */
export function successStatus(route: RouteContract): number {
  const statuses = Object.keys(route.responses)
    .map(Number)
    .filter((s) => s >= 200 && s < 400);
  if (statuses.length !== 1) throw new Error(`${route.operationId} must list exactly one success status (lists ${statuses.join(', ')})`);
  return statuses[0]!;
}

export function registerRoute(registry: OpenAPIRegistry, route: RouteContract): void {
  registry.registerPath({
    method: route.method,
    path: route.path,
    operationId: route.operationId,
    summary: route.summary,
    description: route.description,
    tags: [route.tag],
    ...(route.action ? { 'x-usergate-action': route.action } : {}),
    security: route.authenticated === false ? [] : [{ [BEARER]: [] }],
    request: {
      params: route.params,
      query: route.query,
      body: route.body ? { required: !route.bodyOptional, content: { 'application/json': { schema: route.body } } } : undefined,
    },
    responses: route.responses as Parameters<OpenAPIRegistry['registerPath']>[0]['responses'],
  });
}
