import type { UserSession } from './api';
import { describeUserAgent } from './user-agent';

/** Where a session or refresh token was last used, as usergate sends it (only to roles whose `log_fields` name `ip` / `user_agent`). */
export type DeviceSeen = NonNullable<UserSession['device']>;

/** Whether there is anything to show of a device: a device credential's name, or a user agent or IP. */
export function hasDevice(name: string | undefined, device: DeviceSeen | undefined): boolean {
  return !!(name ?? device?.last_user_agent ?? device?.last_ip);
}

/**
 * The Device cell: a device credential's own name, or the last user agent read at a glance ("Firefox
 * 132 on Linux", the whole string as the cell's title) with the last IP under it.
 */
export function DeviceCell({ name, device }: { name?: string; device?: DeviceSeen }) {
  const agent = device?.last_user_agent;
  return (
    <td data-label="Device" title={name ? undefined : agent}>
      {name ?? (agent ? describeUserAgent(agent) : '')}
      {device?.last_ip && <small class="more">{device.last_ip}</small>}
    </td>
  );
}
