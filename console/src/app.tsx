import { useEffect, useMemo, useState } from 'preact/hooks';
import { createUsergateClient, type Permissions } from './api';
import type { Session, createAuth } from './auth';
import { SearchPage } from './search-page';
import { CreateUserPage } from './create-user-page';
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
  if (status === 'signed-out' || !session) {
    return (
      <main class="page signin">
        <h1>usergate console</h1>
        <p>Find and manage your organisation's users, within what your roles allow.</p>
        <ErrorNotice error={error} />
        <button type="button" class="primary" onClick={() => void auth.signIn()}>
          Sign in
        </button>
      </main>
    );
  }
  return <SignedIn session={session} />;
}

function SignedIn({ session }: { session: Session }) {
  const api = useMemo(() => createUsergateClient({ baseUrl: window.location.origin, getToken: session.getToken }), [session]);
  const [permissions, setPermissions] = useState<Permissions>();
  const [error, setError] = useState<unknown>();
  const hash = useHash();
  useEffect(() => {
    api.permissions().then(setPermissions, setError);
  }, [api]);

  const userMatch = /^#\/users\/([^/?]+)/.exec(hash);
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
          {permissions && (
            <span class="roles">
              {permissions.roles.length ? permissions.roles.join(', ') : 'no role'}
              {permissions.org ? ` · ${permissions.org}` : ''}
            </span>
          )}
          <button type="button" onClick={() => void session.signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" class="page" tabIndex={-1}>
        <ErrorNotice error={error} />
        {permissions && permissions.actions.length === 0 && (
          <p class="notice" role="status">
            Your roles allow no user management here. You can still reach your own profile through your application.
          </p>
        )}
        {permissions &&
          (userMatch ? (
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
