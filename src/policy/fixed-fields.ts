/** Never in an answer, whatever the policy says (the policy file's `hidden` adds to these). */
export const ALWAYS_HIDDEN = ['password', 'identities.access_token', 'identities.refresh_token', 'identities.access_token_secret'];

/** Never writable through usergate (`user_id` only on create). */
export const NEVER_WRITABLE = ['user_id', 'identities', 'created_at', 'updated_at', 'last_login', 'last_ip', 'logins_count', 'multifactor'];

/**
 * Root attributes the identity provider owns for social and enterprise users (profile sync on):
 * Auth0 refuses to change them, so usergate explains why before forwarding.
 */
export const PROVIDER_OWNED = ['email', 'password', 'name', 'given_name', 'family_name', 'nickname', 'picture', 'username'];

/** Root attributes of a user that `fields` may name (the OpenAPI document's list). */
export const USER_ATTRIBUTES = ['phone_number', 'email', 'email_verified', 'picture', 'username', 'user_id', 'name', 'nickname',
  'created_at', 'identities', 'app_metadata', 'user_metadata', 'last_ip', 'last_login', 'logins_count', 'updated_at', 'blocked',
  'family_name', 'given_name'];

/** Fields a bare search term (no field name) is matched against by Auth0; a caller must read them all to use one. */
export const NORMALIZED_SEARCH_FIELDS = ['email', 'name', 'given_name', 'family_name', 'nickname', 'username', 'phone_number', 'user_id'];

/** The actions of the policy file. */
export const ACTIONS = ['list', 'read', 'create', 'update', 'delete'] as const;
export type Action = (typeof ACTIONS)[number];
