import { useRef } from 'preact/hooks';
import type { RefreshToken, SignOutResult, UsergateClient } from './api';
import { RefreshTokenTable } from './refresh-token-table';
import { SessionTable } from './session-table';
import { useList } from './use-list';
import { useSessionPages } from './use-session-pages';
import { ConfirmButton, count, ErrorNotice, Section, useOutcome } from './widgets';

/**
 * What sign-out did, in the agent's words. On an Enterprise plan Auth0 carries both deletions out
 * shortly after answering: the lists read again at once may still show what is going.
 */
export function signOutSummary(result: SignOutResult): string {
  const tokens = `${count(result.refresh_tokens_revoked, 'refresh token')} revoked`;
  if (result.sessions === 'ended')
    return `Signed out: ${tokens}; sessions ended. Auth0 completes this within moments: the lists may show them until then.`;
  return `Signed out: ${tokens}; sessions not ended: the Auth0 plan does not allow it (they run until they expire).`;
}

/**
 * Refresh tokens and, on an Enterprise tenant, sessions (page by page, "Show more sessions"), each
 * with its count, before "Sign out everywhere" (offered while there is something to sign out of);
 * afterwards what usergate's answer says was done, and both lists read again.
 */
export function SessionsPanel({ api, userId, who, onChange }: { api: UsergateClient; userId: string; who: string; onChange?: () => void }) {
  const tokens = useList<RefreshToken>(() => api.refreshTokens(userId));
  const pages = useSessionPages(api, userId);
  const { run, view } = useOutcome(onChange);
  const sessions = pages.sessions;
  const countLine = useRef<HTMLParagraphElement>(null);
  // The button goes with the last page: the focus moves to the count, whence Tab reaches sign-out.
  const showMore = async (): Promise<void> => {
    if (!(await pages.more())) countLine.current?.focus({ preventScroll: true });
  };
  const sessionsCount = !sessions
    ? ''
    : sessions.length === 0
      ? 'No session.'
      : pages.next
        ? `First ${count(sessions.length, 'session')} shown; there are more.`
        : count(sessions.length, 'session');
  // Nothing listed and nothing failed to load: there is nothing to revoke or end.
  const nothing = tokens.items?.length === 0 && (pages.notOnPlan || (sessions?.length === 0 && !pages.next));
  const endSessions = pages.notOnPlan
    ? ''
    : sessions && sessions.length > 0 && !pages.next
      ? ` and end its ${count(sessions.length, 'session')}`
      : ' and end its sessions';
  return (
    <Section title="Sessions and refresh tokens" id="sessions">
      <h3>Refresh tokens</h3>
      <ErrorNotice error={tokens.error} />
      {tokens.items && (
        <>
          <p class="count" data-testid="refresh-tokens-count">
            {tokens.items.length === 0 ? 'No refresh token.' : count(tokens.items.length, 'refresh token')}
          </p>
          {tokens.items.length > 0 && <RefreshTokenTable tokens={tokens.items} />}
        </>
      )}
      {pages.notOnPlan ? (
        <p class="hint" data-testid="sessions-not-on-plan">
          Sessions are not listed: the tenant's Auth0 plan does not let usergate read or end them.
        </p>
      ) : (
        <>
          <h3>Sessions</h3>
          {sessions && (
            <p class="count" data-testid="sessions-count" ref={countLine} tabIndex={-1} aria-live="polite">
              {sessionsCount}
            </p>
          )}
          {sessions && sessions.length > 0 && <SessionTable sessions={sessions} />}
          <ErrorNotice error={pages.error} />
          {pages.next && (
            <p>
              <button type="button" class="paging" disabled={pages.loading} onClick={() => void showMore()}>
                {pages.loading ? 'Loading…' : 'Show more sessions'}
              </button>
            </p>
          )}
        </>
      )}
      {!nothing && (
        <div class="buttons">
          <ConfirmButton
            label="Sign out everywhere"
            danger
            question={`Revoke ${tokens.items ? `the ${count(tokens.items.length, 'refresh token')}` : 'every refresh token'} of ${who}${endSessions}? Access tokens already issued stay valid until they expire.`}
            onConfirm={async () => {
              await run(() => api.signOut(userId), signOutSummary);
              tokens.reload();
              pages.reload();
            }}
          />
        </div>
      )}
      {view}
    </Section>
  );
}
