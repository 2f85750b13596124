import { Auth0Client, type User as IdUser } from '@auth0/auth0-spa-js';

/** /console/config.json: where and as whom the console signs in (all public values of an SPA). */
export interface ConsoleConfig {
  domain: string;
  clientId: string;
  audience: string;
  issuer: string;
}

export interface Session {
  user: IdUser | undefined;
  getToken: () => Promise<string>;
  signOut: () => Promise<void>;
}

/** The console's own URL, which is its redirect and logout URL on the tenant. */
export function consoleUrl(): string {
  return `${window.location.origin}/console/`;
}

/**
 * Authorization Code + PKCE through Auth0's SPA SDK. Tokens stay in memory, never in the browser's
 * storage; a reload signs in again silently (`checkSession`: `prompt=none` in a hidden frame, answered
 * from the tenant's login session cookie), and only when this browser signed in before (the SDK's
 * `auth0.<client id>.is.authenticated` cookie), so a first visit never waits on the tenant.
 * docs/CONSOLE.md says what this relies on.
 */
export function createAuth(config: ConsoleConfig) {
  const client = new Auth0Client({
    domain: config.domain,
    clientId: config.clientId,
    // The SDK expects an https issuer; pass it only when it is not the domain's own (a custom domain).
    issuer: config.issuer === `${config.domain}/` ? undefined : config.issuer,
    cacheLocation: 'memory',
    useRefreshTokens: false,
    // A silent sign-in that gets no answer gives up after 10 s (the SDK waits 60 s), showing "Sign in".
    authorizeTimeoutInSeconds: 10,
    authorizationParams: { audience: config.audience, redirect_uri: consoleUrl(), scope: 'openid profile email' },
  });

  const session = (user: IdUser | undefined): Session => ({
    user,
    getToken: async () => {
      const token = await client.getTokenSilently();
      if (!token) throw new Error('no access token: sign in again');
      return token;
    },
    signOut: () => client.logout({ logoutParams: { returnTo: consoleUrl() } }),
  });

  return {
    /**
     * To the tenant's login page; through an organization (its name or `org_` id) when one is given:
     * Auth0 then signs in only its members and puts its `org_id` in the tokens, and the SDK checks the
     * ID token's `org_id`/`org_name` against it and keeps it for the silent sign-in after a reload.
     */
    signIn: (organization?: string) => client.loginWithRedirect(organization ? { authorizationParams: { organization } } : undefined),
    /** After the tenant redirects back with `code` and `state`: redeem them; otherwise a silent sign-in, or signed out. */
    async resume(): Promise<Session | undefined> {
      const params = new URLSearchParams(window.location.search);
      if (params.has('error')) throw new Error(params.get('error_description') ?? params.get('error') ?? 'sign-in failed');
      if (!params.has('code') || !params.has('state')) {
        // A reload: the tenant's session, if it still has one, signs the agent in again without a page.
        await client.checkSession();
        return (await client.isAuthenticated()) ? session(await client.getUser()) : undefined;
      }
      try {
        await client.handleRedirectCallback();
      } finally {
        window.history.replaceState(null, '', consoleUrl() + window.location.hash);
      }
      return session(await client.getUser());
    },
  };
}
