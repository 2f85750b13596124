import { DEFAULT_CLIENT, startDevTenant, type DevTenant } from './dev-tenant';
import { DEMO_USERS } from './seed';

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
      // Metrics on in the demo (any free port unless set), printed in the banner.
      METRICS_PORT: env.METRICS_PORT || '0',
    },
  };
}

/** The banner with a ready token and a curl line per demo role. */
export function devBanner(tenant: DevTenant, usergateUrl: string, metricsUrl?: string): string {
  const lines = [
    '',
    '=== usergate is running on a LOCAL DEV TENANT (not Auth0; demo data; loopback only) ===',
    `dev tenant: ${tenant.url}   usergate: ${usergateUrl}`,
    'Set AUTH0_DOMAIN (see .env.example) to run against a real tenant.',
    `API reference: ${usergateUrl}/docs/   OpenAPI document: ${usergateUrl}/openapi.json`,
    ...(metricsUrl ? [`metrics (Prometheus): ${metricsUrl}`] : []),
    '',
  ];
  for (const [role, sub] of Object.entries(DEMO_USERS)) {
    const token = tenant.mintAppToken(sub, { expiresIn: 8 * 3600 });
    lines.push(`# ${role} (${sub})`, `TOKEN_${role.toUpperCase()}=${token}`);
    lines.push(`curl -s -H "Authorization: Bearer $TOKEN_${role.toUpperCase()}" ${usergateUrl}/me/permissions`, '');
  }
  return lines.join('\n');
}
