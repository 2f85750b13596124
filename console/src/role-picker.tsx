import { useState } from 'preact/hooks';
import { ConfirmButton } from './widgets';

/**
 * The user's roles, each revocable when grantable, and a picker of the grantable roles it does not
 * hold. `grantable` is the `grantable_roles` of GET /users/:id/capabilities: the roles usergate lets
 * this caller add to or remove from this user (with `grant: ["*"]`, every role of the policy). Never
 * free text: a role the policy does not define cannot be typed.
 */
export function RolePicker({
  roles,
  grantable,
  who,
  onChange,
}: {
  roles: string[];
  grantable: readonly string[];
  who: string;
  onChange: (next: string[], done: string) => Promise<void>;
}) {
  const mayChange = (role: string): boolean => grantable.includes(role);
  const offered = grantable.filter((r) => !roles.includes(r));
  const [choice, setChoice] = useState('');
  const picked = offered.includes(choice) ? choice : (offered[0] ?? '');
  return (
    <>
      {roles.length === 0 ? (
        <p>No role.</p>
      ) : (
        <ul class="roles-list" aria-label="Current roles">
          {roles.map((role) => (
            <li key={role}>
              <span class="role">{role}</span>
              {mayChange(role) && (
                <ConfirmButton
                  label={`Revoke ${role}`}
                  question={`Take the role ${role} from ${who}?`}
                  danger
                  onConfirm={() =>
                    onChange(
                      roles.filter((r) => r !== role),
                      `Role ${role} revoked.`,
                    )
                  }
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {offered.length > 0 ? (
        <div class="row">
          <label>
            Role to grant
            <select name="grant-role" value={picked} onChange={(e) => setChoice(e.currentTarget.value)}>
              {offered.map((role) => (
                <option key={role} value={role}>
                  {role}
                </option>
              ))}
            </select>
          </label>
          <ConfirmButton
            label="Grant role"
            question={`Give ${who} the role ${picked}?`}
            onConfirm={() => onChange([...roles, picked], `Role ${picked} granted.`)}
          />
        </div>
      ) : (
        <p class="hint">No other role you may grant.</p>
      )}
    </>
  );
}
