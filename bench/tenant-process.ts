/* The dev tenant in its own process for the benchmark: prints one JSON line with what the runner needs. */
import { DEFAULT_CLIENT, DEMO_USERS, startDevTenant } from '../dev-tenant';

async function main(): Promise<void> {
  const tenant = await startDevTenant({ rateLimit: { capacity: 1e9, refillPerSecond: 1e9 } });
  const target = tenant.store.all().find((u) => u.app_metadata?.org === 'acme' && !Object.values(DEMO_USERS).includes(u.user_id as never))!;
  process.stdout.write(
    JSON.stringify({
      url: tenant.url,
      appAudience: tenant.appAudience,
      client: DEFAULT_CLIENT,
      managementAudience: tenant.managementAudience,
      adminToken: tenant.mintAppToken(DEMO_USERS.admin, { expiresIn: 7200 }),
      supportToken: tenant.mintAppToken(DEMO_USERS.support, { expiresIn: 7200 }),
      targetId: target.user_id,
    }) + '\n',
  );
  process.once('SIGTERM', () => void tenant.stop().then(() => process.exit(0)));
}

void main();
