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
 * Authorization Code + PKCE through Auth0's SPA SDK. Tokens stay in memory (a reload signs in
 * again); the SDK's silent sign-in is not attempted at start, so a page load never waits on the tenant.
 */
export function createAuth(config: ConsoleConfig) {
  const client = new Auth0Client({
    domain: config.domain,
    clientId: config.clientId,
    // The SDK expects an https issuer; pass it only when it is not the domain's own (a custom domain).
    issuer: config.issuer === `${config.domain}/` ? undefined : config.issuer,
    cacheLocation: 'memory',
    useRefreshTokens: false,
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
    signIn: () => client.loginWithRedirect(),
    /** After the tenant redirects back with `code` and `state`: redeem them; otherwise signed out. */
    async resume(): Promise<Session | undefined> {
      const params = new URLSearchParams(window.location.search);
      if (params.has('error')) throw new Error(params.get('error_description') ?? params.get('error') ?? 'sign-in failed');
      if (!params.has('code') || !params.has('state')) return undefined;
      try {
        await client.handleRedirectCallback();
      } finally {
        window.history.replaceState(null, '', consoleUrl() + window.location.hash);
      }
      return session(await client.getUser());
    },
  };
}
