import { planFromEnv, type DevTenantPlan } from './desk-api';
import { presetFromEnv, type RateLimitPresetName } from './rate-limit-presets';

/** The dev tenant's own settings: usergate's configuration neither reads nor checks them. */
export interface DevTenantSettings {
  /** DEV_TENANT_PORT; 0 picks a free port. */
  port: number;
  /** DEV_TENANT_RATE_LIMIT; none: unlimited. */
  rateLimit?: RateLimitPresetName;
  /** DEV_TENANT_PLAN: which Auth0 plan the tenant behaves as. */
  plan: DevTenantPlan;
}

/**
 * Reads DEV_TENANT_PORT, DEV_TENANT_RATE_LIMIT and DEV_TENANT_PLAN for `npm start`'s dev mode and `npm run dev-tenant`.
 * A wrong value is an error naming the variable; it stops the dev tenant only, never a production start.
 */
export function devTenantSettings(
  env: Record<string, string | undefined>,
  defaultPort: number,
  defaultPlan: DevTenantPlan,
): DevTenantSettings {
  const value = env.DEV_TENANT_PORT || String(defaultPort);
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port > 65535) {
    throw new Error(`DEV_TENANT_PORT must be a port number from 0 to 65535 (got "${value.slice(0, 20)}")`);
  }
  return { port, rateLimit: presetFromEnv(env), plan: planFromEnv(env) ?? defaultPlan };
}
