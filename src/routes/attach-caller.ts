import type { NextFunction, Request, Response } from 'express';
import type { AuditLog } from '../audit/audit-log';
import type { CallerResolver } from '../auth/resolve-caller';
import type { RoleIds } from '../directory';
import { errors } from '../errors';
import type { ManagementClient } from '../management/management-client';
import type { OperationContext } from '../operations/context';
import { Permissions } from '../policy/permissions';
import type { PolicySource } from '../config/live-policy';

/**
 * Composition, after token verification: resolves the caller's roles and org and stores this
 * request's operation context (permissions under the policy served now, Management API client, audit
 * log) in `res.locals`.
 * A blocked caller gets 403 `caller_blocked` here, on every route behind the gate.
 */
export function attachCaller(deps: {
  callers: CallerResolver;
  policies: PolicySource;
  management: ManagementClient;
  audit: AuditLog;
  roleIds?: RoleIds;
}) {
  const forgetCaller: OperationContext['forgetCaller'] = (sub, outcome) => deps.callers.invalidate(sub, outcome);
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      if (!req.auth) throw errors.credentialsRequired();
      const caller = await deps.callers.resolve({ ...req.auth }, req.scope);
      res.locals.sub = caller.sub;
      if (caller.blocked) throw errors.callerBlocked();
      // The policy served now decides this request to its end, with the caches built for it.
      const { policy, searchAnalyses } = deps.policies.current();
      const context: OperationContext = {
        permissions: new Permissions(policy, caller),
        management: deps.management,
        audit: deps.audit,
        scope: req.scope,
        forgetCaller,
        searchAnalyses,
        roleIds: deps.roleIds,
      };
      res.locals.operationContext = context;
      next();
    } catch (err) {
      next(err);
    }
  };
}
