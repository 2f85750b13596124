import { DEFAULT_CLIENT, startDevTenant, type DevTenant } from './dev-tenant';
import { DEMO_USERS } from './seed';
import { DEMO_ORG, policyRoles, seedInvitation, seedOrganizations, type DemoRoles } from './seed-organizations';
import { devTenantSettings } from './settings';
import { CONSOLE_CLIENT_ID, consoleClient } from './spa-clients';

/** The demo roles of a tenant seeded for `ROLES_SOURCE=rbac` (set by startDevMode). */
const rbacDemos = new WeakMap<DevTenant, DemoRoles>();

/**
 * `npm start` without AUTH0_DOMAIN: starts the dev tenant on loopback and returns the environment
 * that points usergate at it. Loaded only then; never in production. With `ROLES_SOURCE=rbac` the
 * tenant is seeded with Auth0's RBAC and Organizations model (seed-organizations.ts), its roles named
 * after the policy file's.
 */
export async function startDevMode(
  env: Record<string, string | undefined>,
): Promise<{ tenant: DevTenant; env: Record<string, string | undefined> }> {
  // The demo shows every desk feature: an Enterprise tenant unless DEV_TENANT_PLAN says otherwise.
  const settings = devTenantSettings(env, 0, 'enterprise');
  const tenant = await startDevTenant(settings);
  const rbac = env.ROLES_SOURCE === 'rbac';
  if (rbac) {
    try {
      rbacDemos.set(tenant, seedOrganizations(tenant, policyRoles(env)));
    } catch (err) {
      await tenant.stop();
      throw err;
    }
  }
  return {
    tenant,
    env: {
      ...env,
      AUTH0_DOMAIN: tenant.url,
      AUTH0_AUDIENCE: tenant.appAudience,
      MGMT_CLIENT_ID: DEFAULT_CLIENT.clientId,
      MGMT_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
      // usergate told the plan the tenant behaves as (unless the developer sets it apart, to see the mismatch).
      AUTH0_PLAN: env.AUTH0_PLAN ?? settings.plan,
      // Metrics on in the demo (any free port unless set), printed in the banner.
      METRICS_PORT: env.METRICS_PORT || '0',
      CONSOLE_CLIENT_ID: env.CONSOLE_CLIENT_ID ?? CONSOLE_CLIENT_ID,
      // Roles and org from Auth0's RBAC and Organizations; invitations are for the console.
      ...(rbac
        ? { ORG_SOURCE: env.ORG_SOURCE ?? 'organizations', INVITATION_CLIENT_ID: env.INVITATION_CLIENT_ID ?? CONSOLE_CLIENT_ID }
        : {}),
    },
  };
}

/**
 * Registers the console as an SPA client for usergate's loopback origins, once usergate listens; with
 * the rbac seed, then creates the pending invitation (its URL is the console's login URI).
 */
export function registerConsole(tenant: DevTenant, usergateUrl: string): void {
  const port = new URL(usergateUrl).port;
  tenant.spaClients.register(consoleClient([`http://127.0.0.1:${port}`, `http://localhost:${port}`]));
  const demo = rbacDemos.get(tenant);
  if (demo) seedInvitation(tenant, CONSOLE_CLIENT_ID, demo);
}

/** One demo caller of the rbac seed: its banner name, user, role and the organization its token names. */
export interface RbacDemoCaller {
  name: 'TENANT_ADMIN' | 'ORG_ADMIN' | 'ORG_MEMBER';
  sub: string;
  role: string;
  orgId?: string;
}

/** The rbac seed's demo callers (none when the tenant was not seeded for `ROLES_SOURCE=rbac`). */
export function rbacDemoCallers(tenant: DevTenant): RbacDemoCaller[] {
  const demo = rbacDemos.get(tenant);
  if (!demo) return [];
  const orgId = tenant.organizations.byName(DEMO_ORG)?.id;
  const callers: RbacDemoCaller[] = [];
  if (demo.tenantAdmin) callers.push({ name: 'TENANT_ADMIN', sub: DEMO_USERS.admin, role: demo.tenantAdmin });
  if (demo.orgAdmin) callers.push({ name: 'ORG_ADMIN', sub: DEMO_USERS.support, role: demo.orgAdmin, orgId });
  if (demo.orgMember) callers.push({ name: 'ORG_MEMBER', sub: DEMO_USERS.none, role: demo.orgMember, orgId });
  return callers;
}

/** The rbac banner: a token and curl lines per demo caller, org tokens carrying org_id as an organization login does. */
function rbacBannerLines(tenant: DevTenant, usergateUrl: string): string[] {
  const lines: string[] = [];
  for (const caller of rbacDemoCallers(tenant)) {
    const token = tenant.mintAppToken(caller.sub, { expiresIn: 8 * 3600, ...(caller.orgId ? { org: { orgId: caller.orgId } } : {}) });
    const how = caller.orgId
      ? `member role ${JSON.stringify(caller.role)} in ${DEMO_ORG}, token with org_id ${caller.orgId}`
      : `tenant role ${JSON.stringify(caller.role)}, token without org_id`;
    lines.push(`# ${caller.name.toLowerCase().replace('_', ' ')} (${caller.sub}): ${how}`, `TOKEN_${caller.name}=${token}`);
    lines.push(`curl -s -H "Authorization: Bearer $TOKEN_${caller.name}" ${usergateUrl}/me/permissions`);
    if (caller.name === 'ORG_ADMIN' && caller.orgId) {
      lines.push(`curl -s -H "Authorization: Bearer $TOKEN_${caller.name}" ${usergateUrl}/orgs/${caller.orgId}/members`);
      lines.push(`curl -s -H "Authorization: Bearer $TOKEN_${caller.name}" ${usergateUrl}/orgs/${caller.orgId}/invitations`);
    }
    lines.push('');
  }
  return lines;
}

/** The support desk's capabilities, one curl line each in the banner: method, path suffix, what it shows. */
const DESK_LINES: [method: string, suffix: string, what: string][] = [
  ['POST', 'password-change-ticket', 'a password-reset link (bearer: give it to the user only); open it to set a password'],
  ['POST', 'verification-email', 'send the verification email again'],
  ['GET', 'blocks', 'brute-force blocks'],
  ['DELETE', 'blocks', 'lift them'],
  ['GET', 'authentication-methods', 'enrolled MFA factors (no secrets)'],
  ['DELETE', 'authentication-methods', 'reset MFA'],
  ['GET', 'sessions', 'sessions'],
  ['DELETE', 'sessions', 'sign out everywhere'],
  ['GET', 'logs?per_page=5', "login history, cut to the role's log_fields"],
];

/** curl's `-w` format of the desk lines: the status on a line of its own, after the body (if any). */
const STATUS_FORMAT = String.raw`\nHTTP %{http_code}\n`;

/** A demo user the support role may work on: same org, no role, ideally with a block and MFA factors. */
function deskDemoTarget(tenant: DevTenant): string | undefined {
  const org = tenant.store.get(DEMO_USERS.support)?.app_metadata?.org;
  const candidates = tenant.store
    .all()
    .filter(
      (u) =>
        u.app_metadata?.org === org &&
        !Array.isArray(u.app_metadata?.roles) &&
        u.identities[0]?.provider === 'auth0' &&
        !Object.values<string>(DEMO_USERS).includes(u.user_id),
    );
  return (candidates.find((u) => tenant.desk.blocks.has(u.user_id) && tenant.desk.methods.has(u.user_id)) ?? candidates[0])?.user_id;
}

/** The banner with a ready token and a curl line per demo role, then one per support-desk capability. */
export function devBanner(tenant: DevTenant, usergateUrl: string, metricsUrl?: string): string {
  const lines = [
    '',
    '=== usergate is running on a LOCAL DEV TENANT (not Auth0; demo data; loopback only) ===',
    `dev tenant: ${tenant.url}   usergate: ${usergateUrl}`,
    'Set AUTH0_DOMAIN (see .env.example) to run against a real tenant.',
    `Admin console: open ${usergateUrl}/console/ and pick a demo user on the dev tenant's login page.`,
    `API reference: ${usergateUrl}/docs/   OpenAPI document: ${usergateUrl}/openapi.json`,
    ...(metricsUrl ? [`metrics (Prometheus): ${metricsUrl}`] : []),
    '',
  ];
  if (rbacDemos.has(tenant)) {
    lines.push('Roles from Auth0 RBAC, orgs from Auth0 Organizations (ROLES_SOURCE=rbac, ORG_SOURCE=organizations).', '');
    return [...lines, ...rbacBannerLines(tenant, usergateUrl)].join('\n');
  }
  for (const [role, sub] of Object.entries(DEMO_USERS)) {
    const token = tenant.mintAppToken(sub, { expiresIn: 8 * 3600 });
    lines.push(`# ${role} (${sub})`, `TOKEN_${role.toUpperCase()}=${token}`);
    lines.push(`curl -s -H "Authorization: Bearer $TOKEN_${role.toUpperCase()}" ${usergateUrl}/me/permissions`, '');
  }
  const target = deskDemoTarget(tenant);
  if (target) {
    lines.push(`# support desk, as support on ${target} (its org, no role)`);
    for (const [method, suffix, what] of DESK_LINES) {
      const verb = method === 'GET' ? '' : ` -X ${method}`;
      // -w prints the status after the body: a 202 or 204 answer has no body to show.
      lines.push(
        `curl -s${verb} -H "Authorization: Bearer $TOKEN_SUPPORT" "${usergateUrl}/users/${encodeURIComponent(target)}/${suffix}" -w "${STATUS_FORMAT}"   # ${what}`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
