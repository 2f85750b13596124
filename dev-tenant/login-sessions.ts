import { randomBytes } from 'node:crypto';

/** The name of the dev tenant's login session cookie (Auth0's own is `auth0`). */
export const SESSION_COOKIE = 'dev_tenant_session';

/** How long a login session lasts without use, in ms (Auth0's default inactivity timeout is 3 days). */
export const SESSION_TTL_MS = 3 * 86_400_000;

/** A cookie value: 32 random bytes, base64url. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * Login sessions of the dev tenant, as Auth0 keeps them: picking a user on the login page starts one
 * (a random id in an HttpOnly cookie), a silent `/authorize` (`prompt=none`) signs that user in again
 * without a page, `/v2/logout` ends it. Each use extends it; an unused one expires.
 */
export class LoginSessions {
  private readonly sessions = new Map<string, { sub: string; expiresAt: number }>();

  constructor(private readonly now: () => number) {}

  start(sub: string): string {
    this.sweep();
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, { sub, expiresAt: this.now() + SESSION_TTL_MS });
    return id;
  }

  /** The user of a live session, which is extended; `undefined` for an unknown, malformed or expired id. */
  use(id: string | undefined): string | undefined {
    if (!id || !SESSION_ID.test(id)) return undefined;
    const session = this.sessions.get(id);
    if (!session || session.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    session.expiresAt = this.now() + SESSION_TTL_MS;
    return session.sub;
  }

  end(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(id);
  }
}

/** The session cookie's value in a `Cookie` header, if any. */
export function sessionCookieOf(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return undefined;
}

/**
 * The `Set-Cookie` value that starts (or, without an id, ends) the session. HttpOnly; SameSite=Lax,
 * which a frame of the console carries on loopback, where every port is the same site. Auth0 sets its
 * cookie `SameSite=None; Secure` over https; the dev tenant is plain http on loopback.
 */
export function sessionCookie(id: string | undefined): string {
  const base = `${SESSION_COOKIE}=${id ?? ''}; Path=/; HttpOnly; SameSite=Lax`;
  return id ? `${base}; Max-Age=${SESSION_TTL_MS / 1000}` : `${base}; Max-Age=0`;
}
