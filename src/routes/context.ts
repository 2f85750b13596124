import type { Response } from 'express';
import type { OperationContext } from '../operations/context';

/** The operation context the gate stored for this request (see routes/attach-caller.ts). */
export function contextOf(res: Response): OperationContext {
  return res.locals.operationContext;
}
