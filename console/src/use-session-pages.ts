import { useEffect, useState } from 'preact/hooks';
import { UsergateError, type UsergateClient, type UserSession } from './api';

/** Sessions asked per page: a phone shows each as a card, ten are a screen or two. */
export const SESSIONS_PER_PAGE = 10;

/**
 * The user's sessions page by page (Auth0's checkpoint paging: each page names where the next
 * starts): the first on mount and on `reload()`, the next appended by `more()`. A 501
 * `not_available_on_plan` sets `notOnPlan` (the tenant's plan keeps sessions from usergate).
 */
export function useSessionPages(api: UsergateClient, userId: string) {
  const [sessions, setSessions] = useState<UserSession[]>();
  const [next, setNext] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [notOnPlan, setNotOnPlan] = useState(false);
  const [loading, setLoading] = useState(false);
  /** Loads a page; resolves to whether more follow. */
  const load = (from?: string): Promise<boolean> => {
    setError(undefined);
    setLoading(true);
    return api.sessions(userId, SESSIONS_PER_PAGE, from).then(
      (page) => {
        setSessions((before) => (from ? [...(before ?? []), ...page.sessions] : page.sessions));
        setNext(page.next);
        setLoading(false);
        return page.next !== undefined;
      },
      (err: unknown) => {
        setLoading(false);
        if (err instanceof UsergateError && err.errorCode === 'not_available_on_plan') setNotOnPlan(true);
        else setError(err);
        // A first page that failed shows no list; a later one keeps what was loaded, and `next` to try again.
        if (!from) setSessions(undefined);
        return from !== undefined;
      },
    );
  };
  useEffect(() => void load(), []);
  return {
    sessions,
    next,
    error,
    notOnPlan,
    loading,
    reload: () => void load(),
    more: (): Promise<boolean> => (next ? load(next) : Promise.resolve(false)),
  };
}
