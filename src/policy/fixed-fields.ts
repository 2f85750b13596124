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
export const USER_ATTRIBUTES = [
  'phone_number',
  'email',
  'email_verified',
  'picture',
  'username',
  'user_id',
  'name',
  'nickname',
  'created_at',
  'identities',
  'app_metadata',
  'user_metadata',
  'last_ip',
  'last_login',
  'logins_count',
  'updated_at',
  'blocked',
  'family_name',
  'given_name',
];

/** Fields a bare search term (no field name) is matched against by Auth0; a caller must read them all to use one. */
export const NORMALIZED_SEARCH_FIELDS = ['email', 'name', 'given_name', 'family_name', 'nickname', 'username', 'phone_number', 'user_id'];

/** The support desk's actions: each works on one existing user, under the same scope and target protection. */
export const DESK_ACTIONS = ['reset_password', 'send_verification', 'unblock', 'reset_mfa', 'logout', 'read_logs'] as const;
export type DeskAction = (typeof DESK_ACTIONS)[number];

/**
 * Organization member management (the /orgs/:org_id routes): each works in one organization, which a
 * role reaches when its scope is `all` or the organization is the caller's own.
 */
export const ORG_ACTIONS = ['list_members', 'remove_member', 'invite', 'revoke_invitation'] as const;
export type OrgAction = (typeof ORG_ACTIONS)[number];

/** The actions of the policy file. */
export const ACTIONS = ['list', 'read', 'create', 'update', 'delete', ...DESK_ACTIONS, ...ORG_ACTIONS] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * The fields of an Auth0 log event a role's `log_fields` may name (the Management API's Log schema).
 * There is no `*`: `ip`, `user_agent`, `details` and the rest are personal data, readable only where named.
 */
export const LOG_FIELDS = [
  'date',
  'type',
  'description',
  'client_id',
  'client_name',
  'connection',
  'connection_id',
  'strategy',
  'strategy_type',
  'audience',
  'scope',
  'user_id',
  'user_name',
  'log_id',
  'hostname',
  'isMobile',
  'ip',
  'user_agent',
  'details',
  'location_info',
  'security_context',
] as const;
export type LogField = (typeof LOG_FIELDS)[number];
