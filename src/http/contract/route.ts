import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { z } from './zod';
import type { ResponseConfig } from './errors';

/** One route of usergate's HTTP surface: what it takes and every answer it gives. */
export interface RouteContract {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI path, `{id}` for a parameter. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Needs `Authorization: Bearer`; default true. */
  authenticated?: boolean;
  params?: z.AnyZodObject;
  query?: z.AnyZodObject;
  body?: z.ZodTypeAny;
  responses: Record<string, ResponseConfig>;
}

export const BEARER = 'bearer';

export function registerRoute(registry: OpenAPIRegistry, route: RouteContract): void {
  registry.registerPath({
    method: route.method,
    path: route.path,
    operationId: route.operationId,
    summary: route.summary,
    description: route.description,
    tags: [route.tag],
    security: route.authenticated === false ? [] : [{ [BEARER]: [] }],
    request: {
      params: route.params,
      query: route.query,
      body: route.body ? { required: true, content: { 'application/json': { schema: route.body } } } : undefined,
    },
    responses: route.responses as Parameters<OpenAPIRegistry['registerPath']>[0]['responses'],
  });
}
