import { useEffect, useState } from 'preact/hooks';
import type { DeskAction, Permissions, User, UsergateClient } from './api';
import { covers, EDITABLE_FIELDS } from './field-access';
import { ConfirmButton, ErrorNotice, Section } from './widgets';

interface Props {
  api: UsergateClient;
  permissions: Permissions;
  userId: string;
}

/** The support desk's actions (docs/api.md), each offered when the caller's roles allow it. */
const DESK: { action: DeskAction; label: string; question: string; done: string; danger?: boolean }[] = [
  {
    action: 'reset_password',
    label: 'Create password-change ticket',
    question: 'Create a password-change link for this user?',
    done: 'Password-change ticket created.',
  },
  {
    action: 'send_verification',
    label: 'Resend verification email',
    question: 'Send this user a new verification email?',
    done: 'Verification email queued.',
  },
  {
    action: 'unblock',
    label: 'Clear login blocks',
    question: 'Remove the brute-force protection blocks on this user?',
    done: 'Login blocks cleared.',
  },
  {
    action: 'reset_mfa',
    label: 'Reset MFA',
    question: "Delete this user's MFA enrollments? They will have to enroll again.",
    done: 'MFA reset.',
    danger: true,
  },
  {
    action: 'logout',
    label: 'Sign out everywhere',
    question:
      "Revoke all of this user's refresh tokens and end its sessions (where the Auth0 plan allows)? Access tokens already issued stay valid until they expire.",
    done: 'Signed out: refresh tokens revoked (sessions ended where the plan allows).',
    danger: true,
  },
];

function flatten(value: unknown, prefix = ''): [string, string][] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  if (Array.isArray(value) && value.some((v) => v && typeof v === 'object')) {
    return value.flatMap((v, i) => flatten(v, `${prefix}[${i}]`));
  }
  return [[prefix, Array.isArray(value) ? value.join(', ') : String(value)]];
}

export function UserPage({ api, permissions, userId }: Props) {
  const [user, setUser] = useState<User>();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const can = (action: string): boolean => permissions.actions.includes(action);

  useEffect(() => {
    api.getUser(userId).then(setUser, setError);
  }, [api, userId]);

  /** Runs a change, shows usergate's answer (or error) and keeps the page in step with it. */
  const act = async (what: () => Promise<unknown>, done: string, refresh = true): Promise<void> => {
    setError(undefined);
    setNotice(undefined);
    try {
      const answer = await what();
      if (refresh) setUser(answer && typeof answer === 'object' && 'user_id' in answer ? (answer as User) : await api.getUser(userId));
      setNotice(done);
    } catch (err) {
      setError(err);
    }
  };

  const roles = Array.isArray((user?.app_metadata as Record<string, unknown> | undefined)?.roles)
    ? ((user!.app_metadata as Record<string, unknown>).roles as string[])
    : [];
  const canUpdate = can('update');
  const editable = canUpdate ? EDITABLE_FIELDS.filter((f) => covers(permissions.write, f.field)) : [];
  const canBlock = canUpdate && covers(permissions.write, 'blocked');
  const canGrant =
    canUpdate &&
    permissions.grant.length > 0 &&
    covers(permissions.write, 'app_metadata.roles') &&
    covers(permissions.read, 'app_metadata.roles');
  const desk = DESK.filter((d) => can(d.action));

  return (
    <>
      <p>
        <a href="#/">← Back to users</a>
      </p>
      <h1>{user ? String(user.name ?? user.email ?? user.user_id) : userId}</h1>
      <ErrorNotice error={error} />
      {notice && (
        <p class="notice ok" role="status">
          {notice}
        </p>
      )}
      {user && (
        <div class="grid">
          <Section title="Profile" id="profile">
            <dl class="fields">
              {flatten(user).map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          </Section>
          <div>
            {editable.length > 0 && (
              <Section title="Edit" id="edit">
                <EditForm user={user} fields={editable} onSave={(body) => act(() => api.updateUser(userId, body), 'Saved.')} />
              </Section>
            )}
            {canGrant && (
              <Section title="Roles" id="roles">
                <RoleGrants
                  roles={roles}
                  grantable={permissions.grant}
                  onChange={(next, done) => act(() => api.updateUser(userId, { app_metadata: { roles: next } }), done)}
                />
              </Section>
            )}
            {(canBlock || desk.length > 0) && (
              <Section title="Support desk" id="desk">
                <div class="buttons">
                  {canBlock &&
                    (user.blocked === true ? (
                      <ConfirmButton
                        label="Unblock user"
                        question="Let this user sign in again?"
                        onConfirm={() => act(() => api.updateUser(userId, { blocked: false }), 'User unblocked.')}
                      />
                    ) : (
                      <ConfirmButton
                        label="Block user"
                        danger
                        question="Block this user? They will not be able to sign in."
                        onConfirm={() => act(() => api.updateUser(userId, { blocked: true }), 'User blocked.')}
                      />
                    ))}
                  {desk.map((d) => (
                    <ConfirmButton
                      key={d.action}
                      label={d.label}
                      question={d.question}
                      danger={d.danger}
                      onConfirm={() => act(() => api.desk(d.action, userId), d.done, false)}
                    />
                  ))}
                </div>
              </Section>
            )}
            {can('read_logs') && <Logs api={api} userId={userId} />}
          </div>
        </div>
      )}
    </>
  );
}

function EditForm({
  user,
  fields,
  onSave,
}: {
  user: User;
  fields: typeof EDITABLE_FIELDS;
  onSave: (body: Record<string, unknown>) => Promise<void>;
}) {
  const initial = (field: string, kind: string): string | boolean =>
    kind === 'boolean' ? user[field] === true : kind === 'json' ? JSON.stringify(user[field] ?? {}, null, 2) : String(user[field] ?? '');
  const [values, setValues] = useState<Record<string, string | boolean>>(() =>
    Object.fromEntries(fields.map((f) => [f.field, initial(f.field, f.kind)])),
  );
  const [problem, setProblem] = useState<string>();
  const submit = (e: Event): void => {
    e.preventDefault();
    const body: Record<string, unknown> = {};
    for (const f of fields) {
      const value = values[f.field]!;
      if (value === initial(f.field, f.kind)) continue;
      if (f.kind === 'json') {
        try {
          body[f.field] = JSON.parse(String(value));
        } catch {
          return setProblem(`${f.label} is not valid JSON.`);
        }
      } else {
        body[f.field] = value;
      }
    }
    if (Object.keys(body).length === 0) return setProblem('Nothing changed.');
    setProblem(undefined);
    void onSave(body);
  };
  return (
    <form class="edit" onSubmit={submit}>
      {fields.map((f) => (
        <div class="field" key={f.field}>
          {f.kind === 'boolean' ? (
            <label class="check">
              <input
                type="checkbox"
                name={f.field}
                checked={values[f.field] === true}
                onChange={(e) => setValues({ ...values, [f.field]: e.currentTarget.checked })}
              />
              {f.label}
            </label>
          ) : (
            <label>
              {f.label}
              {f.kind === 'json' ? (
                <textarea
                  name={f.field}
                  rows={5}
                  value={String(values[f.field])}
                  onInput={(e) => setValues({ ...values, [f.field]: e.currentTarget.value })}
                />
              ) : f.kind === 'email' ? (
                <input
                  type="email"
                  name={f.field}
                  value={String(values[f.field])}
                  onInput={(e) => setValues({ ...values, [f.field]: e.currentTarget.value })}
                />
              ) : (
                <input
                  type="text"
                  name={f.field}
                  value={String(values[f.field])}
                  onInput={(e) => setValues({ ...values, [f.field]: e.currentTarget.value })}
                />
              )}
            </label>
          )}
        </div>
      ))}
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" class="primary">
        Save changes
      </button>
    </form>
  );
}

function RoleGrants({
  roles,
  grantable,
  onChange,
}: {
  roles: string[];
  grantable: string[];
  onChange: (next: string[], done: string) => Promise<void>;
}) {
  const any = grantable.includes('*');
  const [other, setOther] = useState('');
  const offered = any ? [...new Set(roles)] : [...new Set([...grantable])].sort();
  const mayChange = (role: string): boolean => any || grantable.includes(role);
  return (
    <>
      <p>Current roles: {roles.length ? roles.join(', ') : 'none'}</p>
      {offered.length > 0 && (
        <fieldset>
          <legend>Roles you may grant or revoke</legend>
          {offered.map((role) => (
            <label class="check" key={role}>
              <input
                type="checkbox"
                name="role"
                value={role}
                checked={roles.includes(role)}
                disabled={!mayChange(role)}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  void onChange(
                    on ? [...roles, role] : roles.filter((r) => r !== role),
                    on ? `Role ${role} granted.` : `Role ${role} revoked.`,
                  );
                }}
              />
              {role}
            </label>
          ))}
        </fieldset>
      )}
      {any && (
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            const role = other.trim();
            if (role && !roles.includes(role)) void onChange([...roles, role], `Role ${role} granted.`);
            setOther('');
          }}
        >
          <label>
            Grant another role
            <input name="new-role" value={other} onInput={(e) => setOther(e.currentTarget.value)} />
          </label>
          <button type="submit">Grant</button>
        </form>
      )}
    </>
  );
}

function Logs({ api, userId }: { api: UsergateClient; userId: string }) {
  const [logs, setLogs] = useState<Record<string, unknown>[]>();
  const [error, setError] = useState<unknown>();
  return (
    <Section title="Log events" id="logs">
      <button type="button" onClick={() => api.logs(userId).then(setLogs, setError)}>
        Show recent log events
      </button>
      <ErrorNotice error={error} />
      {logs &&
        (logs.length === 0 ? (
          <p>No log events.</p>
        ) : (
          <ul class="logs">
            {logs.map((l, i) => (
              <li key={i}>
                <code>{JSON.stringify(l)}</code>
              </li>
            ))}
          </ul>
        ))}
    </Section>
  );
}
