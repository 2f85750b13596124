import { errors } from '../../errors';
import { LOG_SORT_FIELDS, MAX_PER_PAGE, PAGING_CAP } from '../../management/auth0-limits';
import { AUTHENTICATED, empty, errorResponses, json, WITH_BODY, type ErrorCode } from './errors';
import type { RouteContract } from './route';
import { wholeNumber } from './params';
import { NoQuery, USER_ID_ERRORS, UserIdParams } from './users';
import { z } from './zod';

/**
 * The support desk (password reset, verification email, unblock, MFA reset, sign-out, login history):
 * the routes as mounted (src/routes/route-table.ts), the document, the typed client and the response
 * checks of the test suite all come from here.
 */

const DESK: ErrorCode[] = [
  ...AUTHENTICATED,
  'invalid_user_id',
  'user_not_found',
  'no_role',
  'action_forbidden',
  'self_forbidden',
  'target_protected',
];
/** The longest password-change ticket a caller may ask for, in s (30 days); Auth0's default is 5 days. */
export const MAX_TICKET_TTL_S = 2_592_000;

const deskErrors = (extra: ErrorCode[] = []) => errorResponses([...DESK, ...extra], { forwards: true });

export const PasswordChangeTicketBody = z
  .object({
    result_url: z.string().url().max(2000).openapi({
      description:
        'Where the classic Universal Login sends the user afterwards; must be one of `TICKET_RESULT_URLS`. Without it the ticket names `TICKET_CLIENT_ID`, the application the New Universal Login sends the user back to.',
    }),
    ttl_sec: z
      .number()
      .int()
      .min(0)
      .max(MAX_TICKET_TTL_S)
      .openapi({ description: "Lifetime of the ticket, in s, at most 2,592,000 (30 days); Auth0's default (5 days) when absent." }),
    mark_email_as_verified: z.boolean(),
    includeEmailInRedirect: z.boolean(),
  })
  .partial()
  .strict()
  .openapi('PasswordChangeTicketBody');

export const PasswordChangeTicket = z
  .object({
    ticket: z.string().openapi({ description: 'A bearer link: hand it to the user only; usergate never logs it.' }),
  })
  .strict()
  .openapi('PasswordChangeTicket');

export const VerificationEmailJob = z
  .object({
    id: z.string(),
    type: z.string(),
    status: z.string().openapi({ description: 'As Auth0 answers it: `pending` at first, the email goes out later.' }),
    created_at: z.string().optional(),
  })
  .strict()
  .openapi('VerificationEmailJob');

export const UserBlocks = z
  .object({
    blocked_for: z.array(
      z
        .object({
          identifier: z.string(),
          ip: z.string().optional().openapi({ description: "Only for a caller whose roles' `log_fields` name `ip`." }),
          connection: z.string().optional(),
        })
        .strict(),
    ),
  })
  .strict()
  .openapi('UserBlocks', { description: 'Brute-force blocks (not the `blocked` attribute).' });

export const AuthenticationMethod = z
  .object({
    id: z.string(),
    type: z.string(),
    name: z.string().optional(),
    created_at: z.string().optional(),
    confirmed: z.boolean().optional(),
    enrolled_at: z.string().optional(),
    last_auth_at: z.string().optional(),
  })
  .strict()
  .openapi('AuthenticationMethod', { description: 'An enrolled factor: type, name, dates; never a secret.' });

/** Where a session or a refresh token was used; the same cut for both (src/operations/device-seen.ts). */
const deviceSeen = (of: string) =>
  z
    .object({
      initial_ip: z.string(),
      last_ip: z.string(),
      initial_user_agent: z.string(),
      last_user_agent: z.string(),
    })
    .partial()
    .strict()
    .optional()
    .openapi({
      description: `Where the ${of} came from and was last used: IPs and user agents only for a caller whose roles' \`log_fields\` name \`ip\` / \`user_agent\`.`,
    });

export const Session = z
  .object({
    id: z.string(),
    created_at: z.string().optional(),
    updated_at: z.string().optional(),
    authenticated_at: z.string().optional(),
    last_interacted_at: z.string().optional(),
    expires_at: z.string().optional(),
    idle_expires_at: z.string().optional(),
    clients: z.array(z.object({ client_id: z.string().optional() }).strict()).optional(),
    device: deviceSeen('session'),
  })
  .strict()
  .openapi('Session');

const FROM_MESSAGE = 'from must be the `next` value of a previous answer';

export const SessionsQuery = z
  .object({
    from: z
      .string()
      .min(1, FROM_MESSAGE)
      .max(512, FROM_MESSAGE)
      .regex(/^[A-Za-z0-9_.~=+/-]+$/, FROM_MESSAGE)
      .optional()
      .openapi({ description: 'The `next` value of a previous answer.' }),
    take: wholeNumber('take', 1, MAX_PER_PAGE, `Sessions per page, from 1 to ${MAX_PER_PAGE}.`).optional(),
  })
  .strict();

export const Sessions = z
  .object({ sessions: z.array(Session), next: z.string().optional() })
  .strict()
  .openapi('Sessions');

export const LogEvent = z
  .record(z.unknown())
  .openapi('LogEvent', { description: "A log event, cut to the role's `log_fields` (none by default)." });

export const SignOutResult = z
  .object({
    sessions: z.enum(['ended', 'not_available_on_plan']).openapi({
      description: '`ended` (AUTH0_PLAN=enterprise; asynchronous at Auth0), or `not_available_on_plan`: sessions run until they expire.',
    }),
    refresh_tokens_revoked: z.number().int().min(0),
  })
  .openapi('SignOutResult', {
    description: 'What sign-out did. Access tokens already issued stay valid until they expire: nothing recalls them.',
  });

export const RefreshToken = z
  .object({
    id: z.string(),
    type: z.enum(['refresh_token', 'rotating_refresh_token']),
    client_id: z.string().optional(),
    device_name: z.string().optional(),
    session_id: z.string().optional(),
    created_at: z.string().optional(),
    expires_at: z.string().optional(),
    idle_expires_at: z.string().optional(),
    last_exchanged_at: z.string().optional().openapi({ description: 'When the token was last used.' }),
    device: deviceSeen('refresh token'),
  })
  .openapi('RefreshToken', {
    description:
      'A refresh token of the user: which application holds it; never the token itself. On an Enterprise plan (`AUTH0_PLAN=enterprise`) with its dates, its session and where it was used; otherwise through device credentials, with the `device_name` they carry.',
  });

export const RefreshTokens = z.object({ refresh_tokens: z.array(RefreshToken) }).openapi('RefreshTokens');

/** No body, or `{}`: the request takes no fields. */
export const NoBody = z.object({}).strict().openapi('NoBody', { description: 'No fields: send no body or `{}`.' });

export const UserLogsQuery = z
  .object({
    page: wholeNumber('page', 0, 999).optional(),
    per_page: wholeNumber('per_page', 1, MAX_PER_PAGE).optional(),
    sort: z
      .string()
      .regex(
        new RegExp(`^(${LOG_SORT_FIELDS.join('|')}):(1|-1)$`),
        `sort must be <field>:1 or <field>:-1 with a field Auth0 sorts logs by: ${LOG_SORT_FIELDS.join(', ')}`,
      )
      .optional()
      .openapi({
        description: "`<field>:1` or `<field>:-1`, on one of the role's `log_fields` that Auth0 sorts logs by.",
        example: 'date:-1',
      }),
    include_totals: z.enum(['true', 'false'], { errorMap: () => ({ message: 'include_totals must be true or false' }) }).optional(),
  })
  .strict();

/** Auth0's page size of logs when `per_page` is not given. */
const DEFAULT_LOGS_PER_PAGE = 50;

/** Auth0 serves the first 1000 events of a user only: a page ending past them is refused before any call. */
function logPagingRule(query: { page?: unknown; per_page?: unknown }) {
  const page = Number(query.page ?? 0);
  const perPage = Number(query.per_page ?? DEFAULT_LOGS_PER_PAGE);
  if ((page + 1) * perPage <= PAGING_CAP) return undefined;
  return errors.invalidPaging(
    `Auth0 serves only the first ${PAGING_CAP} log events of a user: page*per_page + per_page must not pass ${PAGING_CAP} (per_page is ${DEFAULT_LOGS_PER_PAGE} when not given).`,
  );
}

const deskRoute = <R extends Omit<RouteContract, 'tag' | 'params'> & { action: string }>(route: R) =>
  ({ tag: 'support desk', params: UserIdParams, fieldErrors: USER_ID_ERRORS, ...route }) satisfies RouteContract;

export const deskRoutes = {
  passwordChangeTicket: deskRoute({
    method: 'post',
    path: '/users/{id}/password-change-ticket',
    operationId: 'createPasswordChangeTicket',
    action: 'reset_password',
    query: NoQuery,
    body: PasswordChangeTicketBody,
    bodyOptional: true,
    summary: 'A password-change link for the user (action `reset_password`)',
    responses: { 201: json('The ticket.', PasswordChangeTicket), ...deskErrors([...WITH_BODY, 'result_url_not_allowed', 'no_password']) },
  }),
  verificationEmail: deskRoute({
    method: 'post',
    path: '/users/{id}/verification-email',
    operationId: 'sendVerificationEmail',
    action: 'send_verification',
    query: NoQuery,
    body: NoBody,
    bodyOptional: true,
    summary: 'Send the verification email again (action `send_verification`)',
    responses: { 201: json('The job Auth0 started.', VerificationEmailJob), ...deskErrors(WITH_BODY) },
  }),
  getBlocks: deskRoute({
    method: 'get',
    path: '/users/{id}/blocks',
    operationId: 'getUserBlocks',
    action: 'unblock',
    query: NoQuery,
    summary: 'Brute-force blocks of the user (action `unblock`)',
    responses: { 200: json('The blocks.', UserBlocks), ...deskErrors() },
  }),
  deleteBlocks: deskRoute({
    method: 'delete',
    path: '/users/{id}/blocks',
    operationId: 'deleteUserBlocks',
    action: 'unblock',
    query: NoQuery,
    summary: 'Lift the brute-force blocks (action `unblock`; `blocked: false` does not lift these)',
    responses: { 204: empty('Lifted.'), ...deskErrors() },
  }),
  getAuthenticationMethods: deskRoute({
    method: 'get',
    path: '/users/{id}/authentication-methods',
    operationId: 'getAuthenticationMethods',
    action: 'reset_mfa',
    query: NoQuery,
    summary: "The user's MFA factors (action `reset_mfa`)",
    responses: { 200: json('The factors.', z.array(AuthenticationMethod)), ...deskErrors() },
  }),
  deleteAuthenticationMethods: deskRoute({
    method: 'delete',
    path: '/users/{id}/authentication-methods',
    operationId: 'deleteAuthenticationMethods',
    action: 'reset_mfa',
    query: NoQuery,
    summary:
      'Reset MFA: remove each MFA factor (totp, phone, email, push, guardian, webauthn-roaming, webauthn-platform, recovery-code; never password or passkey) and forget remembered browsers (action `reset_mfa`)',
    responses: { 204: empty('Reset.'), ...deskErrors() },
  }),
  getSessions: deskRoute({
    method: 'get',
    path: '/users/{id}/sessions',
    operationId: 'getSessions',
    action: 'logout',
    query: SessionsQuery,
    summary: "The user's sessions (action `logout`; Enterprise plans only, else 501 `not_available_on_plan`)",
    responses: { 200: json('The sessions.', Sessions), ...deskErrors(['not_available_on_plan']) },
  }),
  deleteSessions: deskRoute({
    method: 'delete',
    path: '/users/{id}/sessions',
    operationId: 'deleteSessions',
    action: 'logout',
    query: NoQuery,
    summary:
      'Sign the user out everywhere (action `logout`): revoke every refresh token, end the sessions where the plan allows. Access tokens already issued live until they expire.',
    responses: {
      200: json('What was done. A 429 or an Auth0 error half-way says in its message how many refresh tokens were revoked.', SignOutResult),
      ...deskErrors(),
    },
  }),
  getRefreshTokens: deskRoute({
    method: 'get',
    path: '/users/{id}/refresh-tokens',
    operationId: 'getRefreshTokens',
    action: 'logout',
    query: NoQuery,
    summary: "The user's refresh tokens: what sign-out would revoke (action `logout`)",
    responses: { 200: json('The refresh tokens.', RefreshTokens), ...deskErrors() },
  }),
  getLogs: deskRoute({
    method: 'get',
    path: '/users/{id}/logs',
    operationId: 'getUserLogs',
    action: 'read_logs',
    query: UserLogsQuery,
    queryRule: logPagingRule,
    summary: "The user's log events, cut to the role's `log_fields` (action `read_logs`)",
    responses: {
      200: json(
        'The events (an object with totals when `include_totals=true`).',
        z.union([
          z.array(LogEvent),
          z
            .object({
              start: z.number().int(),
              limit: z.number().int(),
              length: z.number().int(),
              total: z.number().int(),
              logs: z.array(LogEvent),
            })
            .partial({ start: true, limit: true, total: true })
            .strict(),
        ]),
      ),
      ...deskErrors(['field_not_readable', 'invalid_paging']),
    },
  }),
} satisfies Record<string, RouteContract>;
