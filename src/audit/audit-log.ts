import type { Logger } from 'pino';
import type { Caller } from '../policy/caller';

export interface AuditEntry {
  caller: Caller;
  action: string;
  target?: string;
  /** The organization the action works in (the /orgs routes), written as `target_org`. */
  targetOrg?: string;
  /** Names of the fields the request writes; never their values. */
  fields?: string[];
  outcome: 'allowed' | 'denied' | 'failed';
  /** The error code when not allowed. */
  reason?: string;
  /** usergate's own id of the request (never one the caller chose). */
  requestId: string;
  traceId: string;
}

export type AuditLog = (entry: AuditEntry) => void;

/** Most field names (and caller roles) an audit line names; the rest are only counted. */
export const AUDIT_MAX_NAMES = 20;
/** Longest field or role name written, in characters. */
const MAX_NAME = 60;
/** Longest subject or target written, in characters. */
const MAX_ID = 256;

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}…` : text);

/** The first AUDIT_MAX_NAMES names, each clipped, and how many there were when that is more. */
function named(names: string[] | undefined, key: string): Record<string, unknown> {
  if (names === undefined) return {};
  const first = names.slice(0, AUDIT_MAX_NAMES).map((n) => clip(n, MAX_NAME));
  return names.length > AUDIT_MAX_NAMES ? { [key]: first, [`${key}_count`]: names.length } : { [key]: first };
}

/**
 * What one audit line holds: bounded whatever the request sent (a body of 3,000 keys, a long id), so
 * a line stays well under 4 KB: at most AUDIT_MAX_NAMES field names and roles, and a count beyond.
 */
export function auditLine({ caller, fields, target, targetOrg, ...entry }: AuditEntry): Record<string, unknown> {
  return {
    sub: clip(caller.sub, MAX_ID),
    ...named(caller.roles, 'roles'),
    org: caller.org,
    ...entry,
    ...(target === undefined ? {} : { target: clip(target, MAX_ID) }),
    ...(targetOrg === undefined ? {} : { target_org: clip(targetOrg, MAX_ID) }),
    ...named(fields, 'fields'),
  };
}

/** Records every decision on a mutating action as one structured line (a pino child, `audit: true`). */
export function createAuditLog(logger: Logger): AuditLog {
  const audit = logger.child({ audit: true });
  return (entry) => {
    audit.info(auditLine(entry), `audit ${entry.action} ${entry.outcome}`);
    // Written at once, not with the next batch of request lines (http/logger.ts).
    audit.flush();
  };
}
