import type { Logger } from 'pino';
import type { Caller } from '../policy/caller';

export interface AuditEntry {
  caller: Caller;
  action: string;
  target?: string;
  /** Names of the fields the request writes; never their values. */
  fields?: string[];
  outcome: 'allowed' | 'denied' | 'failed';
  /** The error code when not allowed. */
  reason?: string;
  requestId: string;
  traceId: string;
}

export type AuditLog = (entry: AuditEntry) => void;

/** Records every decision on a mutating action as one structured line (a pino child, `audit: true`). */
export function createAuditLog(logger: Logger): AuditLog {
  const audit = logger.child({ audit: true });
  return ({ caller, ...entry }) => {
    audit.info({ sub: caller.sub, roles: caller.roles, org: caller.org, ...entry }, `audit ${entry.action} ${entry.outcome}`);
    // Written at once, not with the next batch of request lines (http/logger.ts).
    audit.flush();
  };
}
