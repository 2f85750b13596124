export { DevTenant, startDevTenant, DEFAULT_CLIENT, type DevClient, type DevTenantOptions, type LoggedApiRequest } from './dev-tenant';
export { DEMO_USERS, SEED_ORGS, seedUsers } from './seed';
export { RoleStore, roleIdFor, type Role } from './rbac';
export { OrganizationStore, organizationIdFor, ORGANIZATION_NAME, type Invitation, type Organization } from './organizations';
export { DEMO_ORG, demoRoles, policyRoles, seedInvitation, seedOrganizations, type DemoRoles, type PolicyRole } from './seed-organizations';
export { OpenApiValidator } from './openapi-validator';
export type { StoredUser } from './user-store';
export type { FaultRule } from './fault-injector';
export { DESK_OPERATIONS, DEV_TENANT_PLANS, PLAN_ENV, planFromEnv, type DevTenantPlan } from './desk-api';
export type { AuthenticationMethod, DeskStore, DeviceCredential, LogEvent, Session, Ticket, UserBlock } from './desk-store';
export {
  RATE_LIMIT_PRESETS,
  RATE_LIMIT_ENV,
  presetFromEnv,
  type RateLimitPreset,
  type RateLimitPresetName,
  type RateLimitSetting,
} from './rate-limit-presets';
export { CONNECTIONS, connectionIdFor, type Connection } from './connections';
export { CONSOLE_CLIENT_ID, consoleClient, type DevSpaClient } from './spa-clients';
