import { Router, type Request, type Response } from 'express';
import { sendApiError } from './errors';
import { compileQuery, valuesAt } from './user-search';
import { CONNECTIONS, hashPassword, newUserId, type StoredUser, type UserStore } from './user-store';
import { project, publicView } from './user-view';

/** Auth0 only pages through the first 1000 results of a search. */
export const PAGING_CAP = 1000;

const READ_ONLY = ['user_id', 'identities', 'created_at', 'updated_at', 'last_login', 'last_ip', 'logins_count', 'multifactor'];
const UPDATABLE = new Set(['app_metadata', 'blocked', 'client_id', 'connection', 'email', 'email_verified', 'family_name',
  'given_name', 'name', 'nickname', 'password', 'phone_number', 'phone_verified', 'picture', 'user_metadata', 'username',
  'verify_email', 'verify_phone_number']);
/** Root attributes a social or enterprise connection owns (profile sync on). */
const SYNCED_ATTRIBUTES = ['name', 'given_name', 'family_name', 'nickname', 'picture', 'username'];
const USER_ID_FORMAT = /^[A-Za-z0-9_.-]+(\|[A-Za-z0-9_.@+=:~-]+)+$/;

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

/** The users endpoints of the Management API v2, with Auth0's behaviour (see docs/auth0-contract.md). */
export function usersApi(store: UserStore, now: () => number): Router {
  const router = Router();
  const userIdOk = (id: string, res: Response): boolean => {
    if (id.length <= 300 && USER_ID_FORMAT.test(id)) return true;
    sendApiError(res, 400, `Object didn't pass validation for format user-id: ${id}`, 'invalid_uri');
    return false;
  };

  router.get('/users', (req, res) => {
    let matching = store.all();
    const q = str(req.query.q);
    if (q) {
      try {
        const predicate = compileQuery(q);
        matching = matching.filter(predicate);
      } catch {
        return sendApiError(res, 400, `Bad Request: failed to parse query string: ${q}`, 'invalid_query_string');
      }
    }
    const connection = str(req.query.connection);
    if (connection) matching = matching.filter((u) => u.identities.some((i) => i.connection === connection));
    const sort = str(req.query.sort);
    if (sort) {
      const [field, direction] = sort.split(':') as [string, string];
      matching = [...matching].sort(compareBy(field, Number(direction)));
    }
    const page = Number(req.query.page ?? 0);
    const perPage = Number(req.query.per_page ?? 50);
    const start = page * perPage;
    if (start >= PAGING_CAP && perPage > 0) {
      return sendApiError(res, 400, 'You can only page through the first 1000 records. See https://auth0.com/docs/users/search/v3/view-search-results-by-page#limitation', 'invalid_paging');
    }
    const users = matching.slice(0, PAGING_CAP).slice(start, start + perPage).map((u) => view(u, res, req));
    if (boolParam(req.query.include_totals, false)) {
      res.json({ start, limit: perPage, length: users.length, total: matching.length, users });
    } else {
      res.json(users);
    }
  });

  router.get('/users-by-email', (req, res) => {
    const email = String(req.query.email).toLowerCase();
    res.json(store.all().filter((u) => u.email?.toLowerCase() === email).map((u) => view(u, res, req)));
  });

  router.get('/users/:id', (req, res) => {
    if (!userIdOk(req.params.id, res)) return;
    const user = store.get(req.params.id);
    if (!user) return sendApiError(res, 404, 'The user does not exist.', 'inexistent_user');
    res.json(view(user, res, req));
  });

  router.post('/users', (req, res) => {
    const body = req.body as Record<string, unknown>;
    const conn = CONNECTIONS.find((c) => c.name === body.connection);
    if (!conn) return sendApiError(res, 400, 'The connection does not exist.', 'inexistent_connection');
    if (!conn.database) {
      return sendApiError(res, 400, `Connection is not a database or passwordless connection: ${conn.name}`, 'operation_not_supported');
    }
    const email = str(body.email);
    if (!email) return sendApiError(res, 400, "Payload validation error: 'Missing required property: email'.", 'invalid_body');
    const password = str(body.password);
    if (!password) return sendApiError(res, 400, "Payload validation error: 'Missing required property: password'.", 'invalid_body');
    if (password.length < 8) return sendApiError(res, 400, 'PasswordStrengthError: Password is too weak', 'invalid_body');
    const rawId = str(body.user_id) ?? newUserId();
    const userId = `auth0|${rawId}`;
    const duplicate = store.all().some(
      (u) => u.user_id === userId || (u.email?.toLowerCase() === email.toLowerCase() && u.identities[0]?.connection === conn.name),
    );
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
    for (const key of ['given_name', 'family_name', 'username', 'phone_number', 'phone_verified', 'blocked', 'app_metadata', 'user_metadata']) {
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
      return sendApiError(res, 400, `Payload validation error: 'Additional properties not allowed: ${readOnly.join(',')}'.`, 'invalid_body');
    }
    const existing = store.get(req.params.id);
    if (!existing) return sendApiError(res, 404, 'The user does not exist.', 'inexistent_user');
    const primary = existing.identities[0];
    const conn = CONNECTIONS.find((c) => c.name === primary?.connection);
    if (conn && !conn.database) {
      if ('email' in body) return sendApiError(res, 400, 'Cannot update email for non-database user.', 'operation_not_supported');
      if ('password' in body) return sendApiError(res, 400, 'Cannot update password for non-database user.', 'operation_not_supported');
      const synced = SYNCED_ATTRIBUTES.filter((k) => k in body);
      if (synced.length > 0) {
        return sendApiError(res, 400,
          `The following user attributes cannot be updated: ${synced.join(', ')}. The connection (${conn.name}) must either be a database connection (using the Auth0 store), a passwordless connection (email or sms) or has disabled 'Sync user profile attributes at each login'. For more information, see https://auth0.com/docs/dashboard/guides/connections/configure-connection-sync`,
          'operation_not_supported');
      }
    }
    const email = str(body.email);
    if (email && store.all().some((u) => u.user_id !== existing.user_id && u.email?.toLowerCase() === email.toLowerCase()
      && u.identities[0]?.connection === primary?.connection)) {
      return sendApiError(res, 409, 'The specified new email already exists', 'email_conflict');
    }
    const user = structuredClone(existing);
    for (const [key, value] of Object.entries(body)) {
      if (['client_id', 'connection', 'verify_email', 'verify_phone_number'].includes(key)) continue;
      if (key === 'password') {
        if (typeof value === 'string') user.password_hash = hashPassword(value);
      } else if (key === 'app_metadata' || key === 'user_metadata') {
        user[key] = mergeMetadata(user[key], value as Record<string, unknown>);
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

/** Auth0's metadata merge: one level deep, `null` deletes a key, `{}` wipes the object. */
export function mergeMetadata(current: unknown, patch: Record<string, unknown>): Record<string, unknown> {
  if (Object.keys(patch).length === 0) return {};
  const merged: Record<string, unknown> = { ...((current as Record<string, unknown>) ?? {}) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else Object.defineProperty(merged, key, { value: structuredClone(value), enumerable: true, writable: true, configurable: true });
  }
  return merged;
}
