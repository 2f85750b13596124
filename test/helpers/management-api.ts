import type { DevTenant } from '../../dev-tenant';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Calls a dev tenant's Management API directly, as usergate would, with a machine token. */
export function managementApi(tenant: DevTenant, defaultToken: () => string) {
  return async (path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<ApiAnswer> => {
    const res = await fetch(`${tenant.url}/api/v2${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${init.token ?? defaultToken()}`,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as unknown };
  };
}

/** Auth0's answer when the Management API rate limit is spent (no Retry-After is promised). */
export const AUTH0_RATE_LIMITED_BODY = {
  statusCode: 429,
  error: 'Too Many Requests',
  message: 'Global limit has been reached',
  errorCode: 'too_many_requests',
};
