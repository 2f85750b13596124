import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import jwt from 'jsonwebtoken';
import { DESK_OPERATIONS, deskApi, type DevTenantPlan } from './desk-api';
import { userEventsLogger } from './desk-events';
import { DeskStore } from './desk-store';
import { sendApiError } from './errors';
import { FaultInjector } from './fault-injector';
import { KeyRing } from './key-ring';
import { OpenApiValidator, type ValidationResult } from './openapi-validator';
import { organizationInvitationsApi } from './organization-invitations-api';
import { organizationMembersApi } from './organization-members-api';
import { OrganizationStore } from './organizations';
import { organizationsApi } from './organizations-api';
import { rbacApi, RoleStore } from './rbac';
import type { RateLimitSetting } from './rate-limit-presets';
import { RateLimiter } from './rate-limiter';
import { resetPage } from './reset-page';
import { seedUsers } from './seed';
import { SpaClients, type DevSpaClient } from './spa-clients';
import { SpaLogin } from './spa-login';
import { UserStore, type StoredUser } from './user-store';
import { usersApi } from './users-api';

/** A machine-to-machine application registered on the dev tenant. */
export interface DevClient {
  clientId: string;
  clientSecret: string;
  scopes: string[];
}

export interface DevTenantOptions {
  /** Port on 127.0.0.1; default 0 (any free port). */
  port?: number;
  /** Audience of the API that app tokens are issued for; default `https://usergate.local/api`. */
  appAudience?: string;
  /** Machine clients; default one client with every users scope. */
  clients?: DevClient[];
  /** Lifetime of machine tokens, in s; default 86400. */
  tokenExpiresIn?: number;
  /** Initial users; default the demo seed. */
  users?: StoredUser[];
  /** Clock, in ms since the epoch; default `Date.now`. */
  now?: () => number;
  /**
   * Management API rate limit: a preset by name (`free`, `essentials`, see rate-limit-presets.ts), a
   * preset, or one `{capacity, refillPerSecond}` bucket; default `unlimited`.
   */
  rateLimit?: RateLimitSetting;
  /** How long a search may run before the tenant answers 503, in ms of `now`; default 2000 (Auth0's). */
  searchBudgetMs?: number;
  /** Single-page applications that sign in with Authorization Code + PKCE (spa-login.ts); default none. */
  spaClients?: DevSpaClient[];
  /**
   * The plan the tenant behaves as (`DEV_TENANT_PLAN`): `enterprise` serves the session and
   * refresh-token endpoints, `standard` (the default) refuses them as Auth0 does below Enterprise.
   */
  plan?: DevTenantPlan;
}

/** One request the tenant's Management API received, with the OpenAPI verdict on it. */
export interface LoggedApiRequest {
  method: string;
  path: string;
  operation: string;
  query: Record<string, unknown>;
  body: unknown;
  requestId: string | undefined;
  /** The W3C trace context received, as a real tenant's tracing would see it. */
  traceparent: string | undefined;
  validation: ValidationResult;
}

export const DEFAULT_CLIENT: DevClient = {
  clientId: 'usergate-dev-m2m',
  clientSecret: 'dev-secret-not-for-production',
  scopes: [
    'read:users',
    'create:users',
    'update:users',
    'delete:users',
    'update:users_app_metadata',
    'read:user_idp_tokens',
    'create:user_tickets',
    'read:authentication_methods',
    'delete:authentication_methods',
    'read:sessions',
    'delete:sessions',
    'read:refresh_tokens',
    'delete:refresh_tokens',
    'read:device_credentials',
    'delete:device_credentials',
    'read:logs',
    'read:roles',
    'read:organizations',
    'create:organizations',
    'update:organizations',
    'delete:organizations',
    'read:organization_members',
    'create:organization_members',
    'delete:organization_members',
    'read:organization_member_roles',
    'create:organization_member_roles',
    'delete:organization_member_roles',
    'read:organization_invitations',
    'create:organization_invitations',
    'delete:organization_invitations',
  ],
};

/** Organization paths of the contract, most specific first. */
const ORGANIZATION_OPERATIONS: [RegExp, string][] = [
  [/^\/organizations$/, '/organizations'],
  [/^\/organizations\/name\/[^/]+$/, '/organizations/name/{name}'],
  [/^\/organizations\/[^/]+$/, '/organizations/{id}'],
  [/^\/organizations\/[^/]+\/members$/, '/organizations/{id}/members'],
  [/^\/organizations\/[^/]+\/members\/[^/]+\/roles$/, '/organizations/{id}/members/{user_id}/roles'],
  [/^\/organizations\/[^/]+\/invitations$/, '/organizations/{id}/invitations'],
  [/^\/organizations\/[^/]+\/invitations\/[^/]+$/, '/organizations/{id}/invitations/{invitation_id}'],
  [/^\/users\/[^/]+\/organizations$/, '/users/{id}/organizations'],
];

function operationOf(method: string, path: string): string | undefined {
  if (path === '/users' || path === '/users-by-email') return `${method} ${path}`;
  if (/^\/users\/[^/]+$/.test(path)) return `${method} /users/{id}`;
  if (/^\/users\/[^/]+\/roles$/.test(path)) return `${method} /users/{id}/roles`;
  if (path === '/roles') return `${method} /roles`;
  if (/^\/roles\/[^/]+$/.test(path)) return `${method} /roles/{id}`;
  const org = ORGANIZATION_OPERATIONS.find(([pattern]) => pattern.test(path));
  if (org) return `${method} ${org[1]}`;
  const desk = DESK_OPERATIONS.find((op) => op.method === method && op.pattern.test(path));
  return desk ? `${method} ${desk.template}` : undefined;
}

/**
 * A local tenant that behaves, as far as usergate can see, like Auth0: OIDC discovery, JWKS,
 * client-credentials tokens and the Management API users endpoints. Loopback only; for the demo
 * and for tests. Never loaded when usergate runs against a real tenant.
 */
export class DevTenant {
  readonly keys = new KeyRing();
  readonly store: UserStore;
  /** RBAC roles and who holds them; seeded to mirror the users' `app_metadata.roles` (a test may set them apart). */
  readonly roles: RoleStore;
  /** Organizations with their members, member roles and invitations; seeded empty (dev mode's rbac seed fills it). */
  readonly organizations: OrganizationStore;
  /** Tickets, jobs, blocks, authentication methods, sessions and log events, per user. */
  readonly desk: DeskStore;
  readonly faults = new FaultInjector();
  readonly rateLimit: RateLimiter;
  readonly counters = { tokenRequests: 0, jwksFetches: 0, apiCalls: 0 };
  readonly requestLog: LoggedApiRequest[] = [];
  readonly clients: DevClient[];
  readonly appAudience: string;
  readonly spaClients = new SpaClients();
  readonly spaLogin: SpaLogin;
  tokenExpiresIn: number;
  /** The plan the tenant behaves as; a test may change it. */
  plan: DevTenantPlan;
  /** Test knob: the search time budget, in ms of the tenant's clock (Auth0 ends a search after 2 s with 503). */
  searchBudgetMs: number;
  private readonly now: () => number;
  private readonly validator = new OpenApiValidator();
  private server?: Server;
  private baseUrl = '';

  constructor(private readonly options: DevTenantOptions = {}) {
    this.now = options.now ?? Date.now;
    this.store = new UserStore(options.users ?? seedUsers());
    this.desk = new DeskStore(this.now).seed(this.store.all());
    this.roles = RoleStore.mirroring(this.store.all());
    this.organizations = new OrganizationStore(this.roles);
    this.clients = options.clients ?? [DEFAULT_CLIENT];
    this.appAudience = options.appAudience ?? 'https://usergate.local/api';
    this.tokenExpiresIn = options.tokenExpiresIn ?? 86_400;
    this.rateLimit = new RateLimiter(options.rateLimit, this.now);
    this.searchBudgetMs = options.searchBudgetMs ?? 2000;
    this.plan = options.plan ?? 'standard';
    for (const client of options.spaClients ?? []) this.spaClients.register(client);
    this.spaLogin = new SpaLogin(this, this.now);
  }

  /** `http://127.0.0.1:PORT` once started. */
  get url(): string {
    return this.baseUrl;
  }

  /** What `iss` carries, with Auth0's trailing slash. */
  get issuer(): string {
    return `${this.baseUrl}/`;
  }

  get managementAudience(): string {
    return `${this.baseUrl}/api/v2/`;
  }

  async start(): Promise<this> {
    const server = this.app().listen(this.options.port ?? 0, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.faults.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /**
   * Mints an app access token for a user, as Auth0 would issue it after login. Test and demo only.
   * `claims` adds namespaced claims; `payload` overrides any registered claim. `org` issues the token
   * as through an organization login: `org_id`, and `org_name` when the tenant has that organization.
   */
  mintAppToken(
    sub: string,
    options: {
      claims?: Record<string, unknown>;
      payload?: Record<string, unknown>;
      expiresIn?: number;
      org?: { orgId: string };
    } = {},
  ): string {
    const iat = this.seconds();
    const org = options.org ? this.orgClaims(options.org.orgId) : {};
    return this.keys.sign({
      iss: this.issuer,
      sub,
      aud: [this.appAudience, `${this.baseUrl}/userinfo`],
      iat,
      exp: iat + (options.expiresIn ?? 3600),
      azp: 'usergate-dev-spa',
      scope: 'openid profile email',
      ...org,
      ...options.claims,
      ...options.payload,
    });
  }

  /** The claims a token issued through an organization login carries. */
  orgClaims(orgId: string): { org_id: string; org_name?: string } {
    const name = this.organizations.get(orgId)?.name;
    return { org_id: orgId, ...(name ? { org_name: name } : {}) };
  }

  /** Every request whose OpenAPI validation failed; usergate's suites expect none. */
  invalidRequests(): LoggedApiRequest[] {
    return this.requestLog.filter((r) => !r.validation.ok);
  }

  app(): express.Express {
    const app = express();
    app.disable('x-powered-by');
    app.set('query parser', 'simple');
    // Every API request is counted and logged, including those a fault knob then answers.
    app.use('/api/v2', express.json({ limit: '1mb' }), (req, res, next) => this.logApiRequest(req, res, next));
    app.use(this.faults.middleware());

    app.get('/.well-known/openid-configuration', (_req, res) => {
      res.json({
        issuer: this.issuer,
        jwks_uri: `${this.baseUrl}/.well-known/jwks.json`,
        token_endpoint: `${this.baseUrl}/oauth/token`,
        authorization_endpoint: `${this.baseUrl}/authorize`,
        end_session_endpoint: `${this.baseUrl}/v2/logout`,
        id_token_signing_alg_values_supported: ['RS256'],
        grant_types_supported: ['client_credentials', 'authorization_code'],
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
      });
    });
    app.get('/.well-known/jwks.json', (_req, res) => {
      this.counters.jwksFetches += 1;
      res.json(this.keys.jwks());
    });
    // Test knob over HTTP, for a tenant running in another process (the benchmark).
    app.get('/__dev/counters', (_req, res) => {
      res.json(this.counters);
    });
    app.use(this.spaLogin.routes());
    app.use(resetPage(this.store, this.desk, this.now));
    app.post('/oauth/token', express.json(), express.urlencoded({ extended: false }), (req, res) => this.issueToken(req, res));

    const api = express.Router();
    api.use(this.rateLimit.middleware());
    api.use((req, res, next) => this.checkMachineToken(req, res, next));
    api.use((req, res, next) => {
      const verdict = res.locals.validation as ValidationResult;
      if (!verdict.ok) return sendApiError(res, 400, verdict.message, verdict.errorCode);
      next();
    });
    api.use(userEventsLogger(this.store, this.desk));
    api.use(rbacApi(this.roles, this.store));
    api.use(organizationsApi(this.organizations));
    api.use(organizationMembersApi(this.organizations, this.roles, this.store));
    api.use(organizationInvitationsApi(this.organizations, this.roles, this.spaClients, this.now));
    api.use(usersApi(this.store, this.now, () => this.searchBudgetMs));
    api.use(
      deskApi(
        this.store,
        this.desk,
        this.now,
        () => this.baseUrl,
        () => this.plan,
      ),
    );
    api.use((_req: Request, res: Response) => sendApiError(res, 404, 'Not Found'));
    app.use('/api/v2', api);

    app.use((_req: Request, res: Response) => sendApiError(res, 404, 'Not Found'));
    // Malformed JSON and other body errors answer Auth0's 400, never an HTML page.
    app.use((err: { status?: number; message?: string }, _req: Request, res: Response, _next: NextFunction) => {
      const status = err.status && err.status < 500 ? err.status : 500;
      sendApiError(
        res,
        status,
        status === 400 ? 'Invalid request payload JSON format' : 'Internal error',
        status === 400 ? 'invalid_body' : undefined,
      );
    });
    return app;
  }

  private issueToken(req: Request, res: Response): void {
    this.counters.tokenRequests += 1;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.grant_type === 'authorization_code') return this.spaLogin.exchange(req, res);
    if (body.grant_type !== 'client_credentials') {
      res.status(400).json({ error: 'unsupported_grant_type', error_description: `Unsupported grant type: ${String(body.grant_type)}` });
      return;
    }
    const client = this.clients.find((c) => c.clientId === body.client_id);
    if (!client || client.clientSecret !== body.client_secret) {
      res.status(401).json({ error: 'access_denied', error_description: 'Unauthorized' });
      return;
    }
    if (body.audience !== this.managementAudience) {
      res.status(403).json({ error: 'access_denied', error_description: `Service not enabled within domain: ${String(body.audience)}` });
      return;
    }
    const iat = this.seconds();
    const scope = client.scopes.join(' ');
    const accessToken = this.keys.sign({
      iss: this.issuer,
      sub: `${client.clientId}@clients`,
      aud: this.managementAudience,
      iat,
      exp: iat + this.tokenExpiresIn,
      azp: client.clientId,
      gty: 'client-credentials',
      scope,
    });
    res.json({ access_token: accessToken, token_type: 'Bearer', expires_in: this.tokenExpiresIn, scope });
  }

  private logApiRequest(req: Request, res: Response, next: NextFunction): void {
    this.counters.apiCalls += 1;
    const operation = operationOf(req.method, req.path);
    const validation: ValidationResult = operation
      ? this.validator.validate(req.method, operation.split(' ')[1]!, req.query as Record<string, unknown>, req.body)
      : { ok: false, message: `No such operation: ${req.method} ${req.path}`, errorCode: 'invalid_uri' };
    res.locals.operation = operation;
    res.locals.validation = validation;
    this.requestLog.push({
      method: req.method,
      path: req.path,
      operation: operation ?? '',
      query: { ...(req.query as Record<string, unknown>) },
      body: req.body,
      requestId: req.get('x-request-id'),
      traceparent: req.get('traceparent'),
      validation,
    });
    next();
  }

  private checkMachineToken(req: Request, res: Response, next: NextFunction): void {
    const header = req.get('authorization') ?? '';
    const token = /^Bearer (\S+)$/.exec(header)?.[1];
    const invalid = (): void => {
      res.status(401).json({ statusCode: 401, error: 'Unauthorized', message: 'Invalid token', attributes: { error: 'Invalid token' } });
    };
    if (!token) return invalid();
    const decoded = jwt.decode(token, { complete: true });
    const key = decoded && typeof decoded.header.kid === 'string' ? this.keys.find(decoded.header.kid) : undefined;
    if (!key) return invalid();
    let claims: jwt.JwtPayload;
    try {
      claims = jwt.verify(token, key.publicKey, {
        algorithms: ['RS256'],
        audience: this.managementAudience,
        issuer: this.issuer,
        clockTimestamp: this.seconds(),
      }) as jwt.JwtPayload;
    } catch {
      return invalid();
    }
    const granted = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    res.locals.scopes = granted;
    // Any one of the scopes the contract lists for the operation (PATCH: update:users,
    // update:users_app_metadata or update:current_user_metadata).
    const operation = res.locals.operation as string | undefined;
    const accepted = operation ? (this.validator.scopesFor(...(operation.split(' ') as [string, string])) ?? []) : [];
    if (accepted.length > 0 && !accepted.some((scope) => granted.includes(scope))) {
      return sendApiError(res, 403, `Insufficient scope, expected any of: ${accepted.join(',')}`, 'insufficient_scope');
    }
    next();
  }
}

/** Starts a dev tenant on loopback. */
export async function startDevTenant(options: DevTenantOptions = {}): Promise<DevTenant> {
  return new DevTenant(options).start();
}
