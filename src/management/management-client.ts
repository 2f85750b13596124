import { Agent, type Dispatcher } from 'undici';
import type { Coalescer } from '../cluster/coalesce';
import type { CallKind, UpstreamBudget } from '../cluster/upstream-budget';
import { auth0Refusal, errors, type HttpError } from '../errors';
import { systemClock, type Now } from '../lib/clock';
import { addUpstreamHeaders, type RequestScope } from '../lib/request-scope';
import type { MachineTokenProvider } from './machine-token';
import { AnswerTooLarge, exchange, ExchangeTimeout, UpstreamStatus, type Exchanged } from './http-exchange';
import { rateLimitBackoffMs, rateLimitWaitMs, retryAfterSeconds, transientBackoffMs } from './retry-policy';
import { checkInvitationId, checkOrgId } from './org-id';
import { checkNewUserId, userIdSegment } from './user-id';

export interface ManagementClientOptions {
  /** Management API base, e.g. `https://acme.eu.auth0.com/api/v2`. */
  apiUrl: string;
  tokens: MachineTokenProvider;
  /** Per-attempt timeout, in ms. */
  timeoutMs: number;
  /** Retries after the first attempt (429 always; network errors and 5xx for idempotent methods only). */
  maxRetries: number;
  /** Longest wait for a 429 before retrying, in ms; default 5000. A longer Retry-After is passed to the caller. */
  maxRetryWaitMs?: number;
  /** How to wait between attempts; tests inject one that records instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  /** Clock, in ms since the epoch; default `Date.now`. */
  now?: Now;
  /** Jitter source in [0, 1); default `Math.random`. */
  random?: () => number;
  /** The longest answer read, in bytes (a longer one is a 502); default MAX_ANSWER_BYTES. */
  maxAnswerBytes?: number;
  /** Most keep-alive connections to the Management API; default 128. */
  connections?: number;
  /** The upstream budget (MGMT_RATE_READ/WRITE/OTHER) every attempt waits for; none: unpaced. */
  budget?: UpstreamBudget;
  /** Shares one upstream call between identical concurrent GETs; none: each GET calls. */
  coalescer?: Coalescer;
  /** Told about each attempt and retry (metrics); never given a token or a body. */
  observer?: UpstreamObserver;
}

/** What the metrics see of upstream calls: the operation as a path template, never an id. */
export interface UpstreamObserver {
  attempt(event: { operation: string; status: number | 'timeout' | 'network'; durationMs: number; rateLimitRemaining?: number }): void;
  retry(event: { operation: string; reason: 'rate-limited' | 'transient' | 'token' }): void;
}

/** `GET users/{id}`: each segment that is not a plain word (an encoded user id) becomes `{id}`. */
export function operationName(method: string, path: string): string {
  return `${method} ${path
    .split('/')
    .map((s) => (/^[a-z][a-z-]*$/.test(s) ? s : '{id}'))
    .join('/')}`;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface CallOptions {
  query?: Query;
  body?: unknown;
  /** The request's ids and trace, sent upstream as x-request-id, traceparent and tracestate. */
  scope?: RequestScope;
  /** A POST whose repetition changes nothing (invalidate-remember-browser): retried like GET and DELETE. */
  idempotent?: boolean;
  /** A `GET /users` with `q`: Auth0's 503 (search time budget) and 414 (too long) are final. */
  search?: boolean;
  /**
   * What an Auth0 404 on this call is about: `user` (the target user: `404 user_not_found`, as when it is
   * outside the caller's scope) or `other` (an authentication method, a device credential:
   * `404 upstream_not_found`). Default `user` on `users/{id}...`, `user-blocks/{id}`, tickets and jobs.
   */
  notFound?: 'user' | 'other';
  /** Part of a GET's coalescing key besides its URL: a caller lookup's generation, so a later one never joins an older. */
  coalesceTag?: string;
}

/** An id Auth0 gave usergate (an authentication method's, a device credential's), checked before it goes into a path. */
const UPSTREAM_ID = /^[A-Za-z0-9_.|:@+-]{1,256}$/;

/**
 * Which of Auth0's rate-limit buckets a call counts against: on Essentials and Professional, the users
 * endpoints have a read and a write bucket; tickets, jobs, user-blocks, device credentials and organizations share the
 * "all other endpoints" one.
 */
export function budgetKind(method: string, path: string): CallKind {
  if (/^(tickets|jobs|user-blocks|device-credentials|organizations)(\/|$)/.test(path)) return 'other';
  return method === 'GET' ? 'read' : 'write';
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
/** Far above any Management API answer usergate asks for (100 users a page), far below what would hurt memory. */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;
const IDEMPOTENT = new Set<Method>(['GET', 'DELETE']);

const SCOPE_NAME = /^[a-z_]+:[a-z_]+$/;

/** The scopes named in Auth0's "Insufficient scope, expected any of: a:b,c:d" message (only well-formed names). */
export function scopesNamedIn(message: unknown): string[] {
  if (typeof message !== 'string') return [];
  const listed = /expected any of:\s*(.*)$/i.exec(message.slice(0, 500))?.[1] ?? '';
  return listed
    .split(/[\s,]+/)
    .filter((s) => SCOPE_NAME.test(s))
    .slice(0, 10);
}

/** Auth0's message without anything that could leak the upstream address or a credential. */
function sanitise(message: unknown): string {
  if (typeof message !== 'string') return 'The Management API refused the request.';
  return message
    .replace(/https?:\/\/[^\s'"]+/g, '[url]')
    .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[token]')
    .slice(0, 500);
}

/**
 * The Management API v2 users endpoints and the support desk's, and nothing else: each method builds its own path, so
 * nothing from a request can choose another endpoint. Keep-alive HTTP (undici), a timeout per
 * attempt, bounded retries, and errors mapped onto usergate's catalogue.
 */
export class ManagementClient {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly base: URL;
  /**
   * undici's keep-alive pool, driven by http-exchange.ts rather than `fetch` (~0.7 ms more per call
   * here, WHATWG streams) or undici's `request` (a body stream per call; docs/BENCHMARKS.md).
   */
  private readonly dispatcher: Dispatcher;

  constructor(private readonly options: ManagementClientOptions) {
    if (!options.apiUrl) throw new TypeError('ManagementClient: option "apiUrl" is required');
    if (!(options.timeoutMs > 0)) throw new TypeError('ManagementClient: option "timeoutMs" must be positive');
    this.base = new URL(options.apiUrl.replace(/\/+$/, '') + '/');
    this.sleep = options.sleep ?? systemClock.sleep;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.dispatcher = new Agent({ connections: options.connections ?? 128, keepAliveTimeout: 30_000 });
  }

  /** Closes the keep-alive connections (on shutdown). */
  close(): Promise<void> {
    return this.dispatcher.close();
  }

  /**
   * A search Auth0 ends after 2 s (503) or whose URL is too long (414) is not retried: the same query
   * would fail again and spend the rate budget. The caller is told to narrow it.
   */
  listUsers(query: Query, scope?: RequestScope): Promise<unknown> {
    return this.call('GET', 'users', { notFound: 'other', query, scope, search: query.q !== undefined && query.q !== '' });
  }

  usersByEmail(query: Query, scope?: RequestScope): Promise<unknown> {
    return this.call('GET', 'users-by-email', { notFound: 'other', query, scope });
  }

  /** `coalesceTag`: identical GETs share one call only when their tags are equal too (caller lookups' generations). */
  getUser(id: string, query: Query = {}, scope?: RequestScope, coalesceTag?: string): Promise<unknown> {
    return this.call('GET', this.userPath(id), { query, scope, coalesceTag });
  }

  /** A custom `user_id` must give an id usergate can serve afterwards. */
  createUser(body: unknown, scope?: RequestScope): Promise<unknown> {
    const customId = (body as { user_id?: unknown } | undefined)?.user_id;
    if (customId !== undefined) checkNewUserId(customId);
    return this.call('POST', 'users', { body, scope });
  }

  updateUser(id: string, body: unknown, scope?: RequestScope): Promise<unknown> {
    return this.call('PATCH', this.userPath(id), { body, scope });
  }

  deleteUser(id: string, scope?: RequestScope): Promise<unknown> {
    return this.call('DELETE', this.userPath(id), { scope });
  }

  // --- The support desk's endpoints (tickets, jobs, blocks, authentication methods, sessions, logs). ---

  /** POST /tickets/password-change: never retried (each call mints a new ticket). */
  createPasswordChangeTicket(body: Record<string, unknown>, scope?: RequestScope): Promise<unknown> {
    return this.call('POST', 'tickets/password-change', { body, scope });
  }

  /** POST /jobs/verification-email: never retried (each call sends an email). */
  sendVerificationEmail(body: Record<string, unknown>, scope?: RequestScope): Promise<unknown> {
    return this.call('POST', 'jobs/verification-email', { body, scope });
  }

  getUserBlocks(id: string, scope?: RequestScope): Promise<unknown> {
    return this.call('GET', `user-blocks/${userIdSegment(id)}`, { scope });
  }

  deleteUserBlocks(id: string, scope?: RequestScope): Promise<unknown> {
    return this.call('DELETE', `user-blocks/${userIdSegment(id)}`, { scope });
  }

  getAuthenticationMethods(id: string, query: Query = {}, scope?: RequestScope): Promise<unknown> {
    return this.call('GET', this.userPath(id, 'authentication-methods'), { query, scope });
  }

  /** One authentication method, by the id Auth0 listed it with. */
  deleteAuthenticationMethod(id: string, methodId: string, scope?: RequestScope): Promise<unknown> {
    return this.call('DELETE', this.userPath(id, `authentication-methods/${upstreamIdSegment(methodId)}`), { scope, notFound: 'other' });
  }

  deleteAuthenticationMethods(id: string, scope?: RequestScope): Promise<unknown> {
    return this.call('DELETE', this.userPath(id, 'authentication-methods'), { scope });
  }

  invalidateRememberBrowser(id: string, scope?: RequestScope): Promise<unknown> {
    return this.call('POST', this.userPath(id, 'multifactor/actions/invalidate-remember-browser'), { scope, idempotent: true });
  }

  getSessions(id: string, query: Query, scope?: RequestScope): Promise<unknown> {
    return this.call('GET', this.userPath(id, 'sessions'), { query, scope });
  }

  deleteSessions(id: string, scope?: RequestScope): Promise<unknown> {
    return this.call('DELETE', this.userPath(id, 'sessions'), { scope });
  }

  /** Enterprise plans only: the user's refresh tokens, checkpoint-paged (`from`, `take`). */
  getRefreshTokens(id: string, query: Query, scope?: RequestScope): Promise<unknown> {
    return this.call('GET', this.userPath(id, 'refresh-tokens'), { query, scope });
  }

  /** Enterprise plans only: revokes every refresh token of the user (asynchronous at Auth0: 202). */
  deleteRefreshTokens(id: string, scope?: RequestScope): Promise<unknown> {
    return this.call('DELETE', this.userPath(id, 'refresh-tokens'), { scope });
  }

  /** Every plan: a user's device credentials of one type (`refresh_token`, `rotating_refresh_token`), paged. */
  listDeviceCredentials(query: { user_id: string; type: string } & Query, scope?: RequestScope): Promise<unknown> {
    return this.call('GET', 'device-credentials', { query, scope });
  }

  deleteDeviceCredential(credentialId: string, scope?: RequestScope): Promise<unknown> {
    return this.call('DELETE', `device-credentials/${upstreamIdSegment(credentialId)}`, { scope, notFound: 'other' });
  }

  getUserLogs(id: string, query: Query, scope?: RequestScope): Promise<unknown> {
    return this.call('GET', this.userPath(id, 'logs'), { query, scope });
  }

  // --- Auth0 RBAC (ROLES_SOURCE=rbac): user roles by role id, role names resolved through /roles. ---

  /** GET /users/{id}/roles, one page. `coalesceTag` as for `getUser` (a caller lookup's generation). */
  getUserRoles(id: string, query: Query, scope?: RequestScope, coalesceTag?: string): Promise<unknown> {
    return this.call('GET', this.userPath(id, 'roles'), { query, scope, coalesceTag });
  }

  /** POST /users/{id}/roles `{"roles": [ids]}`: assigning a role held already changes nothing, so it is retried. */
  assignUserRoles(id: string, roleIds: string[], scope?: RequestScope): Promise<unknown> {
    return this.call('POST', this.userPath(id, 'roles'), { body: { roles: roleIds }, scope, idempotent: true });
  }

  /** DELETE /users/{id}/roles `{"roles": [ids]}`. */
  removeUserRoles(id: string, roleIds: string[], scope?: RequestScope): Promise<unknown> {
    return this.call('DELETE', this.userPath(id, 'roles'), { body: { roles: roleIds }, scope });
  }

  /** GET /roles, one page (`name_filter` matches part of a name, case-insensitively). An unknown role is never a user 404. */
  listRoles(query: Query, scope?: RequestScope): Promise<unknown> {
    return this.call('GET', 'roles', { query, scope, notFound: 'other' });
  }

  // --- Auth0 Organizations (ORG_SOURCE=organizations, the /orgs routes): ids checked before they go into a path. ---

  /** GET /users/{id}/organizations, one page: the organizations the user is a member of. `coalesceTag` as for `getUser`. */
  getUserOrganizations(id: string, query: Query, scope?: RequestScope, coalesceTag?: string): Promise<unknown> {
    return this.call('GET', this.userPath(id, 'organizations'), { query, scope, coalesceTag });
  }

  /** GET /organizations/{id}, the organization itself (404 `upstream_not_found`: the caller maps it to org_not_found). */
  getOrganization(orgId: string, scope?: RequestScope): Promise<unknown> {
    return this.call('GET', this.orgPath(orgId), { scope, notFound: 'other' });
  }

  /** GET /organizations/{id}/members, one page (`page`/`per_page`/`include_totals`, or `from`/`take`; `fields=roles`). */
  listOrganizationMembers(orgId: string, query: Query, scope?: RequestScope): Promise<unknown> {
    return this.call('GET', this.orgPath(orgId, 'members'), { query, scope, notFound: 'other' });
  }

  /** POST /organizations/{id}/members `{"members": [user ids]}`: adding a member twice changes nothing, so it is retried. */
  addOrganizationMembers(orgId: string, userIds: string[], scope?: RequestScope): Promise<unknown> {
    return this.call('POST', this.orgPath(orgId, 'members'), { body: { members: userIds }, scope, idempotent: true, notFound: 'other' });
  }

  /** DELETE /organizations/{id}/members `{"members": [user ids]}`. */
  removeOrganizationMembers(orgId: string, userIds: string[], scope?: RequestScope): Promise<unknown> {
    return this.call('DELETE', this.orgPath(orgId, 'members'), { body: { members: userIds }, scope, notFound: 'other' });
  }

  /** GET /organizations/{id}/members/{user_id}/roles, one page. `coalesceTag` as for `getUser`. */
  getMemberRoles(orgId: string, userId: string, query: Query, scope?: RequestScope, coalesceTag?: string): Promise<unknown> {
    return this.call('GET', this.memberPath(orgId, userId), { query, scope, coalesceTag, notFound: 'other' });
  }

  /** POST /organizations/{id}/members/{user_id}/roles `{"roles": [role ids]}` (retried: assigning twice changes nothing). */
  assignMemberRoles(orgId: string, userId: string, roleIds: string[], scope?: RequestScope): Promise<unknown> {
    return this.call('POST', this.memberPath(orgId, userId), { body: { roles: roleIds }, scope, idempotent: true, notFound: 'other' });
  }

  /** DELETE /organizations/{id}/members/{user_id}/roles `{"roles": [role ids]}`. */
  removeMemberRoles(orgId: string, userId: string, roleIds: string[], scope?: RequestScope): Promise<unknown> {
    return this.call('DELETE', this.memberPath(orgId, userId), { body: { roles: roleIds }, scope, notFound: 'other' });
  }

  /** GET /organizations/{id}/invitations, one page. */
  listInvitations(orgId: string, query: Query, scope?: RequestScope): Promise<unknown> {
    return this.call('GET', this.orgPath(orgId, 'invitations'), { query, scope, notFound: 'other' });
  }

  /** POST /organizations/{id}/invitations (never retried: a second invitation would be sent). */
  createInvitation(orgId: string, body: Record<string, unknown>, scope?: RequestScope): Promise<unknown> {
    return this.call('POST', this.orgPath(orgId, 'invitations'), { body, scope, notFound: 'other' });
  }

  /** DELETE /organizations/{id}/invitations/{invitation_id}. */
  deleteInvitation(orgId: string, invitationId: string, scope?: RequestScope): Promise<unknown> {
    return this.call('DELETE', this.orgPath(orgId, `invitations/${encodeURIComponent(checkInvitationId(invitationId))}`), {
      scope,
      notFound: 'other',
    });
  }

  /** `organizations/{id}` or `organizations/{id}/<suffix>`: the id checked (400 invalid_org_id). */
  private orgPath(orgId: string, suffix?: string): string {
    const path = `organizations/${encodeURIComponent(checkOrgId(orgId))}`;
    return suffix === undefined ? path : `${path}/${suffix}`;
  }

  /** `organizations/{id}/members/{user_id}/roles`. */
  private memberPath(orgId: string, userId: string): string {
    return this.orgPath(orgId, `members/${userIdSegment(userId)}/roles`);
  }

  /** `users/{id}` or `users/{id}/<fixed suffix>`: the id checked and percent-encoded, the suffix a constant. */
  private userPath(id: string, suffix?: string): string {
    const path = `users/${userIdSegment(id)}`;
    return suffix === undefined ? path : `${path}/${suffix}`;
  }

  private url(path: string, query: Query = {}): URL {
    const url = new URL(path, this.base);
    // Defence in depth: the resolved path must still be the one built above.
    if (url.origin !== this.base.origin || url.pathname !== this.base.pathname + path) throw errors.invalidUserId();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    return url;
  }

  private call(method: Method, path: string, options: CallOptions): Promise<unknown> {
    const url = this.url(path, options.query);
    const coalescer = this.options.coalescer;
    if (method === 'GET' && coalescer) {
      const key = options.coalesceTag === undefined ? url.href : `${url.href}#${options.coalesceTag}`;
      return coalescer.run(key, () => this.send(method, url, options));
    }
    return this.send(method, url, options);
  }

  private async send(method: Method, url: URL, { body, scope, idempotent, search, notFound }: CallOptions): Promise<unknown> {
    const observer = this.options.observer;
    const path = url.pathname.slice(this.base.pathname.length);
    const kind = budgetKind(method, path);
    let retries = 0;
    let refreshedToken = false;
    for (;;) {
      const token = await this.options.tokens.getToken();
      await this.options.budget?.acquire(kind);
      const outcome = await this.attempt(method, url, token, body, scope, { search: search === true, kind, notFound: notFound ?? 'user' });
      if (outcome.kind === 'ok') return outcome.body;
      if (outcome.kind === 'unauthorized' && !refreshedToken) {
        this.options.tokens.invalidate(token);
        refreshedToken = true;
        observer?.retry({ operation: operationName(method, path), reason: 'token' });
        continue;
      }
      const canRetry = retries < this.options.maxRetries;
      if (outcome.kind === 'rate-limited') {
        const waitMs = outcome.retryAfterMs;
        if (canRetry && waitMs <= (this.options.maxRetryWaitMs ?? 5000)) {
          retries += 1;
          observer?.retry({ operation: operationName(method, path), reason: 'rate-limited' });
          await this.sleep(rateLimitBackoffMs(waitMs, this.random()));
          continue;
        }
        throw errors.rateLimited(retryAfterSeconds(waitMs));
      }
      if (outcome.kind === 'transient' && (IDEMPOTENT.has(method) || idempotent === true) && canRetry) {
        retries += 1;
        observer?.retry({ operation: operationName(method, path), reason: 'transient' });
        await this.sleep(transientBackoffMs(retries, this.random()));
        continue;
      }
      throw outcome.error;
    }
  }

  private async attempt(
    method: Method,
    url: URL,
    token: string,
    body: unknown,
    scope: RequestScope | undefined,
    { search, kind, notFound }: { search: boolean; kind: CallKind; notFound: 'user' | 'other' },
  ): Promise<Outcome> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    addUpstreamHeaders(scope, headers);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const started = performance.now();
    let answer: Exchanged;
    try {
      answer = await exchange(
        this.dispatcher,
        {
          origin: this.base.origin,
          path: url.pathname + url.search,
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
        },
        { timeoutMs: this.options.timeoutMs, maxBytes: this.options.maxAnswerBytes ?? MAX_ANSWER_BYTES },
      );
    } catch (err) {
      if (err instanceof AnswerTooLarge) {
        this.observe(method, url, 'network', started);
        return { kind: 'failed', error: errors.upstreamError('its answer was too large').causedBy(err) };
      }
      const timedOut = err instanceof ExchangeTimeout;
      this.observe(method, url, timedOut ? 'timeout' : 'network', started);
      const error = timedOut ? errors.upstreamTimeout() : errors.upstreamError('the connection failed');
      return { kind: 'transient', error: error.causedBy(err) };
    }
    const { status, headers: responseHeaders, text } = answer;
    this.options.budget?.observe(kind, responseHeaders);
    this.observe(method, url, status, started, responseHeaders);
    const ok = status >= 200 && status < 300;
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      if (ok) return { kind: 'failed', error: errors.upstreamError('the answer was not JSON').causedBy(new UpstreamStatus(status, text)) };
    }
    if (ok) return { kind: 'ok', body: parsed };
    if (status === 401) return { kind: 'unauthorized', error: errors.machineTokenUnavailable('the Management API refused the token') };
    if (status === 429) return { kind: 'rate-limited', retryAfterMs: rateLimitWaitMs(responseHeaders, this.now()) };
    if (search && status === 503) return { kind: 'failed', error: errors.searchTooExpensive() };
    if (search && status === 414) return { kind: 'failed', error: errors.invalidSearch('it is too long for Auth0; narrow it') };
    if (status >= 500)
      return { kind: 'transient', error: errors.upstreamError(`it answered ${status}`).causedBy(new UpstreamStatus(status, text)) };
    const upstream = (parsed ?? {}) as { message?: unknown; errorCode?: unknown };
    if (method === 'PATCH' && status === 400 && upstream.errorCode === 'operation_not_supported') {
      return { kind: 'failed', error: notUpdatable(upstream.message) };
    }
    if (status === 403 && upstream.errorCode === 'insufficient_scope')
      return { kind: 'failed', error: errors.missingScope(scopesNamedIn(upstream.message)).causedBy(new UpstreamStatus(status, text)) };
    return {
      kind: 'failed',
      error: refusal(status, upstream.errorCode, sanitise(upstream.message), notFound).causedBy(new UpstreamStatus(status, text)),
    };
  }

  private observe(
    method: Method,
    url: URL,
    status: number | 'timeout' | 'network',
    started: number,
    headers?: Record<string, string | string[] | undefined>,
  ): void {
    const observer = this.options.observer;
    if (!observer) return;
    const remaining = Number(headers?.['x-ratelimit-remaining']);
    observer.attempt({
      operation: operationName(method, url.pathname.slice(this.base.pathname.length)),
      status,
      durationMs: performance.now() - started,
      rateLimitRemaining: headers?.['x-ratelimit-remaining'] !== undefined && Number.isFinite(remaining) ? remaining : undefined,
    });
  }
}

/**
 * Auth0's own refusal as usergate answers it: a 400 or 409 passes through with Auth0's code (the
 * catalogue's Auth0 set); a 403 is `upstream_forbidden` (never to be mistaken for the policy's); a 404
 * is `user_not_found` on the target user (as when it is outside the caller's scope) or
 * `upstream_not_found` on anything else, both with Auth0's message; any other status is not part of the
 * contract, so it is a 502 naming it. (A missing scope is handled before: usergate's misconfiguration.)
 */
function refusal(status: number, code: unknown, message: string, notFound: 'user' | 'other'): HttpError {
  if (status === 400 || status === 409) return auth0Refusal(status, code, message);
  if (status === 403) return errors.upstreamForbidden(message);
  if (status === 404) return notFound === 'user' || code === 'inexistent_user' ? errors.userNotFound() : errors.upstreamNotFound(message);
  const named = typeof code === 'string' && /^[a-z0-9_]{1,64}$/.test(code) ? ` ${code}` : '';
  return errors.upstreamError(`it refused the request with ${status}${named}: ${message}`);
}

/** An id taken from an Auth0 answer, as one percent-encoded path segment; anything odd is Auth0's fault (502). */
function upstreamIdSegment(id: string): string {
  if (typeof id !== 'string' || !UPSTREAM_ID.test(id)) throw errors.upstreamError('an id in its answer was not of the expected form');
  return encodeURIComponent(id);
}

/**
 * Auth0's 400 `operation_not_supported` on PATCH: an attribute the user's identity provider owns
 * ("The following user attributes cannot be updated: name, picture. The connection (google-oauth2)
 * must ..." or "Cannot update email for non-database user."), told with the user_metadata workaround.
 */
function notUpdatable(message: unknown): HttpError {
  const text = typeof message === 'string' ? message.slice(0, 1000) : '';
  const listed = /cannot be updated: ([\w, ]{1,200})\./.exec(text)?.[1];
  const single = /^Cannot update (\w{1,64}) for/.exec(text)?.[1];
  const fields = listed
    ? listed
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean)
    : single
      ? [single]
      : ['these attributes'];
  const connection = /The connection \(([\w.-]{1,128})\)/.exec(text)?.[1] ?? 'an identity provider';
  return errors.attributeNotUpdatable(fields, connection);
}

type Outcome =
  | { kind: 'ok'; body: unknown }
  | { kind: 'unauthorized'; error: HttpError }
  | { kind: 'rate-limited'; retryAfterMs: number }
  | { kind: 'transient'; error: HttpError }
  | { kind: 'failed'; error: HttpError };
