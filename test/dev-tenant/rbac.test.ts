import { DEFAULT_CLIENT, DEMO_USERS, startDevTenant, type DevTenant } from '../../dev-tenant';
import { machineToken } from '../helpers/machine-token';
import { managementApi } from '../helpers/management-api';

type Json = Record<string, unknown>;

describe('dev tenant: RBAC roles and user roles', () => {
  let tenant: DevTenant;
  let token: string;
  let readerToken: string;
  const reader = { clientId: 'reader', clientSecret: 'reader-secret', scopes: ['read:users'] };
  beforeAll(async () => {
    tenant = await startDevTenant({ clients: [DEFAULT_CLIENT, reader] });
    token = await machineToken(tenant);
    readerToken = await machineToken(tenant, reader);
  });
  afterAll(() => tenant.stop());

  const api = (path: string, init?: { method?: string; body?: unknown; token?: string }) => managementApi(tenant, () => token)(path, init);
  const names = (body: unknown) => (body as Json[]).map((r) => r.name);

  it("seeds each demo user's RBAC roles as its app_metadata roles", async () => {
    for (const id of Object.values(DEMO_USERS)) {
      const res = await api(`/users/${encodeURIComponent(id)}/roles`);
      expect(res.status).toBe(200);
      const appMetadata = (tenant.store.get(id)!.app_metadata ?? {}) as Json;
      expect(names(res.body)).toEqual([...((appMetadata.roles as string[] | undefined) ?? [])].sort());
    }
  });

  it('lists roles with a case-insensitive name filter, pages and totals', async () => {
    const all = names((await api('/roles')).body);
    expect(all).toEqual(expect.arrayContaining(['admin', 'support', 'viewer', 'auditor']));
    expect(names((await api('/roles?name_filter=ADM')).body)).toEqual(['admin']);
    const paged = (await api('/roles?per_page=1&page=1&include_totals=true')).body as Json;
    expect(paged).toMatchObject({ start: 1, limit: 1, total: all.length });
    expect(paged.roles as Json[]).toHaveLength(1);
    expect((await api('/roles?per_page=101')).status).toBe(400);
  });

  it('reads one role by id; an unknown id is a 404', async () => {
    const admin = tenant.roles.byName('admin')!;
    expect((await api(`/roles/${admin.id}`)).body).toEqual({ id: admin.id, name: 'admin' });
    expect((await api('/roles/rol_doesnotexist00')).status).toBe(404);
  });

  it('assigns and removes roles by id; an unknown role id changes nothing', async () => {
    const user = DEMO_USERS.none;
    const path = `/users/${encodeURIComponent(user)}/roles`;
    const viewer = tenant.roles.byName('viewer')!;
    expect((await api(path, { method: 'POST', body: { roles: [viewer.id] } })).status).toBe(204);
    expect(tenant.roles.namesOf(user)).toEqual(['viewer']);
    const refused = await api(path, { method: 'POST', body: { roles: ['rol_nope000000000000'] } });
    expect(refused.status).toBe(404);
    expect(tenant.roles.namesOf(user)).toEqual(['viewer']);
    expect((await api(path, { method: 'POST', body: { roles: [] } })).status).toBe(400);
    expect((await api(path, { method: 'DELETE', body: { roles: [viewer.id] } })).status).toBe(204);
    expect(tenant.roles.namesOf(user)).toEqual([]);
    expect((await api('/users/auth0%7Cnobody0000/roles')).status).toBe(404);
  });

  it('keeps RBAC roles apart from app_metadata (a test knob sets them)', async () => {
    tenant.roles.setUserRoles(DEMO_USERS.support, ['Tenant Viewer']);
    const res = await api(`/users/${encodeURIComponent(DEMO_USERS.support)}/roles`);
    expect(names(res.body)).toEqual(['Tenant Viewer']);
    expect((tenant.store.get(DEMO_USERS.support)!.app_metadata as Json).roles).toEqual(['support']);
  });

  it('checks the scopes the OpenAPI document lists', async () => {
    expect((await api('/roles', { token: readerToken })).status).toBe(403);
    expect((await api(`/users/${encodeURIComponent(DEMO_USERS.admin)}/roles`, { token: readerToken })).status).toBe(200);
    const write = await api(`/users/${encodeURIComponent(DEMO_USERS.admin)}/roles`, {
      method: 'POST',
      body: { roles: [tenant.roles.byName('admin')!.id] },
      token: readerToken,
    });
    expect(write.status).toBe(403);
  });
});
