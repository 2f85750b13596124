import { ACTIONS, type Action } from '../policy/fixed-fields';
import type { CaseDecision, DecidingRule, DescribedCase } from './decision-adapter';
import { UsageError } from './policy-source';

/** The explain command's options, as parseArgs gives them. */
export interface ExplainOptions {
  'caller-roles'?: string;
  /** Roles held as organization member roles in --caller-org (each acts only there). */
  'caller-member-roles'?: string;
  'caller-org'?: string;
  'caller-sub'?: string;
  'caller-blocked'?: boolean;
  'target-roles'?: string;
  'target-org'?: string;
  'target-connection'?: string;
  'target-sub'?: string;
  'target-self'?: boolean;
  action?: string;
  body?: string;
  q?: string;
}

const MAX_BODY = 100_000;

/** `a,b` as a list of names; empty means none. */
function names(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
}

export function parseAction(value: string | undefined): Action {
  if (value === undefined) throw new UsageError('--action is required');
  if (!(ACTIONS as readonly string[]).includes(value))
    throw new UsageError(`--action "${value.slice(0, 64)}" is not an action (${ACTIONS.join(', ')})`);
  return value as Action;
}

function parseBody(value: string | undefined): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (value.length > MAX_BODY) throw new UsageError(`--body is longer than ${MAX_BODY} characters`);
  let body: unknown;
  try {
    body = JSON.parse(value);
  } catch (err) {
    throw new UsageError(`--body is not JSON (${(err as Error).message})`);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new UsageError('--body must be a JSON object');
  return body as Record<string, unknown>;
}

/** The subject explain gives a caller that acts on itself (--target-self) without naming its sub. */
const SELF = 'auth0|policy-cli-self';

/** The case that explain's options describe. */
export function caseFromOptions(o: ExplainOptions): DescribedCase {
  const roles = names(o['caller-roles']);
  if (roles === undefined) throw new UsageError('--caller-roles is required (a,b; empty for none)');
  const self = o['target-self'] === true;
  const action = parseAction(o.action);
  const body = parseBody(o.body);
  if ((action === 'create' || action === 'update') && body === undefined) throw new UsageError(`--body is required for ${action}`);
  if (action !== 'create' && action !== 'update' && action !== 'invite' && body !== undefined)
    throw new UsageError(`--body is not used by ${action}`);
  if (action !== 'list' && o.q !== undefined) throw new UsageError('--q is used by list only');
  const callerSub = o['caller-sub'] ?? (self ? SELF : undefined);
  return {
    caller: {
      roles,
      member_roles: names(o['caller-member-roles']),
      org: o['caller-org'],
      sub: callerSub,
      blocked: o['caller-blocked'] === true ? true : undefined,
    },
    target: {
      roles: names(o['target-roles']),
      org: o['target-org'],
      connection: o['target-connection'],
      sub: self ? callerSub : o['target-sub'],
    },
    action,
    body,
    query: o.q === undefined ? undefined : { q: o.q },
  };
}

export function ruleText(rule: DecidingRule | undefined): string {
  if (!rule) return 'rule: none';
  const value = Array.isArray(rule.value) ? `[${rule.value.join(', ')}]` : String(rule.value);
  if (rule.role === '-') return `rule: ${rule.key === 'built-in' ? 'built into usergate' : rule.key}: ${value}`;
  return `rule: ${rule.role === 'self' ? 'self' : `role ${rule.role}`}, ${rule.key}: ${value}`;
}

/** The verdict line: `allow`, or `deny <errorCode>`. */
export function verdictLine(decision: CaseDecision): string {
  return decision.allowed ? 'allow' : `deny ${decision.errorCode}`;
}

/** explain's answer: the verdict on the first line, then the rule, the message, and what would go upstream. */
export function explainText(decision: CaseDecision): string {
  const lines = [verdictLine(decision), ruleText(decision.rule)];
  if (decision.message) lines.push(`message: ${decision.message}`);
  if (decision.upstreamQuery !== undefined) lines.push(`upstream q: ${decision.upstreamQuery}`);
  return lines.join('\n');
}

/** explain's answer for tools (--json). */
export function explainJson(decision: CaseDecision): string {
  return JSON.stringify({ decision: decision.allowed ? 'allow' : 'deny', ...decision });
}
