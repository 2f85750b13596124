import NodeCache from 'node-cache';
import { errors } from '../errors';

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
  now?: () => number;
  /** Told the outcome of each token request (metrics). */
  observer?: { tokenFetched(outcome: 'ok' | 'failed'): void };
}

interface CachedToken {
  token: string;
  refreshAt: number;
}

/**
 * The machine-to-machine token for the Management API, from the client-credentials grant.
 * Cached until a leeway before it expires; concurrent callers share one request (the cache holds
 * the promise); a failed request is not cached. The secret and the token are never logged.
 */
export class MachineTokenProvider {
  private readonly cache = new NodeCache({ useClones: false, checkperiod: 0 });
  private inflight?: Promise<string>;
  private readonly now: () => number;

  constructor(private readonly options: MachineTokenOptions) {
    for (const key of ['tokenUrl', 'clientId', 'clientSecret', 'audience'] as const) {
      if (!options[key]) throw new TypeError(`MachineTokenProvider: option "${key}" is required`);
    }
    this.now = options.now ?? Date.now;
  }

  /** A valid token, from the cache or from one shared request. */
  async getToken(): Promise<string> {
    const cached = this.cache.get<CachedToken>('token');
    if (cached && this.now() < cached.refreshAt) return cached.token;
    const observer = this.options.observer;
    this.inflight ??= this.request().then(
      (token) => {
        observer?.tokenFetched('ok');
        return token;
      },
      (err: unknown) => {
        observer?.tokenFetched('failed');
        throw err;
      },
    ).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Drops the cached token (after the API refused it), unless a newer one has replaced it already. */
  invalidate(token: string): void {
    if (this.cache.get<CachedToken>('token')?.token === token) this.cache.del('token');
  }

  private async request(): Promise<string> {
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
      throw errors.machineTokenUnavailable(timedOut ? 'the token endpoint did not answer in time' : 'the token endpoint cannot be reached');
    }
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status !== 200 || typeof body.access_token !== 'string') {
      const code = typeof body.error === 'string' ? ` ${body.error.slice(0, 64)}` : '';
      throw errors.machineTokenUnavailable(`the token endpoint answered ${res.status}${code}`);
    }
    // Some token endpoints send expires_in as a numeric string; a missing or odd value means a short cache.
    const lifetime = Number(body.expires_in);
    const expiresIn = Number.isFinite(lifetime) && lifetime > 0 ? lifetime : 60;
    const leeway = Math.min(this.options.leewayS ?? 60, expiresIn / 2);
    this.cache.set<CachedToken>('token', { token: body.access_token, refreshAt: this.now() + (expiresIn - leeway) * 1000 });
    return body.access_token;
  }
}
