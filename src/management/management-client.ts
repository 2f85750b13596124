import { Agent, request, type Dispatcher } from 'undici';
import { errors, HttpError } from '../errors';
import type { MachineTokenProvider } from './machine-token';
import { checkUserId } from './user-id';

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
  now?: () => number;
  /** Jitter source in [0, 1); default `Math.random`. */
  random?: () => number;
  /** Most keep-alive connections to the Management API; default 128. */
  connections?: number;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface CallOptions {
  query?: Query;
  body?: unknown;
  requestId?: string;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const IDEMPOTENT = new Set<Method>(['GET', 'DELETE']);

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Auth0's message without anything that could leak the upstream address or a credential. */
function sanitise(message: unknown): string {
  if (typeof message !== 'string') return 'The Management API refused the request.';
  return message
    .replace(/https?:\/\/[^\s'"]+/g, '[url]')
    .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[token]')
    .slice(0, 500);
}

/**
 * The Management API v2 users endpoints, and nothing else: each method builds its own path, so
 * nothing from a request can choose another endpoint. Keep-alive HTTP (undici), a timeout per
 * attempt, bounded retries, and errors mapped onto usergate's catalogue.
 */
export class ManagementClient {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly base: URL;
  /**
   * undici's `request` on a keep-alive pool rather than `fetch`: on this machine fetch cost ~0.7 ms
   * more per call (WHATWG streams), which was most of usergate's overhead (docs/BENCHMARKS.md).
   */
  private readonly dispatcher: Dispatcher;

  constructor(private readonly options: ManagementClientOptions) {
    if (!options.apiUrl) throw new TypeError('ManagementClient: option "apiUrl" is required');
    if (!(options.timeoutMs > 0)) throw new TypeError('ManagementClient: option "timeoutMs" must be positive');
    this.base = new URL(options.apiUrl.replace(/\/+$/, '') + '/');
    this.sleep = options.sleep ?? defaultSleep;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.dispatcher = new Agent({ connections: options.connections ?? 128, keepAliveTimeout: 30_000 });
  }

  /** Closes the keep-alive connections (on shutdown). */
  close(): Promise<void> {
    return this.dispatcher.close();
  }

  listUsers(query: Query, requestId?: string): Promise<unknown> {
    return this.call('GET', 'users', { query, requestId });
  }

  usersByEmail(query: Query, requestId?: string): Promise<unknown> {
    return this.call('GET', 'users-by-email', { query, requestId });
  }

  getUser(id: string, query: Query = {}, requestId?: string): Promise<unknown> {
    return this.call('GET', this.userPath(id), { query, requestId });
  }

  createUser(body: unknown, requestId?: string): Promise<unknown> {
    return this.call('POST', 'users', { body, requestId });
  }

  updateUser(id: string, body: unknown, requestId?: string): Promise<unknown> {
    return this.call('PATCH', this.userPath(id), { body, requestId });
  }

  deleteUser(id: string, requestId?: string): Promise<unknown> {
    return this.call('DELETE', this.userPath(id), { requestId });
  }

  private userPath(id: string): string {
    return `users/${encodeURIComponent(checkUserId(id))}`;
  }

  private url(path: string, query: Query = {}): URL {
    const url = new URL(path, this.base);
    // Defence in depth: the resolved path must still be the one built above.
    if (url.origin !== this.base.origin || url.pathname !== this.base.pathname + path) throw errors.invalidUserId();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    return url;
  }

  private async call(method: Method, path: string, { query, body, requestId }: CallOptions): Promise<unknown> {
    const url = this.url(path, query);
    let retries = 0;
    let refreshedToken = false;
    for (;;) {
      const token = await this.options.tokens.getToken();
      const outcome = await this.attempt(method, url, token, body, requestId);
      if (outcome.kind === 'ok') return outcome.body;
      if (outcome.kind === 'unauthorized' && !refreshedToken) {
        this.options.tokens.invalidate(token);
        refreshedToken = true;
        continue;
      }
      const canRetry = retries < this.options.maxRetries;
      if (outcome.kind === 'rate-limited') {
        const waitMs = outcome.retryAfterMs;
        if (canRetry && waitMs <= (this.options.maxRetryWaitMs ?? 5000)) {
          retries += 1;
          await this.sleep(waitMs + Math.floor(this.random() * 250));
          continue;
        }
        throw errors.rateLimited(Math.max(1, Math.ceil(waitMs / 1000)));
      }
      if (outcome.kind === 'transient' && IDEMPOTENT.has(method) && canRetry) {
        retries += 1;
        await this.sleep(100 * 2 ** (retries - 1) + Math.floor(this.random() * 100));
        continue;
      }
      throw outcome.error;
    }
  }

  private async attempt(method: Method, url: URL, token: string, body: unknown, requestId?: string): Promise<Outcome> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (requestId) headers['x-request-id'] = requestId;
    if (body !== undefined) headers['content-type'] = 'application/json';
    // A timer cleared as soon as the attempt ends, rather than AbortSignal.timeout, which keeps every
    // signal and its timer alive for the full timeout (thousands at a time under load; docs/BENCHMARKS.md).
    const controller = new AbortController();
    const signal = controller.signal;
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    let status: number;
    let responseHeaders: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const res = await request(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        dispatcher: this.dispatcher,
        signal,
      });
      status = res.statusCode;
      responseHeaders = res.headers;
      text = await res.body.text();
    } catch {
      return { kind: 'transient', error: signal.aborted ? errors.upstreamTimeout() : errors.upstreamError('the connection failed') };
    } finally {
      clearTimeout(timer);
    }
    const ok = status >= 200 && status < 300;
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      if (ok) return { kind: 'failed', error: errors.upstreamError('the answer was not JSON') };
    }
    if (ok) return { kind: 'ok', body: parsed };
    if (status === 401) return { kind: 'unauthorized', error: errors.machineTokenUnavailable('the Management API refused the token') };
    if (status === 429) return { kind: 'rate-limited', retryAfterMs: this.retryAfterMs(responseHeaders) };
    if (status >= 500) return { kind: 'transient', error: errors.upstreamError(`it answered ${status}`) };
    const upstream = (parsed ?? {}) as { message?: unknown; errorCode?: unknown };
    const code = typeof upstream.errorCode === 'string' && /^[a-z0-9_]{1,64}$/.test(upstream.errorCode) ? upstream.errorCode : 'upstream_rejected';
    const mapped = status === 403 && code === 'insufficient_scope' ? 502 : status;
    const message = mapped === 502 ? 'usergate\'s machine-to-machine application lacks a Management API scope it needs.' : sanitise(upstream.message);
    return { kind: 'failed', error: new HttpError(mapped, code, message) };
  }

  /** Retry-After (seconds or a date), else x-ratelimit-reset (epoch seconds), else 1 s. */
  private retryAfterMs(headers: Record<string, string | string[] | undefined>): number {
    const header = (name: string): string | undefined => {
      const value = headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const retryAfter = header('retry-after');
    if (retryAfter) {
      const seconds = Number(retryAfter);
      if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
      const date = Date.parse(retryAfter);
      if (!Number.isNaN(date)) return Math.max(0, date - this.now());
    }
    const reset = Number(header('x-ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - this.now());
    return 1000;
  }
}

type Outcome =
  | { kind: 'ok'; body: unknown }
  | { kind: 'unauthorized'; error: HttpError }
  | { kind: 'rate-limited'; retryAfterMs: number }
  | { kind: 'transient'; error: HttpError }
  | { kind: 'failed'; error: HttpError };
