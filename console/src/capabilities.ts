/**
 * Reading GET /users/:id/capabilities for the user page: which controls to show, and why the others
 * are not there. Pure; no DOM.
 *
 * One pattern for every control: an action allowed on this user is shown and enabled; an action the
 * caller's roles do not have at all (`action_forbidden`) is absent, as on any user; an action the
 * roles have but this user refuses (protected, own account, nothing writable...) is absent from its
 * place and listed once, with its reason, under "Not available for this user".
 */
import type { Capabilities, User, UserAction } from './api';

/** The console's name for each per-user action, as the agent knows the controls. */
export const ACTION_LABELS: Record<Exclude<UserAction, 'read'>, string> = {
  update: 'Edit, block and roles',
  reset_password: 'Password-change link',
  send_verification: 'Verification email',
  unblock: 'Clear login blocks',
  reset_mfa: 'Reset MFA',
  logout: 'Sign out everywhere',
  read_logs: 'Log events',
  delete: 'Delete user',
};

export function allowed(caps: Capabilities | undefined, action: UserAction): boolean {
  return caps?.actions[action]?.allowed === true;
}

/** One reason the page withholds actions, with the actions it covers. */
export interface Refusal {
  /** Short, for the agent at a glance: "protected: holds admin", "not on your own account". */
  reason: string;
  /** usergate's own message for the first action refused so (the others say the same of their action). */
  message: string;
  errorCode: string;
  actions: string[];
}

/**
 * The reason in a few words. `target_protected`: the user holds roles the caller's `grant` does not
 * cover (named when the caller reads the user's roles); `self_forbidden`: the caller's own account.
 */
export function shortReason(errorCode: string, user: User | undefined, grant: readonly string[]): string {
  switch (errorCode) {
    case 'target_protected': {
      const roles = (user?.app_metadata as { roles?: unknown } | undefined)?.roles;
      const held = Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
      const protecting = grant.includes('*') ? held : held.filter((r) => !grant.includes(r));
      return protecting.length > 0 ? `protected: holds ${protecting.join(', ')}` : 'protected';
    }
    case 'self_forbidden':
      return 'not on your own account';
    case 'field_not_writable':
      return 'no field of this user you may change';
    case 'no_password':
      return 'no password at Auth0: signs in through another provider';
    default:
      return errorCode.replace(/_/g, ' ');
  }
}

/** The actions the caller's roles have but this user refuses, grouped by reason (in the labels' order). */
export function refusals(caps: Capabilities, user: User | undefined, grant: readonly string[]): Refusal[] {
  const byReason = new Map<string, Refusal>();
  for (const [action, label] of Object.entries(ACTION_LABELS) as [keyof typeof ACTION_LABELS, string][]) {
    const verdict = caps.actions[action];
    if (!verdict || verdict.allowed || verdict.errorCode === 'action_forbidden') continue;
    const reason = shortReason(verdict.errorCode, user, grant);
    const key = `${verdict.errorCode}\n${reason}`;
    const entry = byReason.get(key) ?? { reason, message: verdict.message, errorCode: verdict.errorCode, actions: [] };
    entry.actions.push(label);
    byReason.set(key, entry);
  }
  return [...byReason.values()];
}
