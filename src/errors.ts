import { STATUS_CODES } from 'node:http';

/**
 * An error usergate answers with: a status, a stable `code` callers can switch on, a message, and
 * optionally headers (a 401 carries `WWW-Authenticate`). Every one comes from a factory of `errors`
 * below: usergate's own codes (`ERROR_STATUS`), and Auth0's codes that pass through (`AUTH0_CODES`).
 * `cause` keeps what went wrong underneath (a socket error, an upstream status) for the log line.
 */
export class HttpError extends Error {
  override name = 'HttpError';
  /** More fields of the JSON body, after the standard ones (the readiness checks of a 503 not_ready). */
  extra?: Record<string, unknown>;
  constructor(
    readonly status: number,
    readonly code: AnswerCode,
    message: string,
    readonly headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** This error, remembering what caused it (logged with it, never answered). */
  causedBy(cause: unknown): this {
    this.cause = cause;
    return this;
  }

  /** The same code, status and headers with more said; the original is kept as the cause. */
  explained(more: string): HttpError {
    const error = new HttpError(this.status, this.code, `${this.message} ${more}`, this.headers, { cause: this });
    error.extra = this.extra;
    return error;
  }
}

/** RFC 6750 §3: the challenge that goes with every 401. */
function bearerChallenge(error: string | undefined, description: string): Record<string, string> {
  const safe = description.replace(/["\\\r\n]/g, "'");
  return {
    'WWW-Authenticate': error ? `Bearer realm="usergate", error="${error}", error_description="${safe}"` : 'Bearer realm="usergate"',
  };
}

/**
 * The catalogue: every error code usergate answers with, and its HTTP status. docs/errors.md's error table
 * documents exactly these codes with these statuses (test/unit/contract.test.ts walks both ways).
 * A new code goes here, into docs/errors.md's table (and its runbook), and gets a factory in `errors` below.
 */
export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_body: 400,
  invalid_query: 400,
  invalid_search: 400,
  invalid_paging: 400,
  invalid_user_id: 400,
  invalid_org_id: 400,
  invalid_invitation_id: 400,
  org_search_unavailable: 400,
  invalid_roles: 400,
  invalid_path: 400,
  bad_request: 400,
  result_url_not_allowed: 400,
  attribute_not_updatable: 400,
  no_password: 400,
  credentials_required: 401,
  invalid_request: 401,
  invalid_token: 401,
  token_expired: 401,
  caller_blocked: 403,
  no_role: 403,
  target_protected: 403,
  action_forbidden: 403,
  field_not_readable: 403,
  field_not_writable: 403,
  role_not_grantable: 403,
  connection_forbidden: 403,
  org_forbidden: 403,
  self_forbidden: 403,
  upstream_forbidden: 403,
  user_not_found: 404,
  org_not_found: 404,
  invitation_not_found: 404,
  upstream_not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  body_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  upstream_error: 502,
  mgmt_scope_missing: 502,
  jwks_unavailable: 503,
  mgmt_token_unavailable: 503,
  not_ready: 503,
  search_too_expensive: 503,
  not_available_on_plan: 501,
  not_configured: 501,
  upstream_timeout: 504,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * Auth0's own codes that pass through with Auth0's status (a 400 or 409 of the Management API), as
 * Auth0 documents or answers them; docs/errors.md lists them apart from usergate's. A 400 or 409 whose code is
 * missing or not listed here is answered `upstream_rejected` with Auth0's status and message.
 */
export const AUTH0_CODES = {
  auth0_idp_error: 409,
  invalid_body: 400,
  invalid_uri: 400,
  invalid_query_string: 400,
  operation_not_supported: 400,
  invalid_paging: 400,
  upstream_rejected: 400,
} as const satisfies Record<string, 400 | 409>;

export type Auth0Code = keyof typeof AUTH0_CODES;

/** Every `errorCode` usergate answers: its own catalogue and Auth0's pass-through set. */
export type AnswerCode = ErrorCode | Auth0Code;

/** The statuses on which Auth0's own code passes through. */
export const PASSTHROUGH_STATUSES = [400, 409] as const;

/** A factory of one catalogue error; `code` and `status` can be read without calling it. */
export type ErrorFactory<A extends unknown[]> = ((...args: A) => HttpError) & { readonly code: ErrorCode; readonly status: number };

/** Declares the factory of `code`: its status comes from the table, its message (and headers) from the arguments. */
function define<A extends unknown[]>(
  code: ErrorCode,
  message: (...args: A) => string,
  headers?: (...args: A) => Record<string, string>,
): ErrorFactory<A> {
  const status = ERROR_STATUS[code];
  const factory = (...args: A): HttpError => new HttpError(status, code, message(...args), headers?.(...args));
  return Object.assign(factory, { code, status });
}

const list = (names: readonly string[]): string => names.slice(0, 20).join(', ') + (names.length > 20 ? ', ...' : '');

export const errors = {
  // 400
  invalidJson: define('invalid_json', () => 'The request body is not valid JSON.'),
  invalidBody: define('invalid_body', (why: string) => why),
  invalidQuery: define('invalid_query', (why: string) => why),
  invalidUserId: define(
    'invalid_user_id',
    (why?: string) =>
      `The user id is not a valid Auth0 user id (${why ?? 'provider|id: a provider prefix, |, then no whitespace or control characters; at most 512 characters'}).`,
  ),
  invalidOrgId: define('invalid_org_id', () => 'The organization id is not an Auth0 organization id (org_ and 1 to 64 letters or digits).'),
  invalidInvitationId: define(
    'invalid_invitation_id',
    () => 'The invitation id is not an Auth0 invitation id (uinv_ and 1 to 64 letters or digits).',
  ),
  orgSearchUnavailable: define(
    'org_search_unavailable',
    (why?: string) =>
      why ??
      "Your roles are limited to your organization, and Auth0's user search cannot filter by organization membership: list without q (and without sort) to page through its members.",
  ),
  invalidPaging: define(
    'invalid_paging',
    (why?: string) => why ?? 'Only the first 1000 results can be paged through; narrow the search with q.',
  ),
  invalidSearch: define('invalid_search', (why: string) => `The search query q is not accepted: ${why}`),
  invalidRoles: define('invalid_roles', (why: string) => why),
  attributeNotUpdatable: define(
    'attribute_not_updatable',
    (fields: string[], connection: string) =>
      `Cannot change ${list(fields)} of a user whose primary identity comes from ${connection}: ` +
      'that identity provider owns these attributes (Auth0 lets name, nickname, given_name, family_name and picture ' +
      'be changed only where the connection does not sync the profile at each login). Store the value in user_metadata ' +
      'instead (for example user_metadata.picture) and let the frontend prefer it.',
  ),
  noPassword: define(
    'no_password',
    (connection: string) =>
      `The user signs in through ${connection} and has no password at Auth0: no password-change link can be made for them. ` +
      'They change their password (if any) with that identity provider.',
  ),
  invalidPath: define('invalid_path', () => 'The request path holds malformed percent-encoding.'),
  badRequest: define('bad_request', () => 'The request is malformed and cannot be read.'),
  resultUrlNotAllowed: define(
    'result_url_not_allowed',
    () => 'result_url is not one of the allowed ticket result URLs (TICKET_RESULT_URLS); ask the operator to add it.',
  ),
  // 401
  credentialsRequired: define(
    'credentials_required',
    () => 'An access token is required: send Authorization: Bearer <token>.',
    () => bearerChallenge(undefined, ''),
  ),
  invalidRequest: define(
    'invalid_request',
    (why: string) => why,
    (why) => bearerChallenge('invalid_request', why),
  ),
  invalidToken: define(
    'invalid_token',
    (why: string) => why,
    (why) => bearerChallenge('invalid_token', why),
  ),
  tokenExpired: define(
    'token_expired',
    () => 'The access token has expired.',
    () => bearerChallenge('invalid_token', 'The access token has expired'),
  ),
  // 403
  noRole: define('no_role', () => 'Your account has no role that usergate knows; only /me and /me/permissions are open to it.'),
  actionForbidden: define('action_forbidden', (action: string) => `Your roles do not allow the action "${action}".`),
  fieldsNotReadable: define(
    'field_not_readable',
    (where: string, fields: string[]) => `Your roles may not read the field(s) named in ${where}: ${list(fields)}.`,
  ),
  bareSearchTerm: define(
    'field_not_readable',
    () =>
      'A search term without a field name may match fields your roles may not read; ' +
      'name the field(s), for example q=name:jane* OR email:jane*.',
  ),
  fieldsNotWritable: define('field_not_writable', (fields: string[]) => `Your roles may not write the field(s): ${list(fields)}.`),
  roleNotGrantable: define('role_not_grantable', (roles: string[]) => `Your roles may not grant or revoke the role(s): ${list(roles)}.`),
  connectionForbidden: define(
    'connection_forbidden',
    (connection: string) => `Your roles may not create users in the connection "${connection}".`,
  ),
  orgForbidden: define('org_forbidden', () => 'Your roles may only create users in your own org.'),
  selfForbidden: define('self_forbidden', (what: string) => `You may not ${what} your own account here; use /me for your own profile.`),
  callerBlocked: define('caller_blocked', () => 'Your account is blocked; usergate answers it nothing.'),
  targetProtected: define(
    'target_protected',
    (roles: string[]) => `This user holds role(s) your roles may not grant, so you may not manage it: ${list(roles)}.`,
  ),
  deskSelfForbidden: define('self_forbidden', (action: string) => `The policy does not allow "${action}" on your own account.`),
  /** Auth0 refused the call (a 403 other than insufficient_scope); its message is kept. */
  upstreamForbidden: define('upstream_forbidden', (message: string) => `The Auth0 Management API refused the request: ${message}`),
  // 404
  userNotFound: define('user_not_found', () => 'The user does not exist.'),
  orgNotFound: define('org_not_found', () => 'The organization does not exist.'),
  invitationNotFound: define('invitation_not_found', () => 'The invitation does not exist.'),
  /** Auth0 answered 404 for something other than the target user (an authentication method, a device credential). */
  upstreamNotFound: define('upstream_not_found', (message: string) => `The Auth0 Management API found nothing there: ${message}`),
  routeNotFound: define('route_not_found', (method: string, path: string) => `No route for ${method} ${path.slice(0, 200)}.`),
  // 405, 413, 415
  methodNotAllowed: define(
    'method_not_allowed',
    (method: string, allowed: string[]) => `${method} is not allowed here; use ${allowed.join(', ')}.`,
    (_method, allowed) => ({ Allow: allowed.join(', ') }),
  ),
  bodyTooLarge: define('body_too_large', (limit: string) => `The request body is larger than ${limit}.`),
  unsupportedMediaType: define('unsupported_media_type', () => 'Send the body as application/json.'),
  // 429 and 5xx
  rateLimited: define(
    'rate_limited',
    (_retryAfterS: number) => 'The Auth0 Management API rate limit was reached; retry later.',
    (retryAfterS) => ({ 'Retry-After': String(retryAfterS) }),
  ),
  callerRateLimited: define(
    'rate_limited',
    (_retryAfterS: number) => 'You are sending requests faster than your share of usergate (CALLER_RATE); retry later.',
    (retryAfterS) => ({ 'Retry-After': String(retryAfterS) }),
  ),
  budgetExhausted: define(
    'rate_limited',
    (_retryAfterS: number) => "usergate's share of the Auth0 Management API rate limit is used up for now; retry later.",
    (retryAfterS) => ({ 'Retry-After': String(retryAfterS) }),
  ),
  internal: define('internal_error', () => 'Something went wrong inside usergate; the request id identifies it in the logs.'),
  upstreamError: define('upstream_error', (why: string) => `The Auth0 Management API failed: ${why}`),
  jwksUnavailable: define(
    'jwks_unavailable',
    () => 'The signing keys of the tenant cannot be fetched right now; retry later.',
    () => ({ 'Retry-After': '5' }),
  ),
  machineTokenUnavailable: define(
    'mgmt_token_unavailable',
    (why: string) => `usergate cannot obtain its Management API token: ${why}`,
    () => ({ 'Retry-After': '5' }),
  ),
  notReady: define('not_ready', (why: string) => `Not ready: ${why}`),
  searchTooExpensive: define(
    'search_too_expensive',
    () =>
      'Auth0 gave up on this search (it ends searches after 2 seconds). ' +
      'Retrying will not help: narrow it (exact values or prefixes such as email:jane*, fewer OR terms, a field instead of a bare term).',
  ),
  notAvailableOnPlan: define(
    'not_available_on_plan',
    (what: string) => `${what} is not available on this tenant's Auth0 plan (AUTH0_PLAN).`,
  ),
  notConfigured: define('not_configured', (setting: string) => `This feature needs ${setting}, which is not set; ask the operator.`),
  upstreamTimeout: define('upstream_timeout', () => 'The Auth0 Management API did not answer in time.'),
  missingScope: define(
    'mgmt_scope_missing',
    (scopes: string[]) =>
      `usergate's machine-to-machine application lacks the Management API scope ${scopes.length > 0 ? scopes.join(' or ') : '(unnamed)'}; grant it to the application in the Auth0 Dashboard.`,
  ),
};

/**
 * Auth0's own refusal (a 400 or 409), passed through with Auth0's status and message: under its own code
 * when `AUTH0_CODES` lists it, else as `upstream_rejected` (Auth0's code, if any, is named in the message).
 */
export function auth0Refusal(status: (typeof PASSTHROUGH_STATUSES)[number], code: unknown, message: string): HttpError {
  // A listed code only on the status it is listed with: elsewhere it would not mean what the table says.
  const listed =
    typeof code === 'string' && Object.hasOwn(AUTH0_CODES, code) && AUTH0_CODES[code as Auth0Code] === status
      ? (code as Auth0Code)
      : undefined;
  if (listed) return new HttpError(status, listed, message);
  const named = typeof code === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(code) ? ` (Auth0's code: ${code})` : '';
  return new HttpError(status, 'upstream_rejected', `${message}${named}`);
}

/** The reason phrase of a status (`error` in the JSON body), from Node's own table. */
export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}
