import type { RefreshToken } from './api';
import { when } from './dates';
import { DeviceCell, hasDevice } from './device-cell';

/** The refresh tokens sign-out would revoke: device, application, last used, created, type (columns only where some token has them). */
export function RefreshTokenTable({ tokens }: { tokens: RefreshToken[] }) {
  const withDevice = tokens.some((t) => hasDevice(t.device_name, t.device));
  const withLastUse = tokens.some((t) => t.last_exchanged_at);
  const withCreated = tokens.some((t) => t.created_at);
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">Refresh tokens</caption>
        <thead>
          <tr>
            {withDevice && <th scope="col">Device</th>}
            <th scope="col">Application</th>
            {withLastUse && <th scope="col">Last used</th>}
            {withCreated && <th scope="col">Created</th>}
            <th scope="col">Type</th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id}>
              {withDevice && <DeviceCell name={t.device_name} device={t.device} />}
              <td data-label="Application" class="identifier">
                {t.client_id ?? ''}
              </td>
              {withLastUse && <td data-label="Last used">{when(t.last_exchanged_at)}</td>}
              {withCreated && <td data-label="Created">{when(t.created_at)}</td>}
              <td data-label="Type">{t.type === 'rotating_refresh_token' ? 'rotating' : 'non-rotating'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
