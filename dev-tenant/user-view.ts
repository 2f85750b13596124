import type { StoredUser } from './user-store';

const IDP_TOKEN_KEYS = ['access_token', 'refresh_token', 'access_token_secret'] as const;

/** What the Management API returns for a user: never the password, IdP tokens only with `read:user_idp_tokens`. */
export function publicView(user: StoredUser, withIdpTokens: boolean): Record<string, unknown> {
  const { password_hash: _omit, ...rest } = structuredClone(user);
  if (!withIdpTokens) {
    for (const identity of rest.identities) for (const key of IDP_TOKEN_KEYS) delete identity[key];
  }
  return rest;
}

/** Applies `fields` / `include_fields` to a user (top-level attributes only, as Auth0 does). */
export function project(view: Record<string, unknown>, fields: string | undefined, includeFields: boolean): Record<string, unknown> {
  if (!fields) return view;
  const names = new Set(
    fields
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean),
  );
  return Object.fromEntries(Object.entries(view).filter(([key]) => names.has(key) === includeFields));
}
