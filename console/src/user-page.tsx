import { useEffect, useState } from 'preact/hooks';
import type { Capabilities, Permissions, User, UsergateClient } from './api';
import { allowed, refusals, type Refusal } from './capabilities';
import { BlocksPanel, MfaPanel, PasswordTicket } from './desk-panels';
import { when } from './dates';
import { covers, EDITABLE_FIELDS } from './field-access';
import { LogTable } from './log-table';
import { RolePicker } from './role-picker';
import { SessionsPanel } from './sessions-panel';
import { ConfirmButton, ErrorNotice, JumpNav, Section, useOutcome } from './widgets';

interface Props {
  api: UsergateClient;
  permissions: Permissions;
  userId: string;
}

function flatten(value: unknown, prefix = ''): [string, string][] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  if (Array.isArray(value) && value.some((v) => v && typeof v === 'object')) {
    return value.flatMap((v, i) => flatten(v, `${prefix}[${i}]`));
  }
  if (DATE_ATTRIBUTES.has(prefix) && typeof value === 'string') return [[prefix, when(value)]];
  return [[prefix, Array.isArray(value) ? value.join(', ') : String(value)]];
}

/** The user's root attributes that are dates, shown as every date of the console is. */
const DATE_ATTRIBUTES = new Set(['created_at', 'updated_at', 'last_login', 'last_password_reset']);

/** How confirmations name the user: "Ada Lovelace (ada@acme.example)", or its id. */
export function describeUser(user: User | undefined, userId: string): string {
  const name = typeof user?.name === 'string' ? user.name : undefined;
  const email = typeof user?.email === 'string' ? user.email : undefined;
  if (name && email && name !== email) return `${name} (${email})`;
  return name ?? email ?? userId;
}

/**
 * One user, with the controls GET /users/:id/capabilities allows on this user (asked when the page
 * opens and after each change): an allowed action is shown, the others are listed once with their
 * reason (capabilities.ts); the edit form offers exactly the `writable` fields, the role picker the
 * `grantable_roles`.
 */
export function UserPage({ api, permissions, userId }: Props) {
  const [user, setUser] = useState<User>();
  const [caps, setCaps] = useState<Capabilities>();
  const [error, setError] = useState<unknown>();
  const [capsError, setCapsError] = useState<unknown>();
  const [deleted, setDeleted] = useState(false);
  // Bumped after each change, so that the log events (which record it) and the capabilities are read again.
  const [version, setVersion] = useState(0);
  const changed = (): void => setVersion((n) => n + 1);
  const edit = useOutcome(changed);
  const grants = useOutcome(changed);
  const account = useOutcome(changed);
  const removal = useOutcome();

  useEffect(() => {
    api.getUser(userId).then(setUser, setError);
  }, [api, userId]);
  useEffect(() => {
    setCapsError(undefined);
    api.capabilities(userId).then(setCaps, setCapsError);
  }, [api, userId, version]);

  /** Runs a change, shows its outcome next to its control, and keeps the page in step with usergate's answer. */
  const update = async (outcome: ReturnType<typeof useOutcome>, body: Record<string, unknown>, done: string): Promise<void> => {
    const answer = await outcome.run(() => api.updateUser(userId, body), done);
    if (answer) setUser(answer.user_id ? answer : await api.getUser(userId));
  };

  if (deleted)
    return (
      <>
        <h1>User deleted</h1>
        {removal.view}
        <p>
          <a href="#/">Back to users</a>
        </p>
      </>
    );

  const roles = Array.isArray((user?.app_metadata as Record<string, unknown> | undefined)?.roles)
    ? ((user!.app_metadata as Record<string, unknown>).roles as string[])
    : [];
  const who = describeUser(user, userId);
  const can = (action: Parameters<typeof allowed>[1]): boolean => allowed(caps, action);
  const writable = can('update') ? (caps?.writable ?? []) : [];
  const editable = EDITABLE_FIELDS.filter((f) => covers(writable, f.field));
  const canBlock = covers(writable, 'blocked');
  const canGrant =
    (caps?.grantable_roles.length ?? 0) > 0 && covers(writable, 'app_metadata.roles') && covers(permissions.read, 'app_metadata.roles');
  const canVerify = can('send_verification');
  const refused = caps ? refusals(caps, user, permissions.grant) : [];
  const sections = [
    { id: 'profile', label: 'Profile', shown: true },
    { id: 'account', label: 'Account', shown: canBlock || canVerify },
    { id: 'ticket', label: 'Password link', shown: can('reset_password') },
    { id: 'edit', label: 'Edit', shown: editable.length > 0 },
    { id: 'roles', label: 'Roles', shown: canGrant },
    { id: 'blocks', label: 'Login blocks', shown: can('unblock') },
    { id: 'mfa', label: 'MFA', shown: can('reset_mfa') },
    { id: 'sessions', label: 'Sessions', shown: can('logout') },
    { id: 'logs', label: 'Log events', shown: can('read_logs') },
    { id: 'delete', label: 'Delete', shown: can('delete') },
  ].filter((s) => s.shown);

  return (
    <>
      <p>
        <a href="#/">← Back to users</a>
      </p>
      <h1>{user ? String(user.name ?? user.email ?? user.user_id) : userId}</h1>
      <ErrorNotice error={error} />
      {user && (
        <>
          {/* The same refusal as the user's own read is not shown twice. */}
          <ErrorNotice error={capsError} />
          {refused.length > 0 && <NotAvailable refused={refused} />}
          <JumpNav sections={sections} />
          <div class="grid">
            <div>
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
              {(canBlock || canVerify) && (
                <Section title="Account" id="account">
                  <p>
                    Status: <strong>{user.blocked === true ? 'Blocked' : 'Active'}</strong>
                    {typeof user.email_verified === 'boolean' && <> · Email {user.email_verified ? 'verified' : 'not verified'}</>}
                  </p>
                  <div class="buttons">
                    {canBlock &&
                      (user.blocked === true ? (
                        <ConfirmButton
                          label="Unblock user"
                          question={`Let ${who} sign in again?`}
                          onConfirm={() => update(account, { blocked: false }, 'User unblocked.')}
                        />
                      ) : (
                        <ConfirmButton
                          label="Block user"
                          danger
                          question={`Block ${who}? They will not be able to sign in.`}
                          onConfirm={() => update(account, { blocked: true }, 'User blocked.')}
                        />
                      ))}
                    {canVerify && (
                      <ConfirmButton
                        label="Resend verification email"
                        question={`Send ${who} a new verification email?`}
                        onConfirm={() =>
                          account.run(() => api.desk('send_verification', userId), 'Verification email queued.').then(() => undefined)
                        }
                      />
                    )}
                  </div>
                  {account.view}
                </Section>
              )}
              {can('reset_password') && <PasswordTicket api={api} userId={userId} who={who} onChange={changed} />}
            </div>
            <div>
              {editable.length > 0 && (
                <Section title="Edit" id="edit">
                  <EditForm user={user} fields={editable} onSave={(body) => update(edit, body, 'Saved.')} />
                  {edit.view}
                </Section>
              )}
              {canGrant && (
                <Section title="Roles" id="roles">
                  <RolePicker
                    roles={roles}
                    grantable={caps?.grantable_roles ?? []}
                    who={who}
                    onChange={(next, done) => update(grants, { app_metadata: { roles: next } }, done)}
                  />
                  {grants.view}
                </Section>
              )}
            </div>
          </div>
          {(can('unblock') || can('reset_mfa') || can('logout')) && (
            <div class="desk-grid">
              {can('unblock') && <BlocksPanel api={api} userId={userId} who={who} onChange={changed} />}
              {can('reset_mfa') && <MfaPanel api={api} userId={userId} who={who} onChange={changed} />}
              {can('logout') && <SessionsPanel api={api} userId={userId} who={who} onChange={changed} />}
            </div>
          )}
          {can('read_logs') && <LogTable key={version} api={api} userId={userId} permissions={permissions} />}
          {can('delete') && (
            <Section title="Delete user" id="delete">
              <p class="hint">Deletes the account on the tenant. This cannot be undone.</p>
              <ConfirmButton
                label="Delete user"
                danger
                confirmLabel={`Delete ${typeof user.name === 'string' ? user.name : 'this user'}`}
                question={`Delete ${who} (${userId})? This cannot be undone.`}
                onConfirm={async () => {
                  const done = await removal.run(() => api.deleteUser(userId).then(() => true), `${who} was deleted.`);
                  if (done) setDeleted(true);
                }}
              />
              {removal.view}
            </Section>
          )}
        </>
      )}
    </>
  );
}

/** The actions the caller's roles have that this user refuses, each reason once (not a control among them). */
function NotAvailable({ refused }: { refused: Refusal[] }) {
  return (
    <section class="card refused" aria-labelledby="refused-title" data-testid="refused">
      <h2 id="refused-title">Not available for this user</h2>
      <ul>
        {refused.map((r) => (
          <li key={r.errorCode + r.reason}>
            <strong class="reason">{r.reason}</strong>: {r.actions.join(', ')}
            <span class="hint"> ({r.message})</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Profile attributes an identity provider may own (Auth0 refuses them while its connection syncs profiles). */
const SYNCED_FIELDS = new Set(['name', 'nickname', 'given_name', 'family_name', 'picture']);

/** The connection of a social or enterprise user's primary identity, when the caller may read it. */
function syncingConnection(user: User): string | undefined {
  const primary = Array.isArray(user.identities)
    ? (user.identities[0] as { provider?: unknown; connection?: unknown } | undefined)
    : undefined;
  if (!primary || typeof primary.provider !== 'string' || primary.provider === 'auth0') return undefined;
  return typeof primary.connection === 'string' ? primary.connection : primary.provider;
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
  // usergate lists these for a social or enterprise user (their fate is the connection's profile-sync
  // setting, which it cannot read): say so next to them.
  const synced = syncingConnection(user);
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
            <>
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
                    aria-describedby={synced && SYNCED_FIELDS.has(f.field) ? `synced-${f.field}` : undefined}
                    onInput={(e) => setValues({ ...values, [f.field]: e.currentTarget.value })}
                  />
                )}
              </label>
              {synced && SYNCED_FIELDS.has(f.field) && (
                <span class="hint" id={`synced-${f.field}`}>
                  Auth0 refuses a change while the {synced} connection updates profiles at each login (the default for social connections).
                </span>
              )}
            </>
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
