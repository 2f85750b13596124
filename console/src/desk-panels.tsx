import { useEffect, useRef, useState } from 'preact/hooks';
import type { AuthenticationMethod, Block, Ticket, UsergateClient } from './api';
import { day, when } from './dates';
import { useList } from './use-list';
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
              Expires {when(ticket.expiresAt.toISOString())} ({fromNow(ticket.expiresAt)})
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
    return day(at);
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
