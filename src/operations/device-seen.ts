import type { LogField } from '../policy/fixed-fields';
import { pick } from './desk-target';

/**
 * Where a session or a refresh token was used (Auth0's `device`: IPs, user agents, ASNs) is personal
 * data, cut as log events are: IPs only for roles whose `log_fields` name `ip`, user agents only where
 * they name `user_agent`, ASNs never. `undefined` when nothing of it may be shown.
 */
export function deviceSeen(device: unknown, logFields: readonly LogField[]): Record<string, unknown> | undefined {
  const keys = [
    ...(logFields.includes('ip') ? ['initial_ip', 'last_ip'] : []),
    ...(logFields.includes('user_agent') ? ['initial_user_agent', 'last_user_agent'] : []),
  ];
  if (keys.length === 0) return undefined;
  const seen = pick(device, keys);
  for (const key of keys) if (typeof seen[key] !== 'string') delete seen[key];
  return Object.keys(seen).length > 0 ? seen : undefined;
}
