import { z } from './zod';

import { AUTH0_CODES, ERROR_STATUS, PASSTHROUGH_STATUSES, type ErrorCode } from '../../errors';

export { ERROR_STATUS, type ErrorCode };

/** Auth0's own error codes pass through on these statuses (for example 409 `auth0_idp_error`). */
export const UPSTREAM_PASSTHROUGH_STATUSES = PASSTHROUGH_STATUSES;

/** What every route behind the token check may answer: token, caller resolution, upstream trouble. */
export const AUTHENTICATED: ErrorCode[] = [
  'invalid_query',
  'invalid_path',
  'bad_request',
  'credentials_required',
  'invalid_request',
  'invalid_token',
  'token_expired',
  'caller_blocked',
  'jwks_unavailable',
  'mgmt_token_unavailable',
  'mgmt_scope_missing',
  'upstream_error',
  'upstream_timeout',
  'rate_limited',
  'internal_error',
];
/** Auth0's own refusals on a forwarded call (a 403 other than a missing scope, a 404 on something else than the target). */
export const FORWARDED: ErrorCode[] = ['upstream_forbidden', 'upstream_not_found'];
/** Routes that take a JSON body. */
export const WITH_BODY: ErrorCode[] = ['invalid_json', 'invalid_body', 'body_too_large', 'unsupported_media_type'];

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request',
  401: 'No valid access token',
  403: 'Refused (by the policy, or by Auth0: `upstream_forbidden`)',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict at Auth0',
  413: 'Body too large',
  415: 'Not JSON',
  429: 'Rate limited',
  500: 'A bug in usergate',
  501: 'Not available here',
  502: 'Auth0 failed',
  503: 'A dependency is unavailable',
  504: 'Auth0 timed out',
};

const requestIdHeader = {
  'x-request-id': {
    description: "usergate's id of the request (an x-request-id you send is only logged, as client_request_id); it is also in the body.",
    schema: { type: 'string' as const },
  },
};
const HEADERS: Record<number, Record<string, { description: string; schema: { type: 'string' } }>> = {
  401: {
    'WWW-Authenticate': {
      description: 'RFC 6750 challenge: `Bearer realm="usergate", error=..., error_description=...`',
      schema: { type: 'string' },
    },
  },
  405: { Allow: { description: 'The methods this path takes.', schema: { type: 'string' } } },
  429: { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'string' } } },
  503: {
    'Retry-After': {
      description: 'Seconds to wait before retrying (jwks_unavailable, mgmt_token_unavailable).',
      schema: { type: 'string' },
    },
  },
};

const errorFields = {
  statusCode: z.number().int().openapi({ description: 'The HTTP status, repeated.' }),
  error: z.string().openapi({ description: 'The reason phrase of the status.', example: 'Forbidden' }),
  message: z.string().openapi({ description: 'What went wrong, for a person.' }),
  errorCode: z.string().openapi({ description: 'A stable code to switch on (see each response for the values).' }),
  requestId: z.string().openapi({ description: "The request id: finds the request in usergate's logs." }),
};

/** Every error usergate answers has this body, and no other key; each response narrows `errorCode` to its values. */
export const ErrorResponse = z
  .object(errorFields)
  .strict()
  .openapi('Error', { description: 'Every error usergate answers has this body.' });

/** The error body with `errorCode` narrowed (inlined in the document: a closed object cannot be extended by `allOf`). */
export function errorBody(codes: z.ZodTypeAny) {
  return z.object({ ...errorFields, errorCode: codes }).strict();
}

const upstreamCode = (status: number) =>
  z.enum(
    Object.entries(AUTH0_CODES)
      .filter(([code, usual]) => usual === status || code === 'upstream_rejected')
      .map(([code]) => code)
      .sort() as [string, ...string[]],
  );

export interface ResponseConfig {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema: z.ZodTypeAny }>;
}

/** The error responses of a route, grouped by status, each with its errorCode values. */
export function errorResponses(
  codes: readonly ErrorCode[],
  options: { forwards?: boolean; extra?: Record<string, number> } = {},
): Record<string, ResponseConfig> {
  const byStatus = new Map<number, string[]>();
  const all: [string, number][] = [...new Set([...codes, ...(options.forwards ? FORWARDED : [])])].map((code) => [
    code,
    ERROR_STATUS[code],
  ]);
  for (const [code, status] of [...all, ...Object.entries(options.extra ?? {})])
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  if (options.forwards) for (const status of UPSTREAM_PASSTHROUGH_STATUSES) if (!byStatus.has(status)) byStatus.set(status, []);
  const out: Record<string, ResponseConfig> = {};
  for (const [status, list] of [...byStatus.entries()].sort(([a], [b]) => a - b)) {
    const passthrough = options.forwards && (UPSTREAM_PASSTHROUGH_STATUSES as readonly number[]).includes(status);
    const code = z.enum([...new Set([...list, ...(passthrough ? upstreamCode(status).options : [])])].sort() as [string, ...string[]]);
    out[String(status)] = {
      description: `${STATUS_TEXT[status] ?? 'Error'}: ${list.length > 0 ? list.map((c) => `\`${c}\``).join(', ') : ''}${
        passthrough
          ? `${list.length > 0 ? ', or ' : ''}Auth0's own code passed through (${upstreamCode(status)
              .options.map((c) => `\`${c}\``)
              .join(', ')})`
          : ''
      }`,
      headers: { ...requestIdHeader, ...HEADERS[status] },
      content: { 'application/json': { schema: errorBody(code) } },
    };
  }
  return out;
}

/** A success response with a JSON body. */
export function json(description: string, schema: z.ZodTypeAny): ResponseConfig {
  return { description, headers: requestIdHeader, content: { 'application/json': { schema } } };
}

/** A success response without a body. */
export function empty(description: string): ResponseConfig {
  return { description, headers: requestIdHeader };
}
