import { randomBytes } from 'node:crypto';
import type { DevTenant, StoredUser } from '../../dev-tenant';

/** Puts a fresh user into the dev tenant's store, for a test that may change or delete it. */
export function seedTarget(tenant: DevTenant, options: { org?: string; social?: boolean; roles?: string[] } = {}): StoredUser {
  const raw = randomBytes(12).toString('hex');
  const provider = options.social ? 'google-oauth2' : 'auth0';
  const now = new Date().toISOString();
  const user: StoredUser = {
    user_id: `${provider}|${raw}`,
    email: `target-${raw}@${options.org ?? 'none'}.example`,
    email_verified: false,
    name: `Target ${raw.slice(0, 6)}`,
    nickname: `t${raw.slice(0, 6)}`,
    given_name: 'Target',
    family_name: raw.slice(0, 6),
    picture: 'https://avatars.example/t.png',
    created_at: now,
    updated_at: now,
    last_ip: '192.0.2.200',
    logins_count: 3,
    identities: [
      options.social
        ? { connection: 'google-oauth2', provider, user_id: raw, isSocial: true, access_token: `ya29.${raw}`, refresh_token: `1//${raw}` }
        : { connection: 'Username-Password-Authentication', provider, user_id: raw, isSocial: false },
    ],
    app_metadata: { ...(options.org ? { org: options.org } : {}), ...(options.roles ? { roles: options.roles } : {}) },
    user_metadata: { locale: 'en' },
    password_hash: 'x',
  };
  tenant.store.put(user);
  return user;
}
