import { DEFAULT_CLIENT, startDevTenant, type DevTenant } from './dev-tenant';
import { DEMO_USERS } from './seed';
import { CONSOLE_CLIENT_ID, consoleClient } from './spa-clients';

/**
 * `npm start` without AUTH0_DOMAIN: starts the dev tenant on loopback and returns the environment
 * that points usergate at it. Loaded only then; never in production.
 */
export async function startDevMode(env: Record<string, string | undefined>): Promise<{ tenant: DevTenant; env: Record<string, string | undefined> }> {
  const tenant = await startDevTenant({ port: Number(env.DEV_TENANT_PORT ?? 0) });
  return {
    tenant,
    env: {
      ...env,
      AUTH0_DOMAIN: tenant.url,
      AUTH0_AUDIENCE: tenant.appAudience,
      MGMT_CLIENT_ID: DEFAULT_CLIENT.clientId,
      MGMT_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
      CONSOLE_CLIENT_ID: env.CONSOLE_CLIENT_ID ?? CONSOLE_CLIENT_ID,
    },
  };
}

/** Registers the console as an SPA client for usergate's loopback origins, once usergate listens. */
export function registerConsole(tenant: DevTenant, usergateUrl: string): void {
  const port = new URL(usergateUrl).port;
  tenant.spaClients.register(consoleClient([`http://127.0.0.1:${port}`, `http://localhost:${port}`]));
}

/** The banner with a ready token and a curl line per demo role. */
export function devBanner(tenant: DevTenant, usergateUrl: string): string {
  const lines = [
    '',
    '=== usergate is running on a LOCAL DEV TENANT (not Auth0; demo data; loopback only) ===',
    `dev tenant: ${tenant.url}   usergate: ${usergateUrl}`,
    'Set AUTH0_DOMAIN (see .env.example) to run against a real tenant.',
    `Admin console: open ${usergateUrl}/console/ and pick a demo user on the dev tenant's login page.`,
    '',
  ];
  for (const [role, sub] of Object.entries(DEMO_USERS)) {
    const token = tenant.mintAppToken(sub, { expiresIn: 8 * 3600 });
    lines.push(`# ${role} (${sub})`, `TOKEN_${role.toUpperCase()}=${token}`);
    lines.push(`curl -s -H "Authorization: Bearer $TOKEN_${role.toUpperCase()}" ${usergateUrl}/me/permissions`, '');
  }
  return lines.join('\n');
}
