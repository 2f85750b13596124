// A frontend's use of the client; `npm test` compiles it against the built types, so a change of the
// document that breaks callers breaks this build.
import { createUsergateClient, UsergateError, type User } from '@usergate/client';

declare function currentAccessToken(): Promise<string>;

export async function supportView(email: string): Promise<User[]> {
  const usergate = createUsergateClient({ baseUrl: 'https://admin.acme.example/usergate', getToken: currentAccessToken });
  const { data: me } = await usergate.GET('/me/permissions');
  if (!me?.actions.includes('list')) return [];
  try {
    const { data } = await usergate.GET('/users', { params: { query: { q: `email:"${email}"`, per_page: 20, include_totals: 'true' } } });
    if (!data) return [];
    const users: User[] = Array.isArray(data) ? data : data.users;
    await usergate.PATCH('/users/{id}', {
      params: { path: { id: users[0]?.user_id ?? 'auth0|x' } },
      body: { blocked: false, user_metadata: { note: 'checked' } },
    });
    await usergate.POST('/users/{id}/password-change-ticket', { params: { path: { id: 'auth0|x' } }, body: { ttl_sec: 3600 } });
    return users;
  } catch (err) {
    if (err instanceof UsergateError && err.errorCode === 'rate_limited') {
      const wait: number | undefined = err.retryAfter;
      console.warn(`retry in ${wait ?? 1}s (request ${err.requestId ?? '?'})`);
    }
    throw err;
  }
}
