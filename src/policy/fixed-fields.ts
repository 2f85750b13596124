/** Never in an answer, whatever the policy says (the policy file's `hidden` adds to these). */
export const ALWAYS_HIDDEN = ['password', 'identities.access_token', 'identities.refresh_token', 'identities.access_token_secret'];

/** Never writable through usergate (`user_id` only on create). */
export const NEVER_WRITABLE = ['user_id', 'identities', 'created_at', 'updated_at', 'last_login', 'last_ip', 'logins_count', 'multifactor'];

/**
 * Root attributes Auth0 never lets the Management API change for social and enterprise users, so
 * usergate explains why before forwarding. `name`, `nickname`, `given_name`, `family_name` and
 * `picture` are not here: they are editable where the connection's profile sync is off, which only
 * Auth0 knows; its `operation_not_supported` answer is mapped to the same error.
 */
export const PROVIDER_OWNED = ['email', 'password', 'username'];

/** Root attributes of a user that `fields` may name (the OpenAPI document's list). */
export const USER_ATTRIBUTES = ['phone_number', 'email', 'email_verified', 'picture', 'username', 'user_id', 'name', 'nickname',
  'created_at', 'identities', 'app_metadata', 'user_metadata', 'last_ip', 'last_login', 'logins_count', 'updated_at', 'blocked',
  'family_name', 'given_name'];

/** Fields a bare search term (no field name) is matched against by Auth0; a caller must read them all to use one. */
export const NORMALIZED_SEARCH_FIELDS = ['email', 'name', 'given_name', 'family_name', 'nickname', 'username', 'phone_number', 'user_id'];

/** The actions of the policy file. */
export const ACTIONS = ['list', 'read', 'create', 'update', 'delete'] as const;
export type Action = (typeof ACTIONS)[number];
