import type { UserSession } from './api';
import { when } from './dates';
import { DeviceCell, hasDevice } from './device-cell';

/** The user's sessions (Enterprise): device, last used, signed in, applications. */
export function SessionTable({ sessions }: { sessions: UserSession[] }) {
  const withDevice = sessions.some((s) => hasDevice(undefined, s.device));
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">Sessions</caption>
        <thead>
          <tr>
            {withDevice && <th scope="col">Device</th>}
            <th scope="col">Last used</th>
            <th scope="col">Signed in</th>
            <th scope="col">Applications</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              {withDevice && <DeviceCell device={s.device} />}
              <td data-label="Last used">{when(s.last_interacted_at ?? s.updated_at)}</td>
              <td data-label="Signed in">{when(s.authenticated_at ?? s.created_at)}</td>
              <td data-label="Applications" class="identifier">
                {(s.clients ?? []).map((c) => c.client_id ?? '').join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
