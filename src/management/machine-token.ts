import type { SharedTokenStore, StoredToken } from '../cluster/shared-token-store';
import { errors, HttpError } from '../errors';
import { BoundedCache } from '../lib/bounded-cache';
import type { Now } from '../lib/clock';
import { singleFlight } from '../lib/single-flight';

export interface MachineTokenOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  audience: string;
  /** Per-request timeout, in ms. */
  timeoutMs: number;
  /** Refresh this long before `expires_in` runs out, in s; default 60 (halved for short-lived tokens). */
  leewayS?: number;
  /** Clock, in ms since the epoch; default `Date.now`. */
  now?: Now;
  /** Where replicas share one token (Redis); none: this process fetches its own. */
  store?: SharedTokenStore;
  /** Told the outcome of each token request (metrics). */
  observer?: { tokenFetched(outcome: 'ok' | 'failed'): void };
}

/** A failed token request: a 503 mgmt_token_unavailable that also says, apart, why (never the secret). */
export type MachineTokenFailure = HttpError & { reason: string };

function unavailable(reason: string): MachineTokenFailure {
  return Object.assign(errors.machineTokenUnavailable(reason), { reason });
}

/**
 * Why no machine token could be obtained, as /readyz and the start-up log say it: what the token
 * endpoint answered (`the token endpoint answered 401 access_denied`), or that it could not be reached.
 */
export function tokenFailureReason(err: unknown): string | undefined {
  return err instanceof HttpError && typeof (err as Partial<MachineTokenFailure>).reason === 'string'
    ? (err as MachineTokenFailure).reason
    : undefined;
}

/**
 * The machine-to-machine token for the Management API, from the client-credentials grant.
 * Cached (a one-entry BoundedCache) until a leeway before it expires; concurrent callers share one
 * request (single flight); a failed request is not cached. The secret and the token are never logged.
 */
export class MachineTokenProvider {
  private readonly cached: BoundedCache<'token', string>;
  private readonly now: Now;
  /** One token request at a time, in this process and (with a shared store) in the cluster. */
  private readonly fetchToken = singleFlight(async () => {
    const fresh = this.options.store ? await this.options.store.load(() => this.observed(), this.rejected) : await this.observed();
    this.cached.set('token', fresh.token, fresh.refreshAt);
    return fresh.token;
  });
  /** The last token the API refused: never taken back from the shared store. */
  private rejected?: string;

  constructor(private readonly options: MachineTokenOptions) {
    for (const key of ['tokenUrl', 'clientId', 'clientSecret', 'audience'] as const) {
      if (!options[key]) throw new TypeError(`MachineTokenProvider: option "${key}" is required`);
    }
    this.now = options.now ?? Date.now;
    this.cached = new BoundedCache({ maxEntries: 1, now: this.now });
  }

  /** A valid token, from the cache or from one shared request. */
  async getToken(): Promise<string> {
    return this.cached.get('token') ?? this.fetchToken();
  }

  /** Drops the cached token (after the API refused it), unless a newer one has replaced it already. */
  invalidate(token: string): void {
    if (this.cached.get('token') === token) this.cached.delete('token');
    this.rejected = token;
    void this.options.store?.drop(token).catch(() => undefined);
  }

  /** One token request, its outcome told to the observer (metrics). */
  private async observed(): Promise<StoredToken> {
    try {
      const fresh = await this.request();
      this.options.observer?.tokenFetched('ok');
      return fresh;
    } catch (err) {
      this.options.observer?.tokenFetched('failed');
      throw err;
    }
  }

  private async request(): Promise<StoredToken> {
    const { tokenUrl, clientId, clientSecret, audience, timeoutMs } = this.options;
    let res: Response;
    try {
      res = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, audience }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      const timedOut = (cause as Error).name === 'TimeoutError';
      throw unavailable(timedOut ? 'the token endpoint did not answer in time' : 'the token endpoint cannot be reached').causedBy(cause);
    }
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status !== 200 || typeof body.access_token !== 'string') {
      throw unavailable(`the token endpoint answered ${res.status}${this.errorCode(body.error)}`);
    }
    // Some token endpoints send expires_in as a numeric string; a missing or odd value means a short cache.
    const lifetime = Number(body.expires_in);
    const expiresIn = Number.isFinite(lifetime) && lifetime > 0 ? lifetime : 60;
    const leeway = Math.min(this.options.leewayS ?? 60, expiresIn / 2);
    return { token: body.access_token, refreshAt: this.now() + (expiresIn - leeway) * 1000 };
  }

  /**
   * The OAuth `error` of a refusal (`access_denied`), with a space before it, when it is a plain code:
   * anything else the endpoint sends (free text, or an echo of the request) is left out.
   */
  private errorCode(error: unknown): string {
    if (typeof error !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(error) || error.includes(this.options.clientSecret)) return '';
    return ` ${error}`;
  }
}
