/**
 * Every call the console makes to usergate, through the typed client of client/ (`@usergate/client`,
 * resolved to client/src/index.ts by console/vite.config.mts and console/tsconfig.json, so the console
 * builds from a plain root `npm ci` without building client/ first). This module only gives the
 * screens named calls and the shapes they read; paths, parameters, bodies and answers are typed by
 * client/'s generated schema, and every non-2xx answer rejects with client/'s `UsergateError`
 * (`status`, `errorCode`, `message`, `requestId`, `retryAfter` in seconds).
 */
import {
  createUsergateClient as createTypedClient,
  type Capabilities,
  type components,
  type Permissions,
  type UsergateClientOptions,
} from '@usergate/client';

import { data, pageFrame } from './answer';

export { UsergateError } from '@usergate/client';
export type { Capabilities, Permissions, UsergateClientOptions };

/** A user as usergate returned it, filtered to what the caller reads: the screens list whatever is there. */
export type User = Record<string, unknown> & { user_id?: string };

export interface UserPage {
  start: number;
  limit: number;
  length: number;
  total: number;
  users: User[];
}

export interface ListQuery {
  q?: string;
  page: number;
  per_page: number;
  sort?: string;
}

export type DeskAction = 'send_verification' | 'unblock' | 'reset_mfa';

export type Block = components['schemas']['UserBlocks']['blocked_for'][number];
export type AuthenticationMethod = components['schemas']['AuthenticationMethod'];
export type LogEvent = Record<string, unknown>;
export type CreateUserBody = components['schemas']['CreateUserBody'];
export type RefreshToken = components['schemas']['RefreshToken'];
export type UserSession = components['schemas']['Session'];
export interface SessionPage {
  sessions: UserSession[];
  /** Where the next page starts; absent on the last page. */
  next?: string;
}
/** What "sign out everywhere" did: refresh tokens revoked, and whether the plan let sessions be ended. */
export type SignOutResult = components['schemas']['SignOutResult'];
/** A per-user action of GET /users/{id}/capabilities. */
export type UserAction = keyof Capabilities['actions'];

export interface LogPage {
  start: number;
  limit: number;
  length: number;
  /** Auth0 counts at most the first 1000 events it can page through. */
  total: number;
  logs: LogEvent[];
}

/** A password-change ticket: the link, and when it stops working (from the lifetime the console asked for). */
export interface Ticket {
  url: string;
  expiresAt: Date;
}

/** Log event fields the caller's roles read (read_logs), as /me/permissions lists them. */
export function logFieldsOf(permissions: Permissions): string[] {
  const fields = (permissions as Permissions & { log_fields?: unknown }).log_fields;
  return Array.isArray(fields) ? fields.filter((f): f is string => typeof f === 'string') : [];
}

/** The answer of a typed call; errors never get here (client/'s middleware throws them). */

export function createUsergateClient(options: UsergateClientOptions) {
  const client = createTypedClient(options);
  const byId = (id: string) => ({ params: { path: { id } } });

  return {
    permissions: () => data(client.GET('/me/permissions')),
    async listUsers(query: ListQuery): Promise<UserPage> {
      const { q, sort, page, per_page } = query;
      const answer = await data(
        client.GET('/users', {
          params: {
            query: {
              page,
              per_page,
              include_totals: 'true',
              ...(q ? { q } : {}),
              ...(sort ? { sort } : {}),
            },
          },
        }),
      );
      const users = Array.isArray(answer) ? answer : answer.users;
      return { ...pageFrame(answer, answer.length, page, per_page), length: answer.length, users };
    },
    getUser: (id: string): Promise<User> => data(client.GET('/users/{id}', byId(id))),
    /** What the caller may do to this user, decided as the actions themselves decide. */
    capabilities: (id: string): Promise<Capabilities> => data(client.GET('/users/{id}/capabilities', byId(id))),
    // The edit form builds its body from the caller's writable fields; usergate validates it.
    updateUser: (id: string, body: Record<string, unknown>): Promise<User> =>
      data(client.PATCH('/users/{id}', { ...byId(id), body: body as components['schemas']['UpdateUserBody'] })),
    createUser: (body: CreateUserBody): Promise<User> => data(client.POST('/users', { body })),
    async deleteUser(id: string): Promise<void> {
      await client.DELETE('/users/{id}', byId(id));
    },
    /** Asks for a ticket valid `ttlSec` seconds; the expiry is counted from the answer's arrival. */
    async passwordTicket(id: string, ttlSec: number): Promise<Ticket> {
      const answer = await data(client.POST('/users/{id}/password-change-ticket', { ...byId(id), body: { ttl_sec: ttlSec } }));
      return { url: answer.ticket, expiresAt: new Date(Date.now() + ttlSec * 1000) };
    },
    async blocks(id: string): Promise<Block[]> {
      return (await data(client.GET('/users/{id}/blocks', byId(id)))).blocked_for;
    },
    authenticationMethods: (id: string): Promise<AuthenticationMethod[]> =>
      data(client.GET('/users/{id}/authentication-methods', byId(id))),
    desk(action: DeskAction, id: string): Promise<unknown> {
      switch (action) {
        case 'send_verification':
          return data(client.POST('/users/{id}/verification-email', { ...byId(id), body: {} }));
        case 'unblock':
          return data(client.DELETE('/users/{id}/blocks', byId(id)));
        case 'reset_mfa':
          return data(client.DELETE('/users/{id}/authentication-methods', byId(id)));
      }
    },
    /** What sign-out everywhere would revoke (every plan). */
    async refreshTokens(id: string): Promise<RefreshToken[]> {
      return (await data(client.GET('/users/{id}/refresh-tokens', byId(id)))).refresh_tokens;
    },
    /**
     * One page of the user's sessions, from the `next` of the page before (the first without it), and the
     * `next` of this one when more follow. Enterprise plans only (else a 501 `not_available_on_plan`).
     */
    async sessions(id: string, take: number, from?: string): Promise<SessionPage> {
      const query = { take, ...(from ? { from } : {}) };
      const answer = await data(client.GET('/users/{id}/sessions', { params: { path: { id }, query } }));
      return { sessions: answer.sessions, next: answer.next };
    },
    signOut: (id: string): Promise<SignOutResult> => data(client.DELETE('/users/{id}/sessions', byId(id))),
    async logs(id: string, page: number, perPage: number): Promise<LogPage> {
      const query = { page, per_page: perPage, include_totals: 'true' as const };
      const answer = await data(client.GET('/users/{id}/logs', { ...byId(id), params: { ...byId(id).params, query } }));
      const logs = Array.isArray(answer) ? answer : answer.logs;
      return { ...pageFrame(answer, answer.length, page, perPage), length: answer.length, logs };
    },
  };
}

export type UsergateClient = ReturnType<typeof createUsergateClient>;
