/**
 * A single-page application registered on the dev tenant, as in Auth0's dashboard: a public client
 * (no secret) that signs in with Authorization Code + PKCE. URLs are compared exactly, as Auth0 does.
 */
export interface DevSpaClient {
  clientId: string;
  /** "Allowed Callback URLs": where /authorize may send the code. */
  callbackUrls: string[];
  /** "Allowed Logout URLs": where /v2/logout may return to. */
  logoutUrls: string[];
  /** "Allowed Web Origins": browser origins that may call /oauth/token. */
  webOrigins: string[];
  /**
   * "Application Login URI": where an organization invitation sends the invitee (with `invitation`,
   * `organization` and `organization_name`). Auth0 requires https; the loopback-only dev tenant accepts
   * its loopback http origins. Without one, invitations for the client are refused, as at Auth0.
   */
  initiateLoginUri?: string;
}

/** The client id of the reference console on the dev tenant. */
export const CONSOLE_CLIENT_ID = 'usergate-dev-console';

/** The console's registration for a usergate reachable at these origins (console at `/console/`). */
export function consoleClient(origins: string[]): DevSpaClient {
  return {
    clientId: CONSOLE_CLIENT_ID,
    callbackUrls: origins.map((o) => `${o}/console/`),
    logoutUrls: origins.map((o) => `${o}/console/`),
    webOrigins: origins,
    ...(origins[0] ? { initiateLoginUri: `${origins[0]}/console/` } : {}),
  };
}

/** The SPA clients of a tenant; usergate's dev mode registers the console once it knows its port. */
export class SpaClients {
  private readonly clients = new Map<string, DevSpaClient>();

  register(client: DevSpaClient): void {
    this.clients.set(client.clientId, client);
  }

  find(clientId: unknown): DevSpaClient | undefined {
    return typeof clientId === 'string' ? this.clients.get(clientId) : undefined;
  }

  /** Whether any registered client allows this browser origin. */
  allowsOrigin(origin: string): boolean {
    return [...this.clients.values()].some((c) => c.webOrigins.includes(origin));
  }
}
