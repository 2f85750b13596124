/* The dev tenant in its own process for the benchmark: prints one JSON line with what the runner needs. */
import { randomBytes } from 'node:crypto';
import { DEFAULT_CLIENT, DEMO_USERS, startDevTenant } from '../dev-tenant';

/** Distinct users read by id: requests spread over them, so that usergate's coalescing of identical concurrent GETs does not stand in for the work. */
const TARGETS = 300;

async function main(): Promise<void> {
  const tenant = await startDevTenant({ rateLimit: { capacity: 1e9, refillPerSecond: 1e9 } });
  const target = tenant.store.all().find((u) => u.app_metadata?.org === 'acme' && !Object.values(DEMO_USERS).includes(u.user_id as never))!;
  // Copies of one acme member (same shape, so every read costs the same), blocked so that the org's
  // search `blocked:false` still matches the same users.
  const targetIds = [target.user_id];
  while (targetIds.length < TARGETS) {
    const user_id = `auth0|${randomBytes(12).toString('hex')}`;
    tenant.store.put({ ...structuredClone(target), user_id, email: `${user_id.slice(6)}@acme.example`, blocked: true });
    targetIds.push(user_id);
  }
  process.stdout.write(
    JSON.stringify({
      url: tenant.url,
      appAudience: tenant.appAudience,
      client: DEFAULT_CLIENT,
      managementAudience: tenant.managementAudience,
      adminToken: tenant.mintAppToken(DEMO_USERS.admin, { expiresIn: 7200 }),
      supportToken: tenant.mintAppToken(DEMO_USERS.support, { expiresIn: 7200 }),
      targetId: target.user_id,
      targetIds,
    }) + '\n',
  );
  process.once('SIGTERM', () => void tenant.stop().then(() => process.exit(0)));
}

void main();
