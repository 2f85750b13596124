import type { NextFunction, Request, Response } from 'express';
import type { AuditLog } from '../audit/audit-log';
import type { ManagementClient } from '../management/management-client';
import type { OperationContext } from '../operations/context';
import { Permissions } from '../policy/permissions';
import type { Policy } from '../policy/policy';
import type { CallerResolver } from './resolve-caller';

/** After token verification: resolves the caller's roles and org and stores the operation context. */
export function attachCaller(deps: { resolveCaller: CallerResolver; policy: Policy; management: ManagementClient; audit: AuditLog }) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const claims = (req as Request & { auth: Record<string, unknown> }).auth;
      const caller = await deps.resolveCaller.resolve(claims, req.id);
      const context: OperationContext = {
        permissions: new Permissions(deps.policy, caller),
        management: deps.management,
        audit: deps.audit,
        requestId: req.id,
        invalidateCaller: (sub) => deps.resolveCaller.invalidate(sub),
      };
      res.locals.operation = context;
      req.log?.setBindings({ sub: caller.sub });
      next();
    } catch (err) {
      next(err);
    }
  };
}
