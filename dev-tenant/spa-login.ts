import { randomBytes } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { AuthorizationCodes, GrantError } from './authorization-codes';
import type { KeyRing } from './key-ring';
import { errorPage, loginPage, loginPageCsp, webMessagePage, type LoginChoice } from './login-page';
import { LoginSessions, sessionCookie, sessionCookieOf } from './login-sessions';
import type { Organization, OrganizationStore } from './organizations';
import type { RoleStore } from './rbac';
import { DEMO_USERS } from './seed';
import type { SpaClients, DevSpaClient } from './spa-clients';
import type { StoredUser, UserStore } from './user-store';

/** What the SPA sign-in needs of the tenant. */
export interface SpaLoginTenant {
  readonly store: UserStore;
  readonly keys: KeyRing;
  readonly spaClients: SpaClients;
  readonly issuer: string;
  readonly appAudience: string;
  readonly organizations: OrganizationStore;
  readonly roles: RoleStore;
  mintAppToken(sub: string, options: { payload?: Record<string, unknown>; expiresIn?: number; org?: { orgId: string } }): string;
  orgClaims(orgId: string): { org_id: string; org_name?: string };
}

/** A sign-in between /authorize and the pick on the login page, in ms. */
const PENDING_TTL_MS = 10 * 60_000;
const ACCESS_TOKEN_TTL_S = 3600;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_HOSTS = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

interface Pending {
  client: DevSpaClient;
  redirectUri: string;
  state: string;
  challenge: string;
  scope: string;
  nonce: string | undefined;
  orgId: string | undefined;
  expiresAt: number;
}

function one(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function redirectWith(res: Response, redirectUri: string, params: Record<string, string>): void {
  const target = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
  res.redirect(302, target.toString());
}

/**
 * Sign-in for single-page applications, as the Auth0 SPA SDK drives it: `/authorize` (Authorization
 * Code + PKCE S256 only) shows a login page listing the demo users and starts a login session (a
 * cookie, login-sessions.ts) that answers silent requests (`prompt=none`), `/oauth/token` redeems the
 * code (with CORS for the client's web origins), `/v2/logout` ends the session and returns to an
 * allowed logout URL.
 * Development only, and loopback only: requests from elsewhere, or naming another host, are refused.
 */
export class SpaLogin {
  readonly codes: AuthorizationCodes;
  readonly sessions: LoginSessions;
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly tenant: SpaLoginTenant,
    private readonly now: () => number,
  ) {
    this.codes = new AuthorizationCodes(now);
    this.sessions = new LoginSessions(now);
  }

  routes(): Router {
    const router = Router();
    router.use(['/authorize', '/login', '/v2/logout'], loopbackOnly);
    router.get('/authorize', (req, res) => this.authorize(req, res));
    router.post('/login', express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => this.login(req, res));
    router.get('/v2/logout', (req, res) => this.logout(req, res));
    router.use('/oauth/token', (req, res, next) => this.cors(req, res, next));
    return router;
  }

  /** `grant_type=authorization_code` on /oauth/token. */
  exchange(req: Request, res: Response): void {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const client = this.tenant.spaClients.find(body.client_id);
    if (!client) {
      res.status(401).json({ error: 'invalid_client', error_description: 'Unknown client or client not allowed' });
      return;
    }
    try {
      const grant = this.codes.redeem({
        code: body.code,
        clientId: client.clientId,
        redirectUri: body.redirect_uri,
        codeVerifier: body.code_verifier,
      });
      const user = this.tenant.store.get(grant.sub);
      if (!user || user.blocked) throw new GrantError('invalid_grant', user ? 'user is blocked' : 'Invalid authorization code');
      const iat = Math.floor(this.now() / 1000);
      const accessToken = this.tenant.mintAppToken(grant.sub, {
        payload: { azp: client.clientId, scope: grant.scope },
        expiresIn: ACCESS_TOKEN_TTL_S,
        ...(grant.orgId ? { org: { orgId: grant.orgId } } : {}),
      });
      const idToken = this.tenant.keys.sign({
        iss: this.tenant.issuer,
        sub: grant.sub,
        aud: client.clientId,
        iat,
        exp: iat + 36_000,
        nonce: grant.nonce,
        name: user.name,
        nickname: user.nickname,
        email: user.email,
        email_verified: user.email_verified,
        ...(grant.orgId ? this.tenant.orgClaims(grant.orgId) : {}),
      });
      res.json({ access_token: accessToken, id_token: idToken, scope: grant.scope, expires_in: ACCESS_TOKEN_TTL_S, token_type: 'Bearer' });
    } catch (err) {
      if (!(err instanceof GrantError)) throw err;
      res.status(err.error === 'invalid_grant' ? 403 : 400).json({ error: err.error, error_description: err.message });
    }
  }

  private authorize(req: Request, res: Response): void {
    const q = req.query as Record<string, unknown>;
    const client = this.tenant.spaClients.find(q.client_id);
    if (!client) return void res.status(400).type('html').send(errorPage('Unknown client_id.'));
    const redirectUri = one(q.redirect_uri);
    if (!redirectUri || !client.callbackUrls.includes(redirectUri)) {
      return void res.status(400).type('html').send(errorPage("The redirect_uri is not among the client's allowed callback URLs."));
    }
    const state = one(q.state) ?? '';
    const fail = (error: string, description: string): void => {
      if (q.response_mode === 'web_message') return this.postMessage(res, redirectUri, { error, error_description: description, state });
      redirectWith(res, redirectUri, { error, error_description: description, ...(state ? { state } : {}) });
    };
    if (q.response_type !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported');
    if (q.code_challenge_method !== 'S256' || !CHALLENGE.test(one(q.code_challenge) ?? '')) {
      return fail('invalid_request', 'PKCE is required: code_challenge (S256) and code_challenge_method=S256');
    }
    if (!state) return fail('invalid_request', 'Missing required parameter: state');
    if (q.audience !== this.tenant.appAudience) return fail('access_denied', `Service not found: ${String(q.audience)}`);
    // Sign-in through an organization (by id or name): the user must be one of its members.
    let org: Organization | undefined;
    if (q.organization !== undefined) {
      org = this.tenant.organizations.byIdOrName(one(q.organization) ?? '');
      if (!org) return fail('invalid_request', `parameter organization is invalid: no organization found by that id or name`);
    }
    // Silent sign-in: the user of the login session, or login_required as Auth0 answers without one.
    if (q.prompt === 'none') {
      const user = this.tenant.store.get(this.sessions.use(sessionCookieOf(req.get('cookie'))) ?? '');
      if (!user || user.blocked) return fail('login_required', 'Login required');
      if (org && !this.tenant.organizations.isMember(org.id, user.user_id)) {
        return fail('access_denied', notAMember(user.user_id, org));
      }
      const code = this.codes.issue({
        clientId: client.clientId,
        redirectUri,
        codeChallenge: one(q.code_challenge)!,
        sub: user.user_id,
        audience: this.tenant.appAudience,
        scope: one(q.scope) ?? 'openid',
        nonce: one(q.nonce),
        orgId: org?.id,
      });
      if (q.response_mode === 'web_message') return this.postMessage(res, redirectUri, { code, state });
      return redirectWith(res, redirectUri, { code, state });
    }
    // An interactive request always shows the login page (picking a user replaces any session).
    const tx = randomBytes(18).toString('base64url');
    this.sweep();
    this.pending.set(tx, {
      client,
      redirectUri,
      state,
      challenge: one(q.code_challenge)!,
      scope: one(q.scope) ?? 'openid',
      nonce: one(q.nonce),
      orgId: org?.id,
      expiresAt: this.now() + PENDING_TTL_MS,
    });
    this.sendLoginPage(res, tx, client, redirectUri, undefined, org?.id);
  }

  private login(req: Request, res: Response): void {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const tx = one(body.tx) ?? '';
    const pending = this.pending.get(tx);
    if (!pending || pending.expiresAt <= this.now()) {
      this.pending.delete(tx);
      return void res
        .status(400)
        .type('html')
        .send(errorPage('This sign-in has expired or was already used. Start again from the application.'));
    }
    const user = this.pick(body);
    if (!user || user.blocked) {
      return this.sendLoginPage(
        res.status(400),
        tx,
        pending.client,
        pending.redirectUri,
        user ? 'That user is blocked.' : 'No such user on this tenant.',
        pending.orgId,
      );
    }
    this.pending.delete(tx);
    if (pending.orgId && !this.tenant.organizations.isMember(pending.orgId, user.user_id)) {
      const org = this.tenant.organizations.get(pending.orgId);
      return redirectWith(res, pending.redirectUri, {
        error: 'access_denied',
        error_description: notAMember(user.user_id, org ?? { id: pending.orgId, name: '' }),
        state: pending.state,
      });
    }
    this.sessions.end(sessionCookieOf(req.get('cookie')));
    res.setHeader('Set-Cookie', sessionCookie(this.sessions.start(user.user_id)));
    const code = this.codes.issue({
      clientId: pending.client.clientId,
      redirectUri: pending.redirectUri,
      codeChallenge: pending.challenge,
      sub: user.user_id,
      audience: this.tenant.appAudience,
      scope: pending.scope,
      nonce: pending.nonce,
      orgId: pending.orgId,
    });
    redirectWith(res, pending.redirectUri, { code, state: pending.state });
  }

  private logout(req: Request, res: Response): void {
    const client = this.tenant.spaClients.find(req.query.client_id);
    const returnTo = one(req.query.returnTo);
    if (!client) return void res.status(400).type('html').send(errorPage('Unknown client_id.'));
    // The login session ends whatever happens to returnTo, as on Auth0.
    this.sessions.end(sessionCookieOf(req.get('cookie')));
    res.setHeader('Set-Cookie', sessionCookie(undefined));
    if (!returnTo) return void res.type('html').send(errorPage('Signed out.'));
    if (!client.logoutUrls.includes(returnTo))
      return void res.status(400).type('html').send(errorPage("The returnTo URL is not among the client's allowed logout URLs."));
    res.redirect(302, returnTo);
  }

  private cors(req: Request, res: Response, next: NextFunction): void {
    const origin = req.get('origin');
    if (origin && this.tenant.spaClients.allowsOrigin(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'POST');
        res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Auth0-Client');
        res.setHeader('Access-Control-Max-Age', '600');
        return void res.status(204).end();
      }
    }
    next();
  }

  private pick(body: Record<string, unknown>): StoredUser | undefined {
    const sub = one(body.sub);
    if (sub) return this.tenant.store.get(sub);
    const email = one(body.email)?.trim().toLowerCase();
    return email ? this.tenant.store.all().find((u) => u.email?.toLowerCase() === email) : undefined;
  }

  /** The named demo accounts when the tenant has them; otherwise the first users of the store. */
  private choices(): LoginChoice[] {
    const named = Object.entries(DEMO_USERS).flatMap(([role, sub]) => {
      const user = this.tenant.store.get(sub);
      return user ? [{ role, user }] : [];
    });
    const users =
      named.length > 0
        ? named
        : this.tenant.store
            .all()
            .slice(0, 10)
            .map((user) => ({ role: '', user }));
    const orgs = this.tenant.organizations;
    const withOrganizations = orgs.all().length > 0;
    return users.map(({ role, user }) => {
      const md = user.app_metadata ?? {};
      // With Organizations seeded (ROLES_SOURCE=rbac), what the tenant's RBAC and memberships say.
      if (withOrganizations) {
        const tenantRoles = this.tenant.roles.namesOf(user.user_id).join(', ') || 'none';
        const memberships = orgs.organizationsOf(user.user_id).map((o) => {
          const memberRoles = orgs.memberRoleNames(o.id, user.user_id);
          return memberRoles.length > 0 ? `${o.name} as ${memberRoles.join(', ')}` : o.name;
        });
        return {
          sub: user.user_id,
          label: user.name ?? user.user_id,
          detail: `${user.email ?? user.user_id} · tenant roles: ${tenantRoles} · orgs: ${memberships.join('; ') || 'none'}`,
        };
      }
      const roles = Array.isArray(md.roles) && md.roles.length > 0 ? md.roles.join(', ') : 'no role';
      return {
        sub: user.user_id,
        label: `${user.name ?? user.user_id}${role ? ` (${role})` : ''}`,
        detail: `${user.email ?? user.user_id} · roles: ${roles} · org: ${typeof md.org === 'string' ? md.org : 'none'}`,
      };
    });
  }

  private sendLoginPage(res: Response, tx: string, client: DevSpaClient, redirectUri: string, error?: string, orgId?: string): void {
    res.setHeader('Content-Security-Policy', loginPageCsp([new URL(redirectUri).origin]));
    res.setHeader('Cache-Control', 'no-store');
    const org = orgId ? this.tenant.organizations.get(orgId) : undefined;
    const organization = org ? `${org.display_name ?? org.name} (${org.id})` : undefined;
    res.type('html').send(loginPage({ tx, clientId: client.clientId, choices: this.choices(), error, organization }));
  }

  private postMessage(res: Response, redirectUri: string, response: Record<string, string>): void {
    const nonce = randomBytes(12).toString('base64');
    res.setHeader('Content-Security-Policy', `default-src 'none'; script-src 'nonce-${nonce}'`);
    res.type('html').send(webMessagePage(new URL(redirectUri).origin, response, nonce));
  }

  private sweep(): void {
    const now = this.now();
    for (const [tx, p] of this.pending) if (p.expiresAt <= now) this.pending.delete(tx);
  }
}

/** Auth0's description when a user signs in through an organization it is not a member of. */
function notAMember(userId: string, org: Pick<Organization, 'id' | 'name'>): string {
  return `user ${userId} is not part of the ${org.id} organization`;
}

/** The sign-in pages answer loopback clients that name a loopback host only. */
function loopbackOnly(req: Request, res: Response, next: NextFunction): void {
  if (!LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? '') || !LOOPBACK_HOSTS.test(req.get('host') ?? '')) {
    return void res.status(403).type('html').send(errorPage('The dev tenant signs in loopback clients only.'));
  }
  next();
}
