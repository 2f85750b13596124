import type { Request } from 'express';
import type { z } from 'zod';
import { errors, type HttpError } from '../errors';

/** How a failed check of one parameter is answered; `invalid_query` unless a parameter says otherwise. */
export type ParamErrors = Record<string, (message: string) => HttpError>;

/**
 * The query string checked against the route's contract schema (src/http/contract/): an unknown or
 * repeated parameter is a 400, never a surprise; each value is checked with the schema's message.
 */
export function queryParams<S extends z.AnyZodObject>(req: Request, schema: S, paramErrors: ParamErrors = {}): z.infer<S> {
  const allowed = Object.keys(schema.shape as object);
  for (const [key, value] of Object.entries(req.query as Record<string, unknown>)) {
    if (!allowed.includes(key)) {
      throw errors.invalidQuery(`unknown query parameter "${key.slice(0, 64)}"; allowed: ${allowed.join(', ')}`);
    }
    if (typeof value !== 'string') throw errors.invalidQuery(`query parameter "${key}" must be given once`);
  }
  const parsed = schema.safeParse(req.query);
  if (parsed.success) return parsed.data as z.infer<S>;
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0] ?? '');
  throw (paramErrors[name] ?? errors.invalidQuery)(issue.message);
}
