import { Router, type Request, type Response } from 'express';
import { findConnection, isEnterprise, type Connection } from './connections';
import { sendApiError } from './errors';
import { isStrongEnough, WEAK_PASSWORD_MESSAGE } from './password-policy';
import { compileQuery, SearchRefused, valuesAt } from './user-search';
import { isUserId } from './user-id-format';
import { hashPassword, newUserId, type StoredUser, type UserStore } from './user-store';
import { project, publicView } from './user-view';

/** Auth0 only pages through the first 1000 results of a search: `page*per_page + per_page` may not exceed it. */
export const PAGING_CAP = 1000;

const READ_ONLY = ['user_id', 'identities', 'created_at', 'updated_at', 'last_login', 'last_ip', 'logins_count', 'multifactor'];
// Auth0's facts, copied on purpose rather than imported from usergate's policy (src/policy/body-keys.ts
// holds usergate's own copy): the dev tenant is an independent oracle and must not share its checks.
const UPDATABLE = new Set([
  'app_metadata',
  'blocked',
  'client_id',
  'connection',
  'email',
  'email_verified',
  'family_name',
  'given_name',
  'name',
  'nickname',
  'password',
  'phone_number',
  'phone_verified',
  'picture',
  'user_metadata',
  'username',
  'verify_email',
  'verify_phone_number',
]);
/** Root attributes a social or enterprise connection owns while its profile sync is on (`on_each_login`). */
const SYNCED_ATTRIBUTES = ['name', 'given_name', 'family_name', 'nickname', 'picture'];

function scopes(res: Response): string[] {
  return (res.locals.scopes as string[] | undefined) ?? [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function boolParam(value: unknown, fallback: boolean): boolean {
  return value === undefined ? fallback : value === 'true';
}

function view(user: StoredUser, res: Response, req: Request): Record<string, unknown> {
  const full = publicView(user, scopes(res).includes('read:user_idp_tokens'));
  return project(full, str(req.query.fields), boolParam(req.query.include_fields, true));
}

function compareBy(field: string, direction: number) {
  return (a: StoredUser, b: StoredUser): number => {
    const va = valuesAt(a, field)[0];
    const vb = valuesAt(b, field)[0];
    if (va === vb) return 0;
    if (va === undefined) return 1;
    if (vb === undefined) return -1;
    if (typeof va === 'number' && typeof vb === 'number') return (va - vb) * direction;
    return (String(va) < String(vb) ? -1 : 1) * direction;
  };
}

/** A password the connection's policy refuses, answered as Auth0 does; false when it passes. */
function weakPassword(password: unknown, conn: Connection | undefined, res: Response): boolean {
  if (typeof password !== 'string' || !conn?.database || isStrongEnough(password, conn.passwordPolicy ?? 'none')) return false;
  sendApiError(res, 400, WEAK_PASSWORD_MESSAGE, 'invalid_body');
  return true;
}

/** `username` on a database connection that does not require usernames is refused. */
function unwantedUsername(body: Record<string, unknown>, conn: Connection | undefined, res: Response): boolean {
  if (body.username === undefined || !conn?.database || conn.requiresUsername) return false;
  sendApiError(
    res,
    400,
    `Payload validation error: 'Cannot set username for connection without requires_username: ${conn.name}'.`,
    'invalid_body',
  );
  return true;
}

/**
 * What a social or enterprise user's PATCH may not change: email and password never; email_verified
 * not for enterprise users; the profile attributes while the connection syncs them at each login.
 */
function providerRefusal(body: Record<string, unknown>, conn: Connection): string | undefined {
  const enterprise = isEnterprise(conn);
  if ('email' in body) return enterprise ? 'Cannot update email for this user' : 'Cannot update email for non-database user.';
  if ('password' in body) return 'Cannot update password for non-database user.';
  // Modelled on the email message (Auth0's wording for email_verified is not recorded).
  if (enterprise && 'email_verified' in body) return 'Cannot update email_verified for this user';
  const synced = conn.profileSync === 'on_each_login' ? SYNCED_ATTRIBUTES.filter((k) => k in body) : [];
  if (synced.length === 0) return undefined;
  return `The following user attributes cannot be updated: ${synced.join(', ')}. The connection (${conn.name}) must either be a database connection (using the Auth0 store), a passwordless connection (email or sms) or has disabled 'Sync user profile attributes at each login'. For more information, see https://auth0.com/docs/dashboard/guides/connections/configure-connection-sync`;
}

/** The users endpoints of the Management API v2, with Auth0's behaviour (docs/auth0-facts.md). */
export function usersApi(store: UserStore, now: () => number, searchBudgetMs: () => number = () => 2000): Router {
  const router = Router();
  const userIdOk = (id: string, res: Response): boolean => {
    if (isUserId(id)) return true;
    sendApiError(res, 400, `Object didn't pass validation for format user-id: ${id}`, 'invalid_uri');
    return false;
  };

  router.get('/users', (req, res) => {
    let matching = store.all();
    const q = str(req.query.q);
    if (q) {
      let predicate;
      try {
        predicate = compileQuery(q);
      } catch (err) {
        const why = err instanceof SearchRefused ? err.message : 'failed to parse query string';
        return sendApiError(res, 400, `Bad Request: ${why}: ${q}`, 'invalid_query_string');
      }
      // Auth0 ends a search after 2 s with 503: the budget is checked as users are matched.
      const started = now();
      const found: StoredUser[] = [];
      for (const user of matching) {
        if (now() - started > searchBudgetMs()) {
          return sendApiError(res, 503, 'The search took too long to complete. Try a more specific query.', 'search_timeout');
        }
        if (predicate(user)) found.push(user);
      }
      matching = found;
    }
    // With search engine v3 (the default) Auth0 ignores `connection`: search identities.connection instead.
    const connection = str(req.query.connection);
    const engine = str(req.query.search_engine) ?? 'v3';
    if (connection && engine !== 'v3') matching = matching.filter((u) => u.identities.some((i) => i.connection === connection));
    const sort = str(req.query.sort);
    if (sort) {
      const [field, direction] = sort.split(':') as [string, string];
      if (/^(app_metadata|user_metadata)(\.|$)/.test(field)) {
        return sendApiError(res, 400, `Bad Request: sorting by ${field} is not supported`, 'invalid_query_string');
      }
      matching = [...matching].sort(compareBy(field, Number(direction)));
    }
    const page = Number(req.query.page ?? 0);
    const perPage = Number(req.query.per_page ?? 50);
    const start = page * perPage;
    if (start + perPage > PAGING_CAP) {
      return sendApiError(
        res,
        400,
        'You can only page through the first 1000 records. See https://auth0.com/docs/users/search/v3/view-search-results-by-page#limitation',
        'invalid_paging',
      );
    }
    const users = matching.slice(start, start + perPage).map((u) => view(u, res, req));
    if (boolParam(req.query.include_totals, false)) {
      res.json({ start, limit: perPage, length: users.length, total: matching.length, users });
    } else {
      res.json(users);
    }
  });

  // Exact and case-sensitive at Auth0.
  router.get('/users-by-email', (req, res) => {
    const email = String(req.query.email);
    res.json(
      store
        .all()
        .filter((u) => u.email === email)
        .map((u) => view(u, res, req)),
    );
  });

  router.get('/users/:id', (req, res) => {
    if (!userIdOk(req.params.id, res)) return;
    const user = store.get(req.params.id);
    if (!user) return sendApiError(res, 404, 'The user does not exist.', 'inexistent_user');
    res.json(view(user, res, req));
  });

  router.post('/users', (req, res) => {
    const body = req.body as Record<string, unknown>;
    const conn = findConnection(body.connection);
    if (!conn) return sendApiError(res, 400, 'The connection does not exist.', 'inexistent_connection');
    if (!conn.database) {
      return sendApiError(res, 400, `Connection is not a database or passwordless connection: ${conn.name}`, 'operation_not_supported');
    }
    const email = str(body.email);
    if (!email) return sendApiError(res, 400, "Payload validation error: 'Missing required property: email'.", 'invalid_body');
    const password = str(body.password);
    if (!password) return sendApiError(res, 400, "Payload validation error: 'Missing required property: password'.", 'invalid_body');
    if (weakPassword(password, conn, res) || unwantedUsername(body, conn, res)) return;
    const rawId = str(body.user_id) ?? newUserId();
    const userId = `auth0|${rawId}`;
    if (!isUserId(userId)) return sendApiError(res, 400, `Object didn't pass validation for format user-id: ${userId}`, 'invalid_body');
    const duplicate = store
      .all()
      .some((u) => u.user_id === userId || (u.email?.toLowerCase() === email.toLowerCase() && u.identities[0]?.connection === conn.name));
    if (duplicate) return sendApiError(res, 409, 'The user already exists.', 'auth0_idp_error');
    const at = new Date(now()).toISOString();
    const user: StoredUser = {
      user_id: userId,
      email,
      email_verified: body.email_verified === true,
      name: str(body.name) ?? email,
      nickname: str(body.nickname) ?? email.split('@')[0],
      picture: str(body.picture) ?? `https://s.gravatar.example/avatar/${rawId}.png`,
      created_at: at,
      updated_at: at,
      identities: [{ connection: conn.name, provider: 'auth0', user_id: rawId, isSocial: false }],
      password_hash: hashPassword(password),
    };
    for (const key of [
      'given_name',
      'family_name',
      'username',
      'phone_number',
      'phone_verified',
      'blocked',
      'app_metadata',
      'user_metadata',
    ]) {
      if (body[key] !== undefined) user[key] = structuredClone(body[key]);
    }
    store.put(user);
    res.status(201).json(publicView(user, false));
  });

  router.patch('/users/:id', (req, res) => {
    if (!userIdOk(req.params.id, res)) return;
    const body = req.body as Record<string, unknown>;
    const readOnly = Object.keys(body).filter((k) => READ_ONLY.includes(k) || !UPDATABLE.has(k));
    if (readOnly.length > 0) {
      return sendApiError(
        res,
        400,
        `Payload validation error: 'Additional properties not allowed: ${readOnly.join(',')}'.`,
        'invalid_body',
      );
    }
    const existing = store.get(req.params.id);
    if (!existing) return sendApiError(res, 404, 'The user does not exist.', 'inexistent_user');
    const primary = existing.identities[0];
    const conn = findConnection(primary?.connection);
    if (conn && !conn.database) {
      const refusal = providerRefusal(body, conn);
      if (refusal) return sendApiError(res, 400, refusal, 'operation_not_supported');
    }
    if (weakPassword(body.password, conn, res) || unwantedUsername(body, conn, res)) return;
    const email = str(body.email);
    if (
      email &&
      store
        .all()
        .some(
          (u) =>
            u.user_id !== existing.user_id &&
            u.email?.toLowerCase() === email.toLowerCase() &&
            u.identities[0]?.connection === primary?.connection,
        )
    ) {
      return sendApiError(res, 409, 'The specified new email already exists', 'email_conflict');
    }
    const user = structuredClone(existing);
    for (const [key, value] of Object.entries(body)) {
      if (['client_id', 'connection', 'verify_email', 'verify_phone_number'].includes(key)) continue;
      if (key === 'password') {
        if (typeof value === 'string') user.password_hash = hashPassword(value);
      } else if (key === 'app_metadata' || key === 'user_metadata') {
        const merged = mergeMetadata(user[key], value as Record<string, unknown>);
        if (merged === undefined) delete user[key];
        else user[key] = merged;
      } else if (value === null) {
        delete user[key];
      } else {
        user[key] = structuredClone(value);
      }
    }
    user.updated_at = new Date(now()).toISOString();
    store.put(user);
    res.json(view(user, res, req));
  });

  router.delete('/users/:id', (req, res) => {
    if (!userIdOk(req.params.id, res)) return;
    store.delete(req.params.id);
    res.status(204).end();
  });

  return router;
}

/** Auth0's metadata merge: one level deep, `null` deletes a key, `{}` removes the object (undefined). */
export function mergeMetadata(current: unknown, patch: Record<string, unknown>): Record<string, unknown> | undefined {
  if (Object.keys(patch).length === 0) return undefined;
  const merged: Record<string, unknown> = { ...((current as Record<string, unknown>) ?? {}) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else Object.defineProperty(merged, key, { value: structuredClone(value), enumerable: true, writable: true, configurable: true });
  }
  return merged;
}
