import { useEffect, useRef, useState } from 'preact/hooks';
import {
  UsergateError,
  type AuthenticationMethod,
  type Block,
  type RefreshToken,
  type SignOutResult,
  type Ticket,
  type UserSession,
  type UsergateClient,
} from './api';
import { ConfirmButton, count, ErrorNotice, fromNow, Section, useOutcome } from './widgets';

interface PanelProps {
  api: UsergateClient;
  userId: string;
  /** The user as the confirmations name them ("Ada Lovelace (ada@acme.example)"). */
  who: string;
  /** Called after an action succeeded. */
  onChange?: () => void;
}

/** Lifetimes the agent may choose for a password-change link, in seconds. */
const TICKET_LIFETIMES: { seconds: number; label: string }[] = [
  { seconds: 3600, label: '1 hour' },
  { seconds: 86_400, label: '1 day' },
  { seconds: 432_000, label: '5 days' },
];

/** Creates a password-change link and keeps it on screen, with a copy button and its expiry, for the agent to send. */
export function PasswordTicket({ api, userId, who, onChange }: PanelProps) {
  const [ttl, setTtl] = useState(86_400);
  const [ticket, setTicket] = useState<Ticket>();
  const [copied, setCopied] = useState<string>();
  const { run, view } = useOutcome(onChange);
  const link = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (!ticket) return;
    link.current?.scrollIntoView({ block: 'center' });
    link.current?.focus();
    link.current?.select();
  }, [ticket]);
  const copy = async (): Promise<void> => {
    if (!ticket) return;
    try {
      await navigator.clipboard.writeText(ticket.url);
      setCopied('Link copied.');
    } catch {
      link.current?.select();
      setCopied('Copying was refused by the browser: the link is selected, press Ctrl+C.');
    }
  };
  return (
    <Section title="Password-change link" id="ticket">
      <p class="hint">A link that lets the user set a new password. Send it to them only; whoever holds it can use it.</p>
      <div class="row">
        <label>
          Valid for
          <select name="ttl" value={String(ttl)} onChange={(e) => setTtl(Number(e.currentTarget.value))}>
            {TICKET_LIFETIMES.map((l) => (
              <option key={l.seconds} value={String(l.seconds)}>
                {l.label}
              </option>
            ))}
          </select>
        </label>
        <ConfirmButton
          label="Create password-change link"
          question={`Create a password-change link for ${who}, valid for ${TICKET_LIFETIMES.find((l) => l.seconds === ttl)?.label ?? `${ttl} s`}?`}
          onConfirm={async () => {
            setTicket(undefined);
            setCopied(undefined);
            const created = await run(() => api.passwordTicket(userId, ttl), 'Password-change link created.');
            if (created) setTicket(created);
          }}
        />
      </div>
      {view}
      {ticket && (
        <div class="ticket" data-testid="ticket">
          <label>
            Link to send to the user
            <textarea ref={link} readOnly rows={3} value={ticket.url} name="ticket-url" />
          </label>
          <div class="row">
            <button type="button" class="primary" onClick={() => void copy()}>
              Copy link
            </button>
            <span class="expiry">
              Expires {ticket.expiresAt.toLocaleString()} ({fromNow(ticket.expiresAt)})
            </span>
          </div>
          <p class="copied" aria-live="polite">
            {copied ?? ''}
          </p>
        </div>
      )}
    </Section>
  );
}

/** The sessions list's stand-in when the plan keeps sessions from usergate (a 501 `not_available_on_plan`). */
const NOT_ON_PLAN: UserSession[] = [];

/** Loads a list on mount and again on `reload()`; keeps the error to show. */
function useList<T>(load: () => Promise<T[]>) {
  const [items, setItems] = useState<T[]>();
  const [error, setError] = useState<unknown>();
  const reload = (): void => {
    setError(undefined);
    load().then(setItems, (err: unknown) => {
      setError(err);
      setItems(undefined);
    });
  };
  useEffect(reload, []);
  return { items, error, reload };
}

/** Brute-force protection blocks (identifier, IP), shown with their count before the button that clears them. */
export function BlocksPanel({ api, userId, who, onChange }: PanelProps) {
  const { items, error, reload } = useList<Block>(() => api.blocks(userId));
  const { run, view } = useOutcome(onChange);
  // usergate sends the blocked IP only to roles that read IP addresses in log events.
  const withIp = items?.some((b) => b.ip !== undefined) ?? false;
  return (
    <Section title="Login blocks" id="blocks">
      <p class="hint">Brute-force protection: sign-ins refused after too many failures (not the user's Blocked status).</p>
      <ErrorNotice error={error} />
      {items && (
        <>
          <p class="count" data-testid="blocks-count">
            {items.length === 0 ? 'No login blocks.' : count(items.length, 'login block')}
          </p>
          {items.length > 0 && (
            <div class="table-wrap">
              <table>
                <caption class="visually-hidden">Login blocks</caption>
                <thead>
                  <tr>
                    <th scope="col">Identifier</th>
                    {withIp && <th scope="col">IP address</th>}
                    <th scope="col">Connection</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((b, i) => (
                    <tr key={i}>
                      <td data-label="Identifier" class="identifier">
                        {b.identifier}
                      </td>
                      {withIp && <td data-label="IP address">{b.ip ?? ''}</td>}
                      <td data-label="Connection">{b.connection ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {items.length > 0 && (
            <div class="buttons">
              <ConfirmButton
                label="Clear login blocks"
                question={`Remove ${count(items.length, 'login block')} on ${who}? They can try to sign in again at once.`}
                onConfirm={async () => {
                  await run(() => api.desk('unblock', userId), `Login blocks cleared (${items.length}).`);
                  reload();
                }}
              />
            </div>
          )}
        </>
      )}
      {view}
    </Section>
  );
}

/** Enrolled MFA factors (type, name, enrolled), shown with their count before the reset. */
export function MfaPanel({ api, userId, who, onChange }: PanelProps) {
  const { items, error, reload } = useList<AuthenticationMethod>(() => api.authenticationMethods(userId));
  const { run, view } = useOutcome(onChange);
  const date = (m: AuthenticationMethod): string => {
    const at = (m as AuthenticationMethod & { enrolled_at?: string }).enrolled_at ?? m.created_at;
    return at ? new Date(at).toLocaleDateString() : '';
  };
  return (
    <Section title="MFA factors" id="mfa">
      <ErrorNotice error={error} />
      {items && (
        <>
          <p class="count" data-testid="mfa-count">
            {items.length === 0 ? 'No MFA factor enrolled.' : count(items.length, 'factor') + ' enrolled.'}
          </p>
          {items.length > 0 && (
            <div class="table-wrap">
              <table>
                <caption class="visually-hidden">MFA factors</caption>
                <thead>
                  <tr>
                    <th scope="col">Type</th>
                    <th scope="col">Name</th>
                    <th scope="col">Enrolled</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((m) => (
                    <tr key={m.id}>
                      <td data-label="Type">{m.type}</td>
                      <td data-label="Name">{m.name ?? ''}</td>
                      <td data-label="Enrolled">
                        {date(m)}
                        {m.confirmed === false && ' (not confirmed)'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {items.length > 0 && (
            <div class="buttons">
              <ConfirmButton
                label="Reset MFA"
                danger
                question={`Delete the ${count(items.length, 'MFA factor')} of ${who}? They will have to enroll again.`}
                onConfirm={async () => {
                  await run(() => api.desk('reset_mfa', userId), `MFA reset: ${count(items.length, 'factor')} deleted.`);
                  reload();
                }}
              />
            </div>
          )}
        </>
      )}
      {view}
    </Section>
  );
}

/** A date and time in the agent's locale, short (to the minute), or nothing. */
function when(at: string | undefined): string {
  return at ? new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '';
}

/** What sign-out did, in the agent's words. */
export function signOutSummary(result: SignOutResult): string {
  const tokens = `${count(result.refresh_tokens_revoked, 'refresh token')} revoked`;
  const sessions =
    result.sessions === 'ended' ? 'sessions ended' : 'sessions not ended: the Auth0 plan does not allow it (they run until they expire)';
  return `Signed out: ${tokens}; ${sessions}.`;
}

/**
 * Refresh tokens (device, application, type) and, on an Enterprise tenant, sessions (device, last use),
 * each with its count, before "Sign out everywhere"; afterwards what usergate's answer says was done.
 * A 501 `not_available_on_plan` for the sessions hides their list (the plan keeps them from usergate).
 */
export function SessionsPanel({ api, userId, who, onChange }: PanelProps) {
  const tokens = useList<RefreshToken>(() => api.refreshTokens(userId));
  const sessions = useList<UserSession>(() =>
    api.sessions(userId).catch((err: unknown) => {
      if (err instanceof UsergateError && err.errorCode === 'not_available_on_plan') return NOT_ON_PLAN;
      throw err;
    }),
  );
  const { run, view } = useOutcome(onChange);
  const onPlan = sessions.items !== NOT_ON_PLAN;
  const withDevice = sessions.items?.some((s) => s.device?.last_user_agent || s.device?.last_ip) ?? false;
  // A device credential names its device; an Enterprise refresh token does not, but its session's user
  // agent does (sent only to roles whose log_fields name user_agent).
  const sessionOf = new Map((onPlan ? (sessions.items ?? []) : []).map((s) => [s.id, s]));
  const deviceOf = (t: RefreshToken): string =>
    t.device_name ?? (t.session_id ? (sessionOf.get(t.session_id)?.device?.last_user_agent ?? '') : '');
  const tokenDevices = tokens.items?.some((t) => deviceOf(t) !== '') ?? false;
  const lastUsed = tokens.items?.some((t) => t.last_exchanged_at) ?? false;
  return (
    <Section title="Sessions and refresh tokens" id="sessions">
      <div class="side-by-side">
        <div>
          <h3>Refresh tokens</h3>
          <ErrorNotice error={tokens.error} />
          {tokens.items && (
            <>
              <p class="count" data-testid="refresh-tokens-count">
                {tokens.items.length === 0 ? 'No refresh token.' : count(tokens.items.length, 'refresh token')}
              </p>
              {tokens.items.length > 0 && (
                <div class="table-wrap">
                  <table>
                    <caption class="visually-hidden">Refresh tokens</caption>
                    <thead>
                      <tr>
                        {tokenDevices && <th scope="col">Device</th>}
                        <th scope="col">Application</th>
                        <th scope="col">Type</th>
                        <th scope="col">Created</th>
                        {lastUsed && <th scope="col">Last used</th>}
                      </tr>
                    </thead>
                    <tbody>
                      {tokens.items.map((t) => (
                        <tr key={t.id}>
                          {tokenDevices && <td data-label="Device">{deviceOf(t)}</td>}
                          <td data-label="Application" class="identifier">
                            {t.client_id ?? ''}
                          </td>
                          <td data-label="Type">{t.type === 'rotating_refresh_token' ? 'rotating' : 'non-rotating'}</td>
                          <td data-label="Created">{when(t.created_at)}</td>
                          {lastUsed && <td data-label="Last used">{when(t.last_exchanged_at)}</td>}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          )}
        </div>
        {onPlan && (
          <div>
            <h3>Sessions</h3>
            <ErrorNotice error={sessions.error} />
            {sessions.items && sessions.items !== NOT_ON_PLAN && (
              <>
                <p class="count" data-testid="sessions-count">
                  {sessions.items.length === 0 ? 'No session.' : count(sessions.items.length, 'session')}
                </p>
                {sessions.items.length > 0 && (
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
                        {sessions.items.map((s) => (
                          <tr key={s.id}>
                            {withDevice && (
                              <td data-label="Device">{[s.device?.last_user_agent, s.device?.last_ip].filter(Boolean).join(' · ')}</td>
                            )}
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
                )}
              </>
            )}
          </div>
        )}
      </div>
      {!onPlan && (
        <p class="hint" data-testid="sessions-not-on-plan">
          Sessions are not listed: the tenant's Auth0 plan does not let usergate read or end them.
        </p>
      )}
      <div class="buttons">
        <ConfirmButton
          label="Sign out everywhere"
          danger
          question={`Revoke ${tokens.items ? `the ${count(tokens.items.length, 'refresh token')}` : 'every refresh token'} of ${who}${
            onPlan ? ' and end its sessions' : ''
          }? Access tokens already issued stay valid until they expire.`}
          onConfirm={async () => {
            await run(() => api.signOut(userId), signOutSummary);
            tokens.reload();
            sessions.reload();
          }}
        />
      </div>
      {view}
    </Section>
  );
}
