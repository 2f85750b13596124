import type { NextFunction, Request, Response } from 'express';
import type { AuditLog } from '../audit/audit-log';
import { errors } from '../errors';
import type { ManagementClient } from '../management/management-client';
import type { OperationContext } from '../operations/context';
import { Permissions } from '../policy/permissions';
import type { Policy } from '../policy/policy';
import type { CallerResolver } from './resolve-caller';

/**
 * After token verification: resolves the caller's roles and org and stores the operation context. A
 * blocked caller gets 403 `caller_blocked` here, on every route behind the gate.
 */
export function attachCaller(deps: { callers: CallerResolver; policy: Policy; management: ManagementClient; audit: AuditLog }) {
  const forgetCaller = (sub: string) => deps.callers.invalidate(sub);
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const claims = (req as Request & { auth: Record<string, unknown> }).auth;
      const caller = await deps.callers.resolve(claims, req.id);
      req.log?.setBindings({ sub: caller.sub });
      if (caller.blocked) throw errors.callerBlocked();
      const context: OperationContext = {
        permissions: new Permissions(deps.policy, caller),
        management: deps.management,
        audit: deps.audit,
        requestId: req.id,
        forgetCaller,
      };
      res.locals.operation = context;
      next();
    } catch (err) {
      next(err);
    }
  };
}
