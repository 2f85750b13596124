/**
 * The one catalogue of errors usergate answers with. Every error has a status, a stable `code`
 * callers can switch on, a message, and optionally headers (a 401 carries `WWW-Authenticate`).
 */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** RFC 6750 §3: the challenge that goes with every 401. */
function bearerChallenge(error: string | undefined, description: string): Record<string, string> {
  const safe = description.replace(/["\\\r\n]/g, "'");
  return {
    'WWW-Authenticate': error
      ? `Bearer realm="usergate", error="${error}", error_description="${safe}"`
      : 'Bearer realm="usergate"',
  };
}

const list = (names: string[]): string => names.slice(0, 20).join(', ') + (names.length > 20 ? ', ...' : '');

export const errors = {
  // 400
  invalidJson: () => new HttpError(400, 'invalid_json', 'The request body is not valid JSON.'),
  invalidBody: (why: string) => new HttpError(400, 'invalid_body', why),
  invalidQuery: (why: string) => new HttpError(400, 'invalid_query', why),
  invalidUserId: (why = 'provider|id: a provider prefix, |, then no whitespace or control characters; at most 512 characters') =>
    new HttpError(400, 'invalid_user_id', `The user id is not a valid Auth0 user id (${why}).`),
  invalidPaging: () => new HttpError(400, 'invalid_paging', 'Only the first 1000 results can be paged through; narrow the search with q.'),
  invalidSearch: (why: string) => new HttpError(400, 'invalid_search', `The search query q is not accepted: ${why}`),
  invalidRoles: (why: string) => new HttpError(400, 'invalid_roles', why),
  attributeNotUpdatable: (fields: string[], connection: string) =>
    new HttpError(400, 'attribute_not_updatable',
      `Cannot change ${list(fields)} of a user whose primary identity comes from ${connection}: ` +
      'that identity provider owns these attributes (Auth0 lets name, nickname, given_name, family_name and picture ' +
      'be changed only where the connection does not sync the profile at each login). Store the value in user_metadata ' +
      'instead (for example user_metadata.picture) and let the frontend prefer it.'),
  searchTooExpensive: () =>
    new HttpError(503, 'search_too_expensive', 'Auth0 gave up on this search (it ends searches after 2 seconds). ' +
      'Retrying will not help: narrow it (exact values or prefixes such as email:jane*, fewer OR terms, a field instead of a bare term).'),
  // 401
  credentialsRequired: () => new HttpError(401, 'credentials_required', 'An access token is required: send Authorization: Bearer <token>.', bearerChallenge(undefined, '')),
  invalidRequest: (why: string) => new HttpError(401, 'invalid_request', why, bearerChallenge('invalid_request', why)),
  invalidToken: (why: string) => new HttpError(401, 'invalid_token', why, bearerChallenge('invalid_token', why)),
  tokenExpired: () => new HttpError(401, 'token_expired', 'The access token has expired.', bearerChallenge('invalid_token', 'The access token has expired')),
  // 403
  noRole: () => new HttpError(403, 'no_role', 'Your account has no role that usergate knows; only /me and /me/permissions are open to it.'),
  actionForbidden: (action: string) => new HttpError(403, 'action_forbidden', `Your roles do not allow the action "${action}".`),
  fieldsNotReadable: (where: string, fields: string[]) =>
    new HttpError(403, 'field_not_readable', `Your roles may not read the field(s) named in ${where}: ${list(fields)}.`),
  bareSearchTerm: () =>
    new HttpError(403, 'field_not_readable', 'A search term without a field name may match fields your roles may not read; ' +
      'name the field(s), for example q=name:jane* OR email:jane*.'),
  fieldsNotWritable: (fields: string[]) => new HttpError(403, 'field_not_writable', `Your roles may not write the field(s): ${list(fields)}.`),
  roleNotGrantable: (roles: string[]) => new HttpError(403, 'role_not_grantable', `Your roles may not grant or revoke the role(s): ${list(roles)}.`),
  connectionForbidden: (connection: string) => new HttpError(403, 'connection_forbidden', `Your roles may not create users in the connection "${connection}".`),
  orgForbidden: () => new HttpError(403, 'org_forbidden', 'Your roles may only create users in your own org.'),
  selfForbidden: (what: string) => new HttpError(403, 'self_forbidden', `You may not ${what} your own account here; use /me for your own profile.`),
  // 404
  userNotFound: () => new HttpError(404, 'user_not_found', 'The user does not exist.'),
  routeNotFound: (method: string, path: string) => new HttpError(404, 'route_not_found', `No route for ${method} ${path.slice(0, 200)}.`),
  // 405, 413, 415
  methodNotAllowed: (method: string, allowed: string[]) =>
    new HttpError(405, 'method_not_allowed', `${method} is not allowed here; use ${allowed.join(', ')}.`, { Allow: allowed.join(', ') }),
  bodyTooLarge: (limit: string) => new HttpError(413, 'body_too_large', `The request body is larger than ${limit}.`),
  unsupportedMediaType: () => new HttpError(415, 'unsupported_media_type', 'Send the body as application/json.'),
  // 429 and 5xx
  rateLimited: (retryAfterS: number) =>
    new HttpError(429, 'rate_limited', 'The Auth0 Management API rate limit was reached; retry later.', { 'Retry-After': String(retryAfterS) }),
  internal: () => new HttpError(500, 'internal_error', 'Something went wrong inside usergate; the request id identifies it in the logs.'),
  upstreamError: (why: string) => new HttpError(502, 'upstream_error', `The Auth0 Management API failed: ${why}`),
  jwksUnavailable: () => new HttpError(503, 'jwks_unavailable', 'The signing keys of the tenant cannot be fetched right now; retry later.', { 'Retry-After': '5' }),
  machineTokenUnavailable: (why: string) =>
    new HttpError(503, 'mgmt_token_unavailable', `usergate cannot obtain its Management API token: ${why}`, { 'Retry-After': '5' }),
  notReady: (why: string) => new HttpError(503, 'not_ready', `Not ready: ${why}`),
  upstreamTimeout: () => new HttpError(504, 'upstream_timeout', 'The Auth0 Management API did not answer in time.'),
};

const reasons: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity',
  429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function reasonPhrase(status: number): string {
  return reasons[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}
