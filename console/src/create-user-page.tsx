import { useState } from 'preact/hooks';
import type { CreateUserBody, Permissions, User, UsergateClient } from './api';
import { covers } from './field-access';
import { ConfirmButton, useOutcome } from './widgets';

/** The fields the form offers, each when the caller may write it. */
const FIELDS: {
  field: 'email' | 'password' | 'name' | 'nickname';
  label: string;
  type: 'email' | 'text' | 'password';
  autocomplete: string;
}[] = [
  { field: 'email', label: 'Email', type: 'email', autocomplete: 'off' },
  { field: 'name', label: 'Name', type: 'text', autocomplete: 'off' },
  { field: 'nickname', label: 'Nickname', type: 'text', autocomplete: 'off' },
  { field: 'password', label: 'Initial password', type: 'password', autocomplete: 'new-password' },
];

/**
 * Creating a user, for callers whose roles have `create`: in one of the role's connections (a list;
 * with `*`, any connection by name), with the fields the caller may write, after a confirmation that
 * names the new user.
 */
export function CreateUserPage({ api, permissions }: { api: UsergateClient; permissions: Permissions }) {
  const anyConnection = permissions.connections.includes('*');
  const connections = permissions.connections.filter((c) => c !== '*');
  const fields = FIELDS.filter((f) => covers(permissions.write, f.field));
  const [connection, setConnection] = useState(connections[0] ?? '');
  const [values, setValues] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<User>();
  const [problem, setProblem] = useState<string>();
  const { run, view } = useOutcome();

  if (!permissions.actions.includes('create')) return <p class="notice">Your roles do not allow creating users.</p>;
  const who = values.name?.trim() || values.email?.trim() || 'the new user';
  const body = (): CreateUserBody => {
    const out: CreateUserBody = { connection: connection.trim() };
    for (const f of fields) if (values[f.field]?.trim()) out[f.field] = f.field === 'password' ? values[f.field]! : values[f.field]!.trim();
    return out;
  };
  const check = (): boolean => {
    if (!connection.trim()) return failed('Choose a connection.');
    if (covers(permissions.write, 'email') && !values.email?.trim()) return failed('Give an email address.');
    setProblem(undefined);
    return true;
  };
  const failed = (text: string): false => {
    setProblem(text);
    return false;
  };

  return (
    <>
      <p>
        <a href="#/">← Back to users</a>
      </p>
      <h1>New user</h1>
      <form class="card edit narrow" onSubmit={(e) => e.preventDefault()}>
        {anyConnection ? (
          <div class="field">
            <label>
              Connection <span class="hint">(a database connection of the tenant)</span>
              <input
                type="text"
                name="connection"
                required
                value={connection}
                placeholder="Username-Password-Authentication"
                onInput={(e) => setConnection(e.currentTarget.value)}
              />
            </label>
          </div>
        ) : (
          <div class="field">
            <label>
              Connection
              <select name="connection" value={connection} onChange={(e) => setConnection(e.currentTarget.value)}>
                {connections.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
          </div>
        )}
        {fields.map((f) => (
          <div class="field" key={f.field}>
            <label>
              {f.label}
              <input
                type={f.type as 'text'}
                name={f.field}
                autocomplete={f.autocomplete}
                value={values[f.field] ?? ''}
                onInput={(e) => setValues({ ...values, [f.field]: e.currentTarget.value })}
              />
            </label>
          </div>
        ))}
        {problem && (
          <p class="notice error" role="alert">
            {problem}
          </p>
        )}
        <ConfirmButton
          label="Create user"
          primary
          question={`Create ${who}${values.email?.trim() && who !== values.email.trim() ? ` (${values.email.trim()})` : ''} in ${connection || 'no connection'}?`}
          confirmLabel={`Create ${who}`}
          beforeOpen={check}
          onConfirm={async () => {
            const user = await run(
              () => api.createUser(body()),
              (u) => `User ${String(u.email ?? u.name ?? u.user_id)} created.`,
            );
            if (user) {
              setCreated(user);
              setValues({});
            }
          }}
        />
        {view}
        {created?.user_id && (
          <p>
            <a href={`#/users/${encodeURIComponent(created.user_id)}`}>Open {String(created.name ?? created.email ?? created.user_id)}</a>
          </p>
        )}
      </form>
    </>
  );
}
