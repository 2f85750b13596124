/**
 * Every call the console makes to usergate, through the typed client of client/ (`@usergate/client`,
 * resolved to client/src/index.ts by console/vite.config.mts and console/tsconfig.json, so the console
 * builds from a plain root `npm ci` without building client/ first). This module only gives the
 * screens six named calls and the shapes they read; paths, parameters, bodies and answers are typed by
 * client/'s generated schema, and every non-2xx answer rejects with client/'s `UsergateError`
 * (`status`, `errorCode`, `message`, `requestId`, `retryAfter` in seconds).
 */
import { createUsergateClient as createTypedClient, type components, type Permissions, type UsergateClientOptions } from '@usergate/client';

export { UsergateError } from '@usergate/client';
export type { Permissions, UsergateClientOptions };

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

export type DeskAction = 'reset_password' | 'send_verification' | 'unblock' | 'reset_mfa' | 'logout';

/** The answer of a typed call; errors never get here (client/'s middleware throws them). */
async function data<T>(call: Promise<{ data?: T }>): Promise<T> {
  return (await call).data as T;
}

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
      // With include_totals usergate answers a page; a bare array is still shown, as one page.
      if (Array.isArray(answer))
        return { start: page * per_page, limit: per_page, length: answer.length, total: answer.length, users: answer };
      return {
        start: answer.start ?? page * per_page,
        limit: answer.limit ?? per_page,
        length: answer.length,
        total: answer.total ?? answer.length,
        users: answer.users,
      };
    },
    getUser: (id: string): Promise<User> => data(client.GET('/users/{id}', byId(id))),
    // The edit form builds its body from the caller's writable fields; usergate validates it.
    updateUser: (id: string, body: Record<string, unknown>): Promise<User> =>
      data(client.PATCH('/users/{id}', { ...byId(id), body: body as components['schemas']['UpdateUserBody'] })),
    desk(action: DeskAction, id: string): Promise<unknown> {
      switch (action) {
        case 'reset_password':
          return data(client.POST('/users/{id}/password-change-ticket', { ...byId(id), body: {} }));
        case 'send_verification':
          return data(client.POST('/users/{id}/verification-email', { ...byId(id), body: {} }));
        case 'unblock':
          return data(client.DELETE('/users/{id}/blocks', byId(id)));
        case 'reset_mfa':
          return data(client.DELETE('/users/{id}/authentication-methods', byId(id)));
        case 'logout':
          return data(client.DELETE('/users/{id}/sessions', byId(id)));
      }
    },
    async logs(id: string): Promise<Record<string, unknown>[]> {
      const answer = await data(client.GET('/users/{id}/logs', byId(id)));
      return Array.isArray(answer) ? answer : answer.logs;
    },
  };
}

export type UsergateClient = ReturnType<typeof createUsergateClient>;
