import type { Request } from 'express';
import type { z } from 'zod';
import { errors, type HttpError } from '../errors';

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

/**
 * The parsed JSON body (see http/json-body.ts) checked against the route's contract schema: 400
 * invalid_body otherwise, or the error `fieldErrors` names for the root field the problem is in.
 */
export function bodyOf<S extends z.ZodTypeAny>(req: Request, schema: S, fieldErrors: Record<string, () => HttpError> = {}): z.infer<S> {
  const parsed = schema.safeParse(req.body);
  // eslint-disable-next-line @typescript-eslint/no-unsafe-return -- zod types a generic schema's output as any; S's output is what it parsed.
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const special = fieldErrors[String(issue.path[0] ?? '')];
  throw special ? special() : errors.invalidBody(describe(issue));
}

/** The `:id` path parameter, checked against the contract (its full format is checked before any upstream call). */
export function pathId(req: Request, schema: z.AnyZodObject): string {
  const parsed = schema.safeParse(req.params);
  if (!parsed.success) throw errors.invalidUserId();
  return (parsed.data as { id: string }).id;
}
