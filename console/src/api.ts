/**
 * Every call the console makes to usergate, behind one module with the shape of client/'s
 * `createUsergateClient({ baseUrl, getToken, fetch? })` and its `UsergateError`. Until the console
 * is wired to that package, this file implements the same calls with fetch.
 */

export interface UsergateClientOptions {
  /** usergate's origin (the console's own, when served at /console). */
  baseUrl: string;
  /** The caller's access token for usergate's audience. */
  getToken: () => Promise<string>;
  fetch?: typeof fetch;
}

/** usergate's JSON error: `{statusCode, error, message, errorCode, requestId}`, plus Retry-After on 429. */
export class UsergateError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errorCode: string,
    readonly requestId: string | undefined,
    /** Seconds to wait before retrying (from Retry-After), when usergate said so. */
    readonly retryAfter: number | undefined,
  ) {
    super(message);
    this.name = 'UsergateError';
  }
}

export type User = Record<string, unknown> & { user_id?: string };

export interface UserPage {
  start: number;
  limit: number;
  length: number;
  total: number;
  users: User[];
}

/** GET /me/permissions: what the console may offer. */
export interface Permissions {
  sub: string;
  roles: string[];
  org: string | null;
  actions: string[];
  scope: Record<string, 'all' | 'org'>;
  read: string[];
  write: string[];
  grant: string[];
  connections: string[];
}

export interface ListQuery {
  q?: string;
  page: number;
  per_page: number;
  sort?: string;
}

export type DeskAction = 'reset_password' | 'send_verification' | 'unblock' | 'reset_mfa' | 'logout';

/** The support-desk routes (DESIGN.md's table): method and path under /users/:id. */
export const DESK_ROUTES: Record<DeskAction, { method: 'POST' | 'DELETE'; path: string }> = {
  reset_password: { method: 'POST', path: 'password-change-ticket' },
  send_verification: { method: 'POST', path: 'verification-email' },
  unblock: { method: 'DELETE', path: 'blocks' },
  reset_mfa: { method: 'DELETE', path: 'authentication-methods' },
  logout: { method: 'DELETE', path: 'sessions' },
};

function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header)) return Number(header);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

export function createUsergateClient(options: UsergateClientOptions) {
  const doFetch = options.fetch ?? fetch.bind(globalThis);
  const base = options.baseUrl.replace(/\/+$/, '');

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${await options.getToken()}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await doFetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const err = (json ?? {}) as { message?: string; errorCode?: string; requestId?: string };
      throw new UsergateError(
        err.message ?? `usergate answered ${res.status}`,
        res.status,
        err.errorCode ?? 'unknown_error',
        err.requestId ?? res.headers.get('x-request-id') ?? undefined,
        retryAfterSeconds(res.headers.get('retry-after')),
      );
    }
    return json as T;
  }

  const userPath = (id: string, rest = ''): string => `/users/${encodeURIComponent(id)}${rest ? `/${rest}` : ''}`;

  return {
    permissions: () => call<Permissions>('GET', '/me/permissions'),
    listUsers(query: ListQuery): Promise<UserPage> {
      const params = new URLSearchParams({ page: String(query.page), per_page: String(query.per_page), include_totals: 'true' });
      if (query.q) params.set('q', query.q);
      if (query.sort) params.set('sort', query.sort);
      return call<UserPage>('GET', `/users?${params.toString()}`);
    },
    getUser: (id: string) => call<User>('GET', userPath(id)),
    updateUser: (id: string, body: Record<string, unknown>) => call<User>('PATCH', userPath(id), body),
    desk: (action: DeskAction, id: string) => call<unknown>(DESK_ROUTES[action].method, userPath(id, DESK_ROUTES[action].path), DESK_ROUTES[action].method === 'POST' ? {} : undefined),
    logs: (id: string) => call<Record<string, unknown>[]>('GET', userPath(id, 'logs')),
  };
}

export type UsergateClient = ReturnType<typeof createUsergateClient>;
