import { LOG_SORT_FIELDS, MAX_PER_PAGE } from '../../management/auth0-limits';
import { AUTHENTICATED, empty, errorResponses, json, WITH_BODY, type ErrorCode } from './errors';
import type { RouteContract } from './route';
import { NoQuery, UserIdParams } from './users';
import { z } from './zod';

/**
 * The support desk (password reset, verification email, unblock, MFA reset, sign-out, login history).
 * The routes are built by the desk work; this is their contract, so that the document, the typed
 * client and the response checks of the test suite cover them too.
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
const deskErrors = (extra: ErrorCode[] = []) => errorResponses([...DESK, ...extra], { forwards: true });

export const PasswordChangeTicketBody = z
  .object({
    result_url: z.string().url().max(2000).openapi({
      description:
        'Where the classic Universal Login sends the user afterwards; must be one of `TICKET_RESULT_URLS`. Without it the ticket names `TICKET_CLIENT_ID`, the application the New Universal Login sends the user back to.',
    }),
    ttl_sec: z.number().int().min(0).max(2_592_000).openapi({ description: "Lifetime of the ticket, in s (Auth0's default when absent)." }),
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
  .passthrough()
  .openapi('PasswordChangeTicket');

export const VerificationEmailJob = z
  .object({
    id: z.string(),
    type: z.string(),
    status: z.string().openapi({ description: 'As Auth0 answers it: `pending` at first, the email goes out later.' }),
    created_at: z.string().optional(),
  })
  .passthrough()
  .openapi('VerificationEmailJob');

export const UserBlocks = z
  .object({
    blocked_for: z.array(z.object({ identifier: z.string(), ip: z.string().optional(), connection: z.string().optional() }).passthrough()),
  })
  .passthrough()
  .openapi('UserBlocks', { description: 'Brute-force blocks (not the `blocked` attribute).' });

export const AuthenticationMethod = z
  .object({
    id: z.string(),
    type: z.string(),
    name: z.string().optional(),
    created_at: z.string().optional(),
    confirmed: z.boolean().optional(),
  })
  .passthrough()
  .openapi('AuthenticationMethod', { description: 'An enrolled factor: type, name, dates; never a secret.' });

export const Session = z
  .object({
    id: z.string(),
    created_at: z.string().optional(),
    updated_at: z.string().optional(),
    authenticated_at: z.string().optional(),
    last_interacted_at: z.string().optional(),
  })
  .passthrough()
  .openapi('Session');

export const SessionsQuery = z
  .object({
    from: z.string().max(256).optional().openapi({ description: 'The `next` value of a previous answer.' }),
    take: z
      .string()
      .regex(/^(100|[1-9]\d?)$/, 'take must be a whole number from 1 to 100')
      .optional(),
  })
  .strict();

export const Sessions = z
  .object({ sessions: z.array(Session), next: z.string().optional() })
  .passthrough()
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
    last_exchanged_at: z.string().optional(),
  })
  .openapi('RefreshToken', { description: 'A refresh token of the user: which application holds it; never the token itself.' });

export const RefreshTokens = z.object({ refresh_tokens: z.array(RefreshToken) }).openapi('RefreshTokens');

/** No body, or `{}`: the request takes no fields. */
export const NoBody = z.object({}).strict().openapi('NoBody', { description: 'No fields: send no body or `{}`.' });

export const UserLogsQuery = z
  .object({
    page: z
      .string()
      .regex(/^\d{1,3}$/, 'page must be a whole number from 0 to 999')
      .optional(),
    per_page: z
      .string()
      .regex(/^(100|[1-9]\d?)$/, `per_page must be a whole number from 1 to ${MAX_PER_PAGE}`)
      .optional(),
    sort: z
      .string()
      .regex(
        new RegExp(`^(${LOG_SORT_FIELDS.join('|')}):(1|-1)$`),
        `sort must be <field>:1 or <field>:-1 with a field Auth0 sorts logs by: ${LOG_SORT_FIELDS.join(', ')}`,
      )
      .optional(),
    include_totals: z.enum(['true', 'false'], { errorMap: () => ({ message: 'include_totals must be true or false' }) }).optional(),
  })
  .strict();

const deskRoute = <R extends Omit<RouteContract, 'tag' | 'params'>>(route: R) =>
  ({ tag: 'support desk', params: UserIdParams, ...route }) satisfies RouteContract;

export const deskRoutes = {
  passwordChangeTicket: deskRoute({
    method: 'post',
    path: '/users/{id}/password-change-ticket',
    operationId: 'createPasswordChangeTicket',
    query: NoQuery,
    body: PasswordChangeTicketBody,
    summary: 'A password-change link for the user (action `reset_password`)',
    responses: { 201: json('The ticket.', PasswordChangeTicket), ...deskErrors([...WITH_BODY, 'result_url_not_allowed']) },
  }),
  verificationEmail: deskRoute({
    method: 'post',
    path: '/users/{id}/verification-email',
    operationId: 'sendVerificationEmail',
    query: NoQuery,
    body: NoBody,
    summary: 'Send the verification email again (action `send_verification`)',
    responses: { 201: json('The job Auth0 started.', VerificationEmailJob), ...deskErrors(WITH_BODY) },
  }),
  getBlocks: deskRoute({
    method: 'get',
    path: '/users/{id}/blocks',
    operationId: 'getUserBlocks',
    query: NoQuery,
    summary: 'Brute-force blocks of the user (action `unblock`)',
    responses: { 200: json('The blocks.', UserBlocks), ...deskErrors() },
  }),
  deleteBlocks: deskRoute({
    method: 'delete',
    path: '/users/{id}/blocks',
    operationId: 'deleteUserBlocks',
    query: NoQuery,
    summary: 'Lift the brute-force blocks (action `unblock`; `blocked: false` does not lift these)',
    responses: { 204: empty('Lifted.'), ...deskErrors() },
  }),
  getAuthenticationMethods: deskRoute({
    method: 'get',
    path: '/users/{id}/authentication-methods',
    operationId: 'getAuthenticationMethods',
    query: NoQuery,
    summary: "The user's MFA factors (action `reset_mfa`)",
    responses: { 200: json('The factors.', z.array(AuthenticationMethod)), ...deskErrors() },
  }),
  deleteAuthenticationMethods: deskRoute({
    method: 'delete',
    path: '/users/{id}/authentication-methods',
    operationId: 'deleteAuthenticationMethods',
    query: NoQuery,
    summary:
      'Reset MFA: remove each MFA factor (totp, phone, email, push, guardian, webauthn-roaming, webauthn-platform, recovery-code; never password or passkey) and forget remembered browsers (action `reset_mfa`)',
    responses: { 204: empty('Reset.'), ...deskErrors() },
  }),
  getSessions: deskRoute({
    method: 'get',
    path: '/users/{id}/sessions',
    operationId: 'getSessions',
    query: SessionsQuery,
    summary: "The user's sessions (action `logout`; Enterprise plans only, else 501 `not_available_on_plan`)",
    responses: { 200: json('The sessions.', Sessions), ...deskErrors(['not_available_on_plan']) },
  }),
  deleteSessions: deskRoute({
    method: 'delete',
    path: '/users/{id}/sessions',
    operationId: 'deleteSessions',
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
    query: NoQuery,
    summary: "The user's refresh tokens: what sign-out would revoke (action `logout`)",
    responses: { 200: json('The refresh tokens.', RefreshTokens), ...deskErrors() },
  }),
  getLogs: deskRoute({
    method: 'get',
    path: '/users/{id}/logs',
    operationId: 'getUserLogs',
    query: UserLogsQuery,
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
            .partial({ start: true, limit: true, total: true }),
        ]),
      ),
      ...deskErrors(['field_not_readable', 'invalid_paging']),
    },
  }),
} satisfies Record<string, RouteContract>;
