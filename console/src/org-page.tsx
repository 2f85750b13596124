import { useEffect, useState } from 'preact/hooks';
import type { Permissions } from './api';
import { memberRoles, type MemberPage, type OrgAction, type OrgClient } from './org-api';
import { Invitations } from './invitations';
import { ErrorNotice, JumpNav, Pager, Section } from './widgets';

const PER_PAGE = 10;

interface Props {
  org: OrgClient;
  orgName: string;
  actions: Set<OrgAction>;
  permissions: Permissions;
}

/**
 * The caller's organization: its members (with `list_members`) and its invitations (with `invite`).
 * Each part is there only when the caller's roles have its action; what a member's page offers is
 * decided per member by its capabilities (member-page.tsx).
 */
export function OrgPage({ org, orgName, actions, permissions }: Props) {
  const sections = [
    { id: 'members', label: 'Members', shown: actions.has('list_members') },
    { id: 'invitations', label: 'Invitations', shown: actions.has('invite') },
  ].filter((s) => s.shown);
  return (
    <>
      <h1>Organization {orgName}</h1>
      <p class="hint">
        Id <code>{org.orgId}</code>: the organization you signed in through.
      </p>
      <JumpNav sections={sections} />
      {sections.length === 0 && (
        <p class="notice" role="status">
          Your roles here allow neither listing members nor inviting; {describeOthers(actions)}
        </p>
      )}
      {actions.has('list_members') && <Members org={org} permissions={permissions} />}
      {actions.has('invite') && (
        <Invitations org={org} orgName={orgName} permissions={permissions} mayRevoke={actions.has('revoke_invitation')} />
      )}
    </>
  );
}

function describeOthers(actions: Set<OrgAction>): string {
  const rest = [...actions].map((a) => a.replace(/_/g, ' '));
  return rest.length > 0 ? `they allow ${rest.join(', ')} on a member's page.` : 'nothing to do here.';
}

function Members({ org, permissions }: { org: OrgClient; permissions: Permissions }) {
  const [page, setPage] = useState(0);
  const [result, setResult] = useState<MemberPage>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    setError(undefined);
    org.members(page, PER_PAGE).then(setResult, (err: unknown) => {
      setError(err);
      setResult(undefined);
    });
  }, [org, page]);

  // A member's page asks its capabilities and name (GET /users/{id}...): linked for callers who may read users.
  const linked = permissions.actions.includes('read');
  const showRoles = memberRoles(permissions).read || (result?.members.some((m) => Array.isArray(m.roles)) ?? false);
  const pages = result ? Math.max(1, Math.ceil(result.total / PER_PAGE)) : 1;
  // The page the table shows (the one asked for may still be loading).
  const shown = result ? Math.floor(result.start / PER_PAGE) : page;
  return (
    <Section title="Members" id="members">
      <ErrorNotice error={error} />
      <p role="status" class="summary" aria-live="polite">
        {result ? `${result.total} member${result.total === 1 ? '' : 's'}` : error ? '' : 'Loading…'}
      </p>
      {result && result.members.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">
              Members, page {shown + 1} of {pages}
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                {showRoles && <th scope="col">Member roles</th>}
              </tr>
            </thead>
            <tbody>
              {result.members.map((m) => (
                <tr key={m.user_id}>
                  <td data-label="Name">
                    {linked && m.user_id ? (
                      <a href={`#/org/members/${encodeURIComponent(m.user_id)}`}>{m.name ?? m.email ?? m.user_id}</a>
                    ) : (
                      (m.name ?? m.user_id ?? '')
                    )}
                  </td>
                  <td data-label="Email" class="identifier">
                    {m.email ?? ''}
                  </td>
                  {showRoles && <td data-label="Member roles">{m.roles?.length ? m.roles.join(', ') : 'none'}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {result && pages > 1 && <Pager label="Member pages" page={shown} pages={pages} onPage={setPage} />}
    </Section>
  );
}
