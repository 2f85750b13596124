import type { Request, Response } from 'express';
import type { OperationContext } from '../operations/context';

/** The operation context the gate stored for this request (see routes/attach-caller.ts). */
export function contextOf(res: Response): OperationContext {
  return res.locals.operationContext;
}

/** The parsed JSON body; http/json-body.ts has made sure it is an object. */
export function bodyOf(req: Request): Record<string, unknown> {
  return req.body as Record<string, unknown>;
}
