export { DevTenant, startDevTenant, DEFAULT_CLIENT, type DevClient, type DevTenantOptions, type LoggedApiRequest } from './dev-tenant';
export { DEMO_USERS, SEED_ORGS, seedUsers } from './seed';
export type { StoredUser } from './user-store';
export type { FaultRule } from './fault-injector';
export { CONSOLE_CLIENT_ID, consoleClient, type DevSpaClient } from './spa-clients';
