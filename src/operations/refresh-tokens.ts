import { errors, HttpError } from '../errors';
import type { OperationContext } from './context';
import type { LogField } from '../policy/fixed-fields';
import { deviceSeen } from './device-seen';
import { listIn, onDeskTarget, pick } from './desk-target';

/** The tenant's plan as far as sign-out is concerned (AUTH0_PLAN). */
export type Auth0Plan = 'enterprise' | 'standard';

/** The two kinds of refresh token device credentials hold; `public_key` credentials are left alone. */
export const REFRESH_TOKEN_TYPES = ['refresh_token', 'rotating_refresh_token'] as const;
const PAGE = 100;
/** Most pages read of one list (10,000 refresh tokens): a bound on the calls one request makes. */
const MAX_PAGES = 100;

/** One refresh token as usergate shows it: which application holds it, never the token itself. */
export interface RefreshTokenView {
  id: string;
  type: string;
  client_id?: string;
  device_name?: string;
  [key: string]: unknown;
}

const DATES = ['created_at', 'expires_at', 'idle_expires_at', 'last_exchanged_at'];

/**
 * Enterprise: `GET /users/{user_id}/refresh-tokens` shows `rotating`, the dates (kept only as strings;
 * Auth0 may answer objects) and the device, cut by the caller's `log_fields` as a session's is.
 */
function enterpriseView(token: unknown, logFields: readonly LogField[]): RefreshTokenView {
  const raw = token as Record<string, unknown>;
  const view = pick(token, ['id', 'client_id', 'session_id']) as RefreshTokenView;
  view.type = raw.rotating === true ? 'rotating_refresh_token' : 'refresh_token';
  for (const key of DATES) if (typeof raw[key] === 'string') view[key] = raw[key];
  if (typeof view.session_id !== 'string') delete view.session_id;
  const device = deviceSeen(raw.device, logFields);
  if (device) view.device = device;
  return view;
}

/**
 * Every refresh token of the user: on `enterprise` through the refresh-token endpoint (checkpoint
 * paging), otherwise through device credentials of both refresh-token types (every page of each).
 * `logFields`: what of the device the caller may see (nothing when only counting).
 */
export async function listRefreshTokens(
  ctx: OperationContext,
  userId: string,
  plan: Auth0Plan,
  logFields: readonly LogField[],
): Promise<RefreshTokenView[]> {
  const out: RefreshTokenView[] = [];
  if (plan === 'enterprise') {
    let from: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await ctx.management.getRefreshTokens(userId, { take: PAGE, from }, ctx.scope);
      out.push(
        ...listIn(answer, 'tokens')
          .map((t) => enterpriseView(t, logFields))
          .filter((t) => typeof t.id === 'string'),
      );
      const next = (answer as { next?: unknown }).next;
      if (typeof next !== 'string' || next === '') return out;
      from = next;
    }
    return out;
  }
  for (const type of REFRESH_TOKEN_TYPES) {
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await ctx.management.listDeviceCredentials(
        { user_id: userId, type, page, per_page: PAGE, include_totals: true },
        ctx.scope,
      );
      const items = listIn(answer, 'device_credentials').map(
        (c) => pick(c, ['id', 'device_name', 'client_id', 'type']) as RefreshTokenView,
      );
      out.push(...items.filter((c) => c.type === type || c.type === undefined).map((c) => ({ ...c, type })));
      const total = (answer as { total?: unknown }).total;
      if (items.length < PAGE || (typeof total === 'number' && (page + 1) * PAGE >= total)) break;
    }
  }
  return out;
}

/** GET /users/:id/refresh-tokens (action `logout`): what sign-out would revoke, so an agent can look first. */
export async function readRefreshTokens(
  ctx: OperationContext,
  id: string,
  plan: Auth0Plan,
): Promise<{ refresh_tokens: RefreshTokenView[] }> {
  return onDeskTarget(ctx, 'logout', id, async (target) => ({
    refresh_tokens: await listRefreshTokens(ctx, target.id, plan, target.logFields),
  }));
}

/** An error that stopped a sign-out half-way, telling what was done before it stopped. */
export function stoppedHalfWay(err: unknown, done: string): unknown {
  if (!(err instanceof HttpError)) return err;
  return err.explained(`Sign-out stopped: ${done}. Repeat the request to finish.`);
}

/** Revokes each refresh token through device credentials, one by one; on a failure, says how many went. */
export async function revokeEachRefreshToken(ctx: OperationContext, tokens: readonly RefreshTokenView[]): Promise<number> {
  let revoked = 0;
  for (const token of tokens) {
    try {
      await ctx.management.deleteDeviceCredential(token.id, ctx.scope);
    } catch (err) {
      // Gone meanwhile (expired, or revoked by another request): nothing left to revoke.
      if (err instanceof HttpError && err.code === errors.upstreamNotFound.code) continue;
      throw stoppedHalfWay(err, `${revoked} of ${tokens.length} refresh token(s) were revoked`);
    }
    revoked += 1;
  }
  return revoked;
}
