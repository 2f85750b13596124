import { useEffect, useRef, useState } from 'preact/hooks';
import type { Permissions } from './api';
import { invitableRoles, memberRoles, type Invitation, type InvitationPage, type OrgClient } from './org-api';
import { ConfirmButton, ErrorNotice, fromNow, Pager, Section, useOutcome } from './widgets';

const PER_PAGE = 10;

/** Invitation lifetimes offered (Auth0 allows up to 30 days; 7 is its default). */
const LIFETIMES = [
  { seconds: 86_400, label: '1 day' },
  { seconds: 604_800, label: '7 days' },
  { seconds: 2_592_000, label: '30 days' },
];

function when(iso: string | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '';
}

/**
 * The organization's invitations (`invite`): invite by email with member roles from the caller's grant
 * list (never free text), the pending invitations, and "Revoke" on each for callers with
 * `revoke_invitation`. A new invitation's link is shown once, with a copy button and its expiry: the
 * list never carries it.
 */
export function Invitations({
  org,
  orgName,
  permissions,
  mayRevoke,
}: {
  org: OrgClient;
  orgName: string;
  permissions: Permissions;
  mayRevoke: boolean;
}) {
  const [page, setPage] = useState(0);
  const [version, setVersion] = useState(0);
  const [result, setResult] = useState<InvitationPage>();
  const [error, setError] = useState<unknown>();
  // The invitation just created, whose link is on screen until it is revoked or another is created.
  const [created, setCreated] = useState<Invitation>();
  const revoking = useOutcome(() => setVersion((v) => v + 1));
  useEffect(() => {
    setError(undefined);
    org.invitations(page, PER_PAGE).then(setResult, (err: unknown) => {
      setError(err);
      setResult(undefined);
    });
  }, [org, page, version]);
  const pages = result ? Math.max(1, Math.ceil(result.total / PER_PAGE)) : 1;
  // The page the table shows (the one asked for may still be loading).
  const shown = result ? Math.floor(result.start / PER_PAGE) : page;

  return (
    <Section title="Invitations" id="invitations">
      <InviteForm
        org={org}
        orgName={orgName}
        permissions={permissions}
        created={created}
        setCreated={setCreated}
        onCreated={() => setVersion((v) => v + 1)}
      />
      <h3>Pending invitations</h3>
      <ErrorNotice error={error} />
      <p role="status" class="summary" aria-live="polite">
        {result ? `${result.total} invitation${result.total === 1 ? '' : 's'}` : error ? '' : 'Loading…'}
      </p>
      {result && result.invitations.length > 0 && (
        <div class="table-wrap">
          <table class="invitations">
            <caption class="visually-hidden">
              Invitations, page {shown + 1} of {pages}
            </caption>
            <thead>
              <tr>
                <th scope="col">Invitee</th>
                <th scope="col">Roles</th>
                <th scope="col">Invited by</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                {mayRevoke && (
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {result.invitations.map((inv) => (
                <InvitationRow
                  key={inv.id}
                  invitation={inv}
                  mayRevoke={mayRevoke}
                  onRevoke={async () => {
                    const who = inv.invitee?.email ?? inv.id ?? '';
                    const done = await revoking.run(() => org.revokeInvitation(inv.id!).then(() => true), `Invitation for ${who} revoked.`);
                    // Its link no longer works: it leaves the screen.
                    if (done && created?.id === inv.id) setCreated(undefined);
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoking.view}
      {result && pages > 1 && <Pager label="Invitation pages" page={shown} pages={pages} onPage={setPage} />}
    </Section>
  );
}

function InvitationRow({
  invitation: inv,
  mayRevoke,
  onRevoke,
}: {
  invitation: Invitation;
  mayRevoke: boolean;
  onRevoke: () => Promise<void>;
}) {
  const email = inv.invitee?.email;
  return (
    <tr>
      <td data-label="Invitee" class="identifier">
        {email ?? <span class="hint">(not readable)</span>}
      </td>
      <td data-label="Roles">{inv.roles?.length ? inv.roles.join(', ') : 'none'}</td>
      <td data-label="Invited by">{inv.inviter?.name ?? ''}</td>
      <td data-label="Created">{when(inv.created_at)}</td>
      <td data-label="Expires">{when(inv.expires_at)}</td>
      {mayRevoke && (
        <td data-label="Actions">
          {inv.id && (
            <ConfirmButton
              label="Revoke"
              ariaLabel={`Revoke the invitation for ${email ?? inv.id}`}
              danger
              confirmLabel="Revoke invitation"
              question={`Revoke the invitation for ${email ?? inv.id}? Its link stops working.`}
              onConfirm={onRevoke}
            />
          )}
        </td>
      )}
    </tr>
  );
}

function InviteForm({
  org,
  orgName,
  permissions,
  created,
  setCreated,
  onCreated,
}: {
  org: OrgClient;
  orgName: string;
  permissions: Permissions;
  created: Invitation | undefined;
  setCreated: (invitation: Invitation | undefined) => void;
  onCreated: () => void;
}) {
  const offered = invitableRoles(permissions);
  const anyRole = memberRoles(permissions).grant.includes('*');
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState<string[]>([]);
  const [ttl, setTtl] = useState(604_800);
  const [sendEmail, setSendEmail] = useState(true);
  const [copied, setCopied] = useState<string>();
  const { run, view } = useOutcome(onCreated);
  const link = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (!created) return;
    link.current?.scrollIntoView({ block: 'center' });
    link.current?.focus();
    link.current?.select();
  }, [created]);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setCreated(undefined);
    setCopied(undefined);
    const body = { email: email.trim(), ttl_sec: ttl, send_invitation_email: sendEmail, ...(roles.length ? { roles } : {}) };
    const invitation = await run(() => org.invite(body), `${body.email} is invited to ${orgName}.`);
    if (invitation) {
      setCreated(invitation);
      setEmail('');
      setRoles([]);
    }
  };
  const copy = async (): Promise<void> => {
    if (!created?.invitation_url) return;
    try {
      await navigator.clipboard.writeText(created.invitation_url);
      setCopied('Link copied.');
    } catch {
      link.current?.select();
      setCopied('Copying was refused by the browser: the link is selected, press Ctrl+C.');
    }
  };
  const expires = created?.expires_at ? new Date(created.expires_at) : undefined;

  return (
    <form class="invite" onSubmit={(e) => void submit(e)}>
      <h3>Invite by email</h3>
      <div class="row">
        <label class="grow">
          Email
          <input type="email" name="invitee" required maxLength={320} value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          Valid for
          <select name="invitation-ttl" value={String(ttl)} onChange={(e) => setTtl(Number(e.currentTarget.value))}>
            {LIFETIMES.map((l) => (
              <option key={l.seconds} value={String(l.seconds)}>
                {l.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {offered.length > 0 ? (
        <fieldset>
          <legend>Member roles on joining</legend>
          {offered.map((role) => (
            <label class="check" key={role}>
              <input
                type="checkbox"
                name="invitation-role"
                value={role}
                checked={roles.includes(role)}
                onChange={(e) => setRoles(e.currentTarget.checked ? [...roles, role] : roles.filter((r) => r !== role))}
              />
              {role}
            </label>
          ))}
        </fieldset>
      ) : (
        <p class="hint">
          {anyRole
            ? 'You may grant any role: invite without roles here, then give the member roles on their page once they joined.'
            : 'Your roles grant no member role: the invitee joins without one.'}
        </p>
      )}
      <label class="check">
        <input type="checkbox" name="send-invitation-email" checked={sendEmail} onChange={(e) => setSendEmail(e.currentTarget.checked)} />
        The tenant emails the invitation
      </label>
      <div class="buttons">
        <button type="submit" class="primary">
          Send invitation
        </button>
      </div>
      {view}
      {created?.invitation_url && (
        <div class="ticket" data-testid="invitation">
          <label>
            Invitation link for {created.invitee?.email ?? 'the invitee'}
            <textarea ref={link} readOnly rows={3} value={created.invitation_url} name="invitation-url" />
          </label>
          <div class="row">
            <button type="button" class="primary" onClick={() => void copy()}>
              Copy link
            </button>
            {expires && (
              <span class="expiry">
                Expires {expires.toLocaleString()} ({fromNow(expires)})
              </span>
            )}
          </div>
          <p class="hint">Whoever holds the link can join: send it to the invitee only.</p>
          <p class="copied" aria-live="polite">
            {copied ?? ''}
          </p>
        </div>
      )}
    </form>
  );
}
