/*
 * Starts the dev tenant on its own: `npm run dev-tenant` (DEV_TENANT_PORT, default 4010; DEV_TENANT_RATE_LIMIT;
 * DEV_TENANT_PLAN; ROLES_SOURCE=rbac seeds RBAC roles and Organizations from ACL_FILE's roles).
 */
import { DEMO_USERS } from './seed';
import { PLAN_ENV } from './desk-api';
import { DEFAULT_CLIENT, startDevTenant } from './dev-tenant';
import { RATE_LIMIT_ENV } from './rate-limit-presets';
import { DEMO_ORG, policyRoles, seedOrganizations } from './seed-organizations';
import { devTenantSettings } from './settings';

async function main(): Promise<void> {
  const { port, rateLimit, plan } = devTenantSettings(process.env, 4010, 'standard');
  const tenant = await startDevTenant({ port, rateLimit, plan });
  const rbac = process.env.ROLES_SOURCE === 'rbac' ? seedOrganizations(tenant, policyRoles(process.env)) : undefined;
  const demoOrg = tenant.organizations.byName(DEMO_ORG);
  const lines = [
    '== usergate local dev tenant (NOT Auth0; loopback only, demo data) ==',
    `URL:           ${tenant.url}`,
    `issuer:        ${tenant.issuer}`,
    `app audience:  ${tenant.appAudience}`,
    `M2M client:    ${DEFAULT_CLIENT.clientId} / ${DEFAULT_CLIENT.clientSecret}`,
    `rate limit:    ${rateLimit ?? 'unlimited'} (${RATE_LIMIT_ENV}=free|essentials)`,
    `plan:          ${plan} (${PLAN_ENV}=enterprise|standard; usergate's AUTH0_PLAN must match)`,
    '',
    'Run usergate against it:',
    `  AUTH0_PLAN=${plan} AUTH0_DOMAIN=${tenant.url} AUTH0_AUDIENCE=${tenant.appAudience} MGMT_CLIENT_ID=${DEFAULT_CLIENT.clientId} MGMT_CLIENT_SECRET=${DEFAULT_CLIENT.clientSecret} npm start`,
    '',
    'App tokens (1 hour):',
    ...Object.entries(DEMO_USERS).map(([role, sub]) => `  ${role.padEnd(8)} ${tenant.mintAppToken(sub)}`),
    ...(rbac && demoOrg
      ? [
          '',
          `RBAC and Organizations seeded (ROLES_SOURCE=rbac); run usergate with ROLES_SOURCE=rbac. Tokens through ${DEMO_ORG} (${demoOrg.id}):`,
          ...Object.entries(DEMO_USERS)
            .filter(([, sub]) => tenant.organizations.isMember(demoOrg.id, sub))
            .map(([role, sub]) => `  ${role.padEnd(8)} ${tenant.mintAppToken(sub, { org: { orgId: demoOrg.id } })}`),
        ]
      : []),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  const stop = (): void => void tenant.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`dev tenant failed to start: ${String(err)}\n`);
  process.exit(1);
});
