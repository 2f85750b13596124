import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, operations, paths } from './schema.js';

/** Every error body usergate answers: `{statusCode, error, message, errorCode, requestId}`. */
export type ErrorBody = components['schemas']['Error'];
export type User = components['schemas']['User'];
export type Permissions = components['schemas']['Permissions'];
/** What the caller may do to one user (GET /users/{id}/capabilities). */
export type Capabilities = components['schemas']['Capabilities'];
/** A member of an Auth0 organization, cut to what the caller reads (GET /orgs/{org_id}/members). */
export type Member = components['schemas']['Member'];
/** GET /orgs/{org_id}/members: an array, `{start, limit, total, members}` or `{members, next}`. */
export type Members = components['schemas']['Members'];
/** An organization invitation (`invitation_url` only in the answer of its creation). */
export type Invitation = components['schemas']['Invitation'];
/** GET /orgs/{org_id}/invitations: an array or `{start, limit, total, invitations}`. */
export type Invitations = components['schemas']['Invitations'];
/** The body of POST /orgs/{org_id}/invitations. */
export type InvitationBody = components['schemas']['InvitationBody'];
/** `{"roles": [names]}`: a user's or a member's roles. */
export type Roles = components['schemas']['Roles'];

/** An answer of usergate that is not a success, with what a frontend switches on. */
export class UsergateError extends Error {
  override name = 'UsergateError';
  constructor(
    /** HTTP status. */
    readonly status: number,
    /** usergate's stable code (see the document); `unexpected_response` when the answer was not usergate's JSON. */
    readonly errorCode: string,
    message: string,
    /** The request id: quote it to whoever reads usergate's logs. */
    readonly requestId: string | undefined,
    /** Seconds to wait before retrying (429, some 503s), from `Retry-After`. */
    readonly retryAfter: number | undefined,
    /** The parsed body, as received. */
    readonly body: unknown,
  ) {
    super(message);
  }
}

/** `Retry-After` in seconds: a number of seconds or an HTTP date. */
function retryAfterOf(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** Turns a non-2xx answer into a UsergateError. */
export async function errorFrom(response: Response): Promise<UsergateError> {
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: kept as text
  }
  const error = body && typeof body === 'object' ? (body as Partial<ErrorBody>) : {};
  const requestId = typeof error.requestId === 'string' ? error.requestId : (response.headers.get('x-request-id') ?? undefined);
  return new UsergateError(
    response.status,
    typeof error.errorCode === 'string' ? error.errorCode : 'unexpected_response',
    typeof error.message === 'string' ? error.message : `usergate answered ${response.status}`,
    requestId,
    retryAfterOf(response.headers.get('retry-after'), Date.now()),
    body,
  );
}

export interface UsergateClientOptions {
  /** Where usergate is, e.g. `https://admin.acme.example/usergate` or `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** The signed-in user's access token for usergate's API, asked for before each request (so it can be renewed). */
  getToken: () => string | null | undefined | Promise<string | null | undefined>;
  /** A fetch to use instead of the global one. */
  fetch?: (input: Request) => Promise<Response>;
}

export type UsergateClient = Client<paths>;

/**
 * A typed client of usergate: `client.GET('/users', { params: { query: { q } } })` and so on, with
 * paths, parameters and answers typed from usergate's OpenAPI document. Each request carries
 * `Authorization: Bearer <getToken()>`; every non-2xx answer rejects with a UsergateError.
 */
export function createUsergateClient(options: UsergateClientOptions): UsergateClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl.replace(/\/+$/, ''), fetch: options.fetch });
  const auth: Middleware = {
    async onRequest({ request }) {
      const token = await options.getToken();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
    async onResponse({ response }) {
      if (!response.ok) throw await errorFrom(response);
      return response;
    },
  };
  client.use(auth);
  return client;
}
