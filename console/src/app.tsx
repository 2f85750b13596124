import { useEffect, useMemo, useState } from 'preact/hooks';
import { createUsergateClient, type Permissions } from './api';
import type { Session, createAuth } from './auth';
import { SearchPage } from './search-page';
import { CreateUserPage } from './create-user-page';
import { MemberPage } from './member-page';
import { createOrgClient, managedOrg } from './org-api';
import { OrgPage } from './org-page';
import { UserPage } from './user-page';
import { ErrorNotice } from './widgets';

type Auth = ReturnType<typeof createAuth>;

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const update = (): void => setHash(window.location.hash);
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return hash;
}

export function App({ auth }: { auth: Auth }) {
  const [session, setSession] = useState<Session | undefined>();
  const [status, setStatus] = useState<'loading' | 'signed-out' | 'signed-in'>('loading');
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    auth.resume().then(
      (s) => {
        setSession(s);
        setStatus(s ? 'signed-in' : 'signed-out');
      },
      (err: unknown) => {
        setError(err);
        setStatus('signed-out');
      },
    );
  }, [auth]);

  if (status === 'loading')
    return (
      <main class="page">
        <p role="status">Signing in…</p>
      </main>
    );
  if (status === 'signed-out' || !session) return <SignInPage auth={auth} error={error} />;
  return <SignedIn session={session} />;
}

/**
 * Sign-in, optionally through an organization (its name or id; prefilled from `?organization=`, as in
 * an Auth0 invitation link): the tenant then signs in only its members and the token carries its
 * `org_id`, which usergate takes as the caller's organization with ORG_SOURCE=organizations.
 */
function SignInPage({ auth, error }: { auth: Auth; error: unknown }) {
  const [organization, setOrganization] = useState(() => new URLSearchParams(window.location.search).get('organization') ?? '');
  return (
    <main class="page signin">
      <h1>usergate console</h1>
      <p>Find and manage your organisation's users, within what your roles allow.</p>
      <ErrorNotice error={error} />
      <form
        class="narrow"
        onSubmit={(e) => {
          e.preventDefault();
          void auth.signIn(organization.trim() || undefined);
        }}
      >
        <label>
          Organization <span class="hint">(optional: its name or id, to sign in as one of its members)</span>
          <input
            type="text"
            name="organization"
            autoComplete="organization"
            maxLength={100}
            value={organization}
            onInput={(e) => setOrganization(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
    </main>
  );
}

/** The caller's roles at a glance: tenant roles, then member roles "in <org>" (ORG_SOURCE=organizations), or the org. */
function rolesBadge(permissions: Permissions, orgName: string | undefined): string {
  const held = (permissions as Permissions & { memberRoles?: unknown }).memberRoles;
  const memberRoles = Array.isArray(held) ? held.filter((r): r is string => typeof r === 'string') : [];
  const org = orgName ?? permissions.org ?? undefined;
  const parts = [...permissions.roles];
  if (memberRoles.length > 0) parts.push(`${memberRoles.join(', ')} in ${org ?? 'your organization'}`);
  const text = parts.length > 0 ? parts.join(', ') : 'no role';
  return memberRoles.length === 0 && org ? `${text} · ${org}` : text;
}

function SignedIn({ session }: { session: Session }) {
  const api = useMemo(() => createUsergateClient({ baseUrl: window.location.origin, getToken: session.getToken }), [session]);
  const [permissions, setPermissions] = useState<Permissions>();
  const [error, setError] = useState<unknown>();
  const hash = useHash();
  useEffect(() => {
    api.permissions().then(setPermissions, setError);
  }, [api]);
  // The Organization area: the caller's own organization, when its roles have an organization action there.
  const managed = permissions ? managedOrg(permissions) : undefined;
  const org = useMemo(
    () => (managed ? createOrgClient({ baseUrl: window.location.origin, getToken: session.getToken }, managed.orgId) : undefined),
    [session, managed?.orgId],
  );
  const orgName =
    typeof session.user?.org_name === 'string' && session.user.org_id === managed?.orgId ? session.user.org_name : managed?.orgId;

  const userMatch = /^#\/users\/([^/?]+)/.exec(hash);
  const memberMatch = /^#\/org\/members\/([^/?]+)/.exec(hash);
  return (
    <>
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          // The hash is the console's route: move focus without navigating.
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="#/">
          usergate console
        </a>
        <div class="who">
          <span data-testid="signed-in-as">{session.user?.name ?? session.user?.email ?? session.user?.sub}</span>
          {permissions && <span class="roles">{rolesBadge(permissions, managed ? orgName : undefined)}</span>}
          <button type="button" onClick={() => void session.signOut()}>
            Sign out
          </button>
        </div>
      </header>
      {managed && (
        <nav class="areas" aria-label="Areas">
          <a href="#/" aria-current={!hash.startsWith('#/org') ? 'page' : undefined}>
            Users
          </a>
          <a href="#/org" aria-current={hash.startsWith('#/org') ? 'page' : undefined}>
            Organization
          </a>
        </nav>
      )}
      <main id="main" class="page" tabIndex={-1}>
        <ErrorNotice error={error} />
        {permissions && permissions.actions.length === 0 && (
          <p class="notice" role="status">
            Your roles allow no user management here. You can still reach your own profile through your application.
          </p>
        )}
        {permissions &&
          (org && managed && memberMatch ? (
            <MemberPage
              key={memberMatch[1]}
              api={api}
              org={org}
              orgName={orgName!}
              permissions={permissions}
              userId={decodeURIComponent(memberMatch[1]!)}
            />
          ) : org && managed && hash === '#/org' ? (
            <OrgPage org={org} orgName={orgName!} actions={managed.actions} permissions={permissions} />
          ) : userMatch ? (
            <UserPage key={userMatch[1]} api={api} permissions={permissions} userId={decodeURIComponent(userMatch[1]!)} />
          ) : hash === '#/new-user' ? (
            <CreateUserPage api={api} permissions={permissions} />
          ) : (
            <SearchPage api={api} permissions={permissions} hash={hash} />
          ))}
      </main>
    </>
  );
}
