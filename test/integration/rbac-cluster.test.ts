import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevTenant, type DevTenant } from '../../dev-tenant';
import { replicaEnv, startRedis, startReplica, type Replica } from '../helpers/cluster';
import { seedTarget } from '../helpers/targets';

/*
 * ROLES_SOURCE=rbac over real processes: replicas (dist/server.js) sharing a real redis-server. A
 * caller's RBAC roles are looked up once for the cluster, and a role removed through one replica binds
 * on every replica at the caller's next request. Role names are this test's own (with a space).
 */
const POLICY = `
roles:
  "Role Steward":
    can: [list, read, update]
    read: ["*"]
    grant: ["Directory Reader"]
  "Directory Reader":
    can: [list, read]
    read: [user_id, name]
`;

describe('ROLES_SOURCE=rbac with replicas sharing Redis', () => {
  let dir: string;
  let tenant: DevTenant;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let replicas: Replica[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'usergate-rbac-'));
    writeFileSync(join(dir, 'acl.yaml'), POLICY);
    tenant = await startDevTenant();
    redis = await startRedis();
    const env = {
      ...replicaEnv(tenant, redis.url, join(dir, 'acl.yaml')),
      ROLES_SOURCE: 'rbac',
      ORG_SOURCE: 'app_metadata',
      ROLES_CACHE_TTL_S: '600',
    };
    replicas = await Promise.all([startReplica(env), startReplica(env)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all((replicas ?? []).map((r) => r.stop()));
    await tenant?.stop();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async (replica: Replica, token: string, method = 'GET', path = '/users?per_page=1', body?: unknown) => {
    const res = await fetch(`${replica.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return res.status === 200 ? 200 : `${res.status} ${((await res.json()) as { errorCode: string }).errorCode}`;
  };
  const lookups = (sub: string) =>
    tenant.requestLog.filter((r) => r.method === 'GET' && decodeURIComponent(r.path) === `/users/${sub}/roles`).length;

  it('one lookup serves every replica; a role removed through one replica binds on all at the next request', async () => {
    const steward = seedTarget(tenant, {});
    const reader = seedTarget(tenant, { roles: ['admin'] }); // app_metadata says otherwise: RBAC decides
    tenant.roles.setUserRoles(steward.user_id, ['Role Steward']);
    tenant.roles.setUserRoles(reader.user_id, ['Directory Reader']);
    const [a, b] = replicas as [Replica, Replica];
    const stewardToken = tenant.mintAppToken(steward.user_id);
    const readerToken = tenant.mintAppToken(reader.user_id);
    expect(await call(a, readerToken)).toBe(200);
    expect(await call(b, readerToken)).toBe(200);
    expect(lookups(reader.user_id)).toBe(1);
    const path = `/users/${encodeURIComponent(reader.user_id)}/roles`;
    expect(await call(a, stewardToken, 'DELETE', path, { roles: ['Directory Reader'] })).toBe(200);
    expect(tenant.roles.namesOf(reader.user_id)).toEqual([]);
    expect(await call(b, readerToken)).toBe('403 no_role');
    expect(await call(a, readerToken)).toBe('403 no_role');
  });
});
