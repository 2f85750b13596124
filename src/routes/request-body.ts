import type { Request } from 'express';
import type { z } from 'zod';
import { errors } from '../errors';

/** zod's default wording ("Expected boolean, received string") made to name the field. */
function describe(issue: z.ZodIssue): string {
  const where = issue.path.join('.') || 'the body';
  if (issue.code === 'invalid_type' && /^(Expected|Required)/.test(issue.message)) {
    return `${where} must be ${issue.expected === 'object' ? 'a JSON object' : issue.expected === 'array' ? 'an array' : `a ${issue.expected}`}.`;
  }
  if (issue.code === 'unrecognized_keys') return `${where === 'the body' ? 'The body' : where} may not contain: ${issue.keys.map((k) => k.slice(0, 64)).join(', ')}.`;
  return /^[a-z_]+ /.test(issue.message) || issue.message.endsWith('.') ? issue.message : `${where}: ${issue.message}`;
}

/** The parsed JSON body (see http/json-body.ts) checked against the route's contract schema: 400 invalid_body otherwise. */
export function bodyOf<S extends z.ZodTypeAny>(req: Request, schema: S): z.infer<S> {
  const parsed = schema.safeParse(req.body);
  if (parsed.success) return parsed.data as z.infer<S>;
  throw errors.invalidBody(describe(parsed.error.issues[0]!));
}

/** The `:id` path parameter, checked against the contract (its full format is checked before any upstream call). */
export function pathId(req: Request, schema: z.AnyZodObject): string {
  const parsed = schema.safeParse(req.params);
  if (!parsed.success) throw errors.invalidUserId();
  return (parsed.data as { id: string }).id;
}
