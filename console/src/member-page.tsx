import { useEffect, useState } from 'preact/hooks';
import type { Capabilities, Permissions, User, UsergateClient } from './api';
import { shortReason } from './capabilities';
import type { OrgClient } from './org-api';
import { RolePicker } from './role-picker';
import { describeUser } from './user-page';
import { ConfirmButton, ErrorNotice, Section, useOutcome } from './widgets';

type OrgCapabilities = NonNullable<Capabilities['org']>;
type Verdict = OrgCapabilities['actions']['remove_member'];

interface Props {
  api: UsergateClient;
  org: OrgClient;
  orgName: string;
  permissions: Permissions;
  userId: string;
}

/**
 * One member of the caller's organization: its member roles and "Remove from organization", each shown
 * only when the `org` part of GET /users/{id}/capabilities allows it on this member (asked when the page
 * opens and after each change); a refused one is named once with its reason, as on the user page.
 */
export function MemberPage({ api, org, orgName, permissions, userId }: Props) {
  const [user, setUser] = useState<User>();
  const [caps, setCaps] = useState<Capabilities>();
  const [roles, setRoles] = useState<string[]>();
  const [error, setError] = useState<unknown>();
  const [rolesError, setRolesError] = useState<unknown>();
  const [removed, setRemoved] = useState(false);
  const [version, setVersion] = useState(0);
  const grants = useOutcome(() => setVersion((v) => v + 1));
  const removal = useOutcome();

  useEffect(() => {
    api.getUser(userId).then(setUser, setError);
  }, [api, userId]);
  useEffect(() => {
    api.capabilities(userId).then(setCaps, setError);
  }, [api, userId, version]);
  const orgCaps = caps?.org && caps.org.org_id === org.orgId ? caps.org : undefined;
  const mayReadRoles = orgCaps?.member_roles.read.allowed === true;
  useEffect(() => {
    if (!mayReadRoles) return;
    setRolesError(undefined);
    org.memberRoles(userId).then(setRoles, setRolesError);
  }, [org, userId, mayReadRoles, version]);

  const who = describeUser(user, userId);
  if (removed)
    return (
      <>
        <h1>Member removed</h1>
        {removal.view}
        <p>
          <a href="#/org">Back to the organization</a>
        </p>
      </>
    );

  const mayChangeRoles = orgCaps?.member_roles.change.allowed === true && orgCaps.grantable_roles.length > 0;
  const mayRemove = orgCaps?.actions.remove_member.allowed === true;
  const refused = orgCaps ? refusedHere(orgCaps, user, permissions.grant) : [];
  /** Adds and removes what the picker changed; the answer is the member's roles after the change. */
  const change = async (next: string[], done: string): Promise<void> => {
    const held = roles ?? [];
    const added = next.filter((r) => !held.includes(r));
    const taken = held.filter((r) => !next.includes(r));
    const after = await grants.run(async () => {
      let now = held;
      if (added.length) now = await org.addMemberRoles(userId, added);
      if (taken.length) now = await org.removeMemberRoles(userId, taken);
      return now;
    }, done);
    if (after) setRoles(after);
  };

  return (
    <>
      <p>
        <a href="#/org">← Back to {orgName}</a>
      </p>
      <h1>{user ? String(user.name ?? user.email ?? user.user_id) : userId}</h1>
      <p class="hint">
        Member of {orgName}
        {typeof user?.email === 'string' && user.email !== user.name ? ` · ${user.email}` : ''} ·{' '}
        <a href={`#/users/${encodeURIComponent(userId)}`}>user page</a>
      </p>
      <ErrorNotice error={error} />
      {caps && !orgCaps && (
        <p class="notice" role="status">
          usergate names no organization of yours for this user: nothing to manage here.
        </p>
      )}
      {refused.length > 0 && (
        <section class="card refused" aria-labelledby="refused-title" data-testid="refused">
          <h2 id="refused-title">Not available for this member</h2>
          <ul>
            {refused.map((r) => (
              <li key={r.reason}>
                <strong class="reason">{r.reason}</strong>: {r.labels.join(', ')}
                <span class="hint"> ({r.message})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {(mayReadRoles || mayChangeRoles) && (
        <Section title="Member roles" id="member-roles">
          <p class="hint">Member roles act in {orgName} only.</p>
          <ErrorNotice error={rolesError} />
          {mayChangeRoles && !mayReadRoles ? (
            <GrantOnly
              grantable={orgCaps.grantable_roles}
              who={who}
              onGrant={(role) => grants.run(() => org.addMemberRoles(userId, [role]), `Role ${role} granted.`).then(() => undefined)}
            />
          ) : mayChangeRoles && roles ? (
            <RolePicker roles={roles} grantable={orgCaps.grantable_roles} who={who} onChange={change} />
          ) : roles ? (
            <p>{roles.length ? roles.join(', ') : 'No member role.'}</p>
          ) : null}
          {grants.view}
        </Section>
      )}
      {mayRemove && (
        <Section title="Remove from organization" id="remove">
          <p class="hint">
            Ends the membership: the member keeps their account but loses their member roles in {orgName} and can no longer sign in through
            it.
          </p>
          <ConfirmButton
            label="Remove from organization"
            danger
            confirmLabel="Remove member"
            question={`Remove ${who} from ${orgName}?`}
            onConfirm={async () => {
              const done = await removal.run(() => org.removeMember(userId).then(() => true), `${who} was removed from ${orgName}.`);
              if (done) setRemoved(true);
            }}
          />
          {removal.view}
        </Section>
      )}
    </>
  );
}

/**
 * Granting for a caller whose roles may grant member roles but not read them: the roles it may grant,
 * and no list of what the member holds (nor revoking what the page cannot show).
 */
function GrantOnly({ grantable, who, onGrant }: { grantable: string[]; who: string; onGrant: (role: string) => Promise<void> }) {
  const [choice, setChoice] = useState(grantable[0] ?? '');
  const picked = grantable.includes(choice) ? choice : (grantable[0] ?? '');
  return (
    <>
      <p class="hint">Your roles do not read member roles: you may grant one (granting a role held already changes nothing).</p>
      <div class="row">
        <label>
          Role to grant
          <select name="grant-role" value={picked} onChange={(e) => setChoice(e.currentTarget.value)}>
            {grantable.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
        </label>
        <ConfirmButton label="Grant role" question={`Give ${who} the role ${picked}?`} onConfirm={() => onGrant(picked)} />
      </div>
    </>
  );
}

/** The organization actions the caller's roles have but this member refuses (not those its roles lack), one line per reason. */
function refusedHere(caps: OrgCapabilities, user: User | undefined, grant: readonly string[]) {
  const verdicts: [string, Verdict][] = [
    ['Remove from organization', caps.actions.remove_member],
    ['Change member roles', caps.member_roles.change],
  ];
  const byReason = new Map<string, { reason: string; message: string; labels: string[] }>();
  for (const [label, v] of verdicts) {
    if (v.allowed || v.errorCode === 'action_forbidden') continue;
    const reason = shortReason(v.errorCode, user, grant);
    const entry = byReason.get(reason) ?? { reason, message: v.message, labels: [] };
    entry.labels.push(label);
    byReason.set(reason, entry);
  }
  return [...byReason.values()];
}
