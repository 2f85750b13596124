import { DEFAULT_CLIENT, DEMO_ORG, DEMO_USERS, policyRoles, seedOrganizations } from '../../dev-tenant';
import { startStack, type Stack } from '../helpers/stack';

/**
 * ROLES_SOURCE=rbac with ORG_SOURCE=organizations (its default): the caller's org is its token's
 * verified `org_id`, its member roles act only there, a target is in an org by membership and is
 * protected by every role it holds anywhere, and an org-scoped caller's lists and creates go through
 * the organization. Over HTTP against the dev tenant, asserting the tenant's state. Role names as a
 * B2B tenant writes them; none of the shipped ones.
 */
const DB = 'Username-Password-Authentication';
const POLICY = {
  roles: {
    'Tenant Admin': {
      can: ['list', 'read', 'create', 'update', 'delete'],
      read: ['*'],
      write: ['*'],
      grant: ['*'],
      connections: ['*'],
    },
    'Org Admin': {
      can: ['list', 'read', 'create', 'update', 'delete'],
      read: ['user_id', 'email', 'name', 'picture'],
      write: ['name', 'email', 'password', 'connection'],
      grant: ['Org Member'],
      connections: [DB],
      scope: 'org',
    },
    'Org Member': { can: ['read'], read: ['user_id', 'name'], scope: 'org' },
    // Tenant-wide in the policy: held as a member role, it still acts only in that organization.
    Auditor: { can: ['list', 'read'], read: ['user_id', 'name', 'email'] },
  },
};

describe('ORG_SOURCE=organizations: callers and targets from Auth0 Organizations', () => {
  let clock = Date.now();
  let stack: Stack;
  let north: string;
  let south: string;
  /** Database users of the tenant, unblocked, none of them in any organization at the start. */
  let users: string[];
  let orgAdmin: string;
  let member: string;
  let southMember: string;
  let outsider: string;
  let tenantAdminMember: string;
  let auditorMember: string;
  let rbacOverMetadata: string;
  let twoOrgs: string;

  beforeAll(async () => {
    stack = await startStack({ policy: POLICY, now: () => clock, env: { ROLES_SOURCE: 'rbac', ROLES_CACHE_TTL_S: '60' } });
    const { organizations, roles, store } = stack.tenant;
    north = organizations.define('north-works').id;
    south = organizations.define('south-works').id;
    users = store
      .all()
      .filter((u) => !u.blocked && u.identities[0]!.connection === DB && u.email)
      .map((u) => u.user_id)
      .slice(0, 10);
    for (const id of users) roles.setUserRoles(id, []);
    [orgAdmin, member, southMember, outsider, tenantAdminMember, auditorMember, rbacOverMetadata, twoOrgs] = users as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    organizations.setMemberRoles(north, orgAdmin, ['Org Admin']);
    organizations.setMemberRoles(north, member, ['Org Member']);
    organizations.setMemberRoles(south, southMember, ['Org Member']);
    organizations.setMemberRoles(north, tenantAdminMember, []);
    roles.setUserRoles(tenantAdminMember, ['Tenant Admin']);
    organizations.setMemberRoles(north, auditorMember, ['Auditor']);
    organizations.setMemberRoles(north, rbacOverMetadata, []);
    organizations.setMemberRoles(north, twoOrgs, ['Org Admin']);
    organizations.setMemberRoles(south, twoOrgs, ['Org Member']);
  });
  afterAll(() => stack.stop());
  // Each test starts with every cached caller expired.
  afterEach(() => {
    clock += 61_000;
  });

  const inOrg = (sub: string, orgId: string) => stack.as(stack.tokenFor(sub, { org: { orgId } }));
  const plain = (sub: string) => stack.as(stack.tokenFor(sub));
  const path = (id: string) => `/users/${encodeURIComponent(id)}`;
  const upstream = (pattern: RegExp) => stack.tenant.requestLog.filter((r) => pattern.test(decodeURIComponent(r.path))).length;

  it('roles really come from RBAC: app_metadata naming a policy role grants nothing; member roles show apart', async () => {
    const user = stack.tenant.store.get(rbacOverMetadata)!;
    user.app_metadata = { ...user.app_metadata, roles: ['Tenant Admin'], org: north };
    const none = await inOrg(rbacOverMetadata, north).get('/me/permissions');
    expect(none.body).toMatchObject({ roles: [], org: north, memberRoles: [], knownRoles: [] });
    expect((await inOrg(rbacOverMetadata, north).get(path(member))).body.errorCode).toBe('no_role');
    const admin = await inOrg(orgAdmin, north).get('/me/permissions');
    expect(admin.body).toMatchObject({ roles: [], org: north, memberRoles: ['Org Admin'], knownRoles: ['Org Admin'] });
    expect(admin.body.scope).toMatchObject({ list: 'org', read: 'org' });
  });

  it('a member role acts only in its org, even named like a tenant-wide role: a non-member or a member elsewhere is a 404', async () => {
    const auditor = inOrg(auditorMember, north);
    expect((await auditor.get(path(member))).status).toBe(200);
    for (const other of [outsider, southMember]) {
      const res = await auditor.get(path(other));
      expect(res.status).toBe(404);
      expect(res.body.errorCode).toBe('user_not_found');
    }
    // Its list is the organization's members, never a tenant-wide search.
    const list = await auditor.get('/users').query({ per_page: '50' });
    expect(list.status).toBe(200);
    expect((list.body as { user_id: string }[]).map((u) => u.user_id).sort()).toEqual(stack.tenant.organizations.memberIds(north));
  });

  it("an org token's member roles do not apply without org_id, nor through an org the caller is not a member of", async () => {
    const without = await plain(orgAdmin).get('/me/permissions');
    expect(without.body).toMatchObject({ roles: [], org: null, knownRoles: [] });
    expect(without.body).not.toHaveProperty('memberRoles');
    expect((await plain(orgAdmin).get(path(member))).body.errorCode).toBe('no_role');
    // A token naming south, where the caller is no member: no org, no member role, nothing in scope.
    const elsewhere = await inOrg(orgAdmin, south).get('/me/permissions');
    expect(elsewhere.body).toMatchObject({ roles: [], org: null, knownRoles: [] });
    expect((await inOrg(orgAdmin, south).get(path(southMember))).body.errorCode).toBe('no_role');
    // A tenant role with scope org gets nothing from a token without org_id.
    stack.tenant.roles.setUserRoles(outsider, ['Org Member']);
    clock += 61_000;
    expect((await plain(outsider).get(path(member))).status).toBe(404);
    stack.tenant.roles.setUserRoles(outsider, []);
  });

  describe("an org-scoped caller's GET /users", () => {
    it('answers its organization members in the users-list shape, paged, cut to what it may read, fields honoured', async () => {
      const admin = inOrg(orgAdmin, north);
      const members = stack.tenant.organizations.memberIds(north);
      const page = await admin.get('/users').query({ include_totals: 'true', per_page: '2', page: '1' });
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ start: 2, limit: 2, length: 2, total: members.length });
      expect(page.body.users.map((u: { user_id: string }) => u.user_id)).toEqual(members.slice(2, 4));
      for (const user of page.body.users as Record<string, unknown>[]) {
        expect(Object.keys(user).every((k) => ['user_id', 'email', 'name', 'picture'].includes(k))).toBe(true);
        expect(user.email).toBe(stack.tenant.store.get(user.user_id as string)!.email);
      }
      const bare = await admin.get('/users').query({ fields: 'user_id,name', per_page: '3' });
      expect(bare.body).toHaveLength(3);
      for (const user of bare.body as Record<string, unknown>[]) expect(Object.keys(user).sort()).toEqual(['name', 'user_id']);
      const notReadable = await admin.get('/users').query({ fields: 'app_metadata' });
      expect(notReadable.status).toBe(403);
    });

    it('any q or sort answers 400 org_search_unavailable, before anything reaches Auth0', async () => {
      const admin = inOrg(orgAdmin, north);
      await admin.get('/me/permissions');
      const before = stack.tenant.requestLog.length;
      for (const query of [{ q: 'name:a*' }, { q: '' }, { sort: 'name:1' }]) {
        const res = await admin.get('/users').query(query);
        expect(res.status).toBe(400);
        expect(res.body.errorCode).toBe('org_search_unavailable');
      }
      expect(stack.tenant.requestLog.length).toBe(before);
    });

    it('/users-by-email answers only members of its organization', async () => {
      const admin = inOrg(orgAdmin, north);
      const mine = await admin.get('/users-by-email').query({ email: stack.tenant.store.get(member)!.email! });
      expect(mine.status).toBe(200);
      expect(mine.body.map((u: { user_id: string }) => u.user_id)).toEqual([member]);
      for (const other of [southMember, outsider]) {
        const res = await admin.get('/users-by-email').query({ email: stack.tenant.store.get(other)!.email! });
        expect(res.status).toBe(200);
        expect(res.body).toEqual([]);
      }
    });

    it('/users-by-email costs a bounded number of upstream calls, and fails closed where membership cannot be checked within them', async () => {
      const admin = inOrg(orgAdmin, north);
      const { organizations, store } = stack.tenant;
      // Organization pages read of users other than the caller (whose own membership is resolved once).
      const orgPages = () =>
        upstream(/^\/users\/[^/]+\/organizations$/) - upstream(new RegExp(`^/users/${orgAdmin.replace('|', '\\|')}/organizations$`));
      // More accounts share the email than usergate checks: a clear 400, not a silently shortened answer.
      const shared = store.get(outsider)!;
      const clones = Array.from({ length: 10 }, (_, i) => ({ ...structuredClone(shared), user_id: `auth0|shared-email-${i}` }));
      for (const clone of clones) store.put(clone);
      try {
        const before = orgPages();
        const many = await admin.get('/users-by-email').query({ email: shared.email! });
        expect([many.status, many.body.errorCode]).toEqual([400, 'org_search_unavailable']);
        expect(many.body.message).toContain('GET /users');
        expect(orgPages()).toBe(before);
      } finally {
        for (const clone of clones) store.delete(clone.user_id);
      }
      // A user in more organizations than one page holds, north not on it: one page read, then 400.
      const busy = store.get(southMember)!;
      const extra = Array.from({ length: 100 }, (_, i) => organizations.define(`busy-${i}`).id);
      for (const org of extra) organizations.addMembers(org, [busy.user_id]);
      try {
        const before = orgPages();
        const res = await admin.get('/users-by-email').query({ email: busy.email! });
        expect([res.status, res.body.errorCode]).toEqual([400, 'org_search_unavailable']);
        expect(orgPages() - before).toBe(1);
      } finally {
        for (const org of extra) organizations.removeMembers(org, [busy.user_id]);
      }
    });

    it('a tenant-wide caller still searches the whole tenant', async () => {
      const res = await inOrg(tenantAdminMember, north)
        .get('/users')
        .query({ q: `user_id:"${southMember}"` });
      expect(res.status).toBe(200);
      expect(res.body.map((u: { user_id: string }) => u.user_id)).toEqual([southMember]);
    });
  });

  describe('a create by an org-scoped caller', () => {
    const body = (email: string) => ({ connection: DB, email, password: 'Str0ng-pass!x9', name: 'New Member' });
    const byEmail = (email: string) => stack.tenant.store.all().filter((u) => u.email === email);

    it('joins the new user to its organization, nothing written into app_metadata', async () => {
      const res = await inOrg(orgAdmin, north).post('/users').send(body('joined@north.example'));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ email: 'joined@north.example', name: 'New Member' });
      const [created] = byEmail('joined@north.example');
      expect(created).toBeDefined();
      expect(res.body.user_id).toBe(created!.user_id);
      expect(stack.tenant.organizations.isMember(north, created!.user_id)).toBe(true);
      expect(created!.app_metadata ?? {}).toEqual({});
    });

    it('is deleted again when adding it to the organization fails, and the failure is answered', async () => {
      const fault = stack.tenant.faults.inject({
        method: 'POST',
        path: `/api/v2/organizations/${north}/members`,
        kind: 'status',
        status: 503,
        times: 10,
      });
      const res = await inOrg(orgAdmin, north).post('/users').send(body('rolled.back@north.example'));
      await fault.arrived;
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(byEmail('rolled.back@north.example')).toEqual([]);
      stack.tenant.faults.clear();
    });

    it('says so, and logs it at error level, when the delete fails too', async () => {
      stack.tenant.faults.inject({
        method: 'POST',
        path: `/api/v2/organizations/${north}/members`,
        kind: 'status',
        status: 503,
        times: 10,
      });
      stack.tenant.faults.inject({ method: 'DELETE', path: '/api/v2/users/*', kind: 'status', status: 503, times: 10 });
      const res = await inOrg(orgAdmin, north).post('/users').send(body('half.done@north.example'));
      stack.tenant.faults.clear();
      expect(res.status).toBe(502);
      expect(res.body.errorCode).toBe('upstream_error');
      const [left] = byEmail('half.done@north.example');
      expect(res.body.message).toContain(left!.user_id);
      expect(res.body.message).toContain('deleting it again failed too');
      expect(stack.tenant.organizations.isMember(north, left!.user_id)).toBe(false);
      expect(stack.logs.some((l) => l.level === 50 && l.requestId === res.body.requestId)).toBe(true);
    });
  });

  describe('target protection counts every role the target holds anywhere', () => {
    it('an org admin cannot update or delete a tenant admin who is a member of its org', async () => {
      const admin = inOrg(orgAdmin, north);
      const before = stack.tenant.store.get(tenantAdminMember)!.name;
      const update = await admin.patch(path(tenantAdminMember)).send({ name: 'Demoted' });
      expect(update.status).toBe(403);
      expect(update.body.errorCode).toBe('target_protected');
      expect(stack.tenant.store.get(tenantAdminMember)!.name).toBe(before);
      const del = await admin.delete(path(tenantAdminMember));
      expect(del.body.errorCode).toBe('target_protected');
      expect(stack.tenant.store.get(tenantAdminMember)).toBeDefined();
    });

    it('nor a member holding a member role it cannot grant, here or in another organization', async () => {
      const admin = inOrg(orgAdmin, north);
      expect((await admin.patch(path(auditorMember)).send({ name: 'X' })).body.errorCode).toBe('target_protected');
      stack.tenant.organizations.setMemberRoles(south, member, ['Org Admin']);
      const res = await admin.patch(path(member)).send({ name: 'X' });
      expect(res.body.errorCode).toBe('target_protected');
      expect(res.body.message).toContain('Org Admin');
      stack.tenant.organizations.removeMembers(south, [member]);
      // Holding only what it may grant: changed.
      const renamed = await admin.patch(path(member)).send({ name: 'Renamed Member' });
      expect(renamed.status).toBe(200);
      // Answered as the org admin reads a member of its org (the answer is judged with the target's memberships).
      expect(renamed.body).toMatchObject({ user_id: member, name: 'Renamed Member', email: stack.tenant.store.get(member)!.email });
      expect(Object.keys(renamed.body).every((k) => ['user_id', 'email', 'name', 'picture'].includes(k))).toBe(true);
      expect(stack.tenant.store.get(member)!.name).toBe('Renamed Member');
    });

    it('a member of more organizations than usergate counts is protected from everyone, a grant of * included', async () => {
      const crowded = users[8]!;
      const { organizations } = stack.tenant;
      organizations.setMemberRoles(north, crowded, []);
      const extra = Array.from({ length: 20 }, (_, i) => organizations.define(`crowd-${i}`).id);
      for (const org of extra) organizations.addMembers(org, [crowded]);
      const res = await inOrg(tenantAdminMember, north).patch(path(crowded)).send({ name: 'Crowded' });
      expect(res.status).toBe(403);
      expect(res.body.errorCode).toBe('target_protected');
      expect(stack.tenant.store.get(crowded)!.name).not.toBe('Crowded');
      // Reading is not protection: still allowed.
      expect((await inOrg(orgAdmin, north).get(path(crowded))).status).toBe(200);
      for (const org of extra) organizations.removeMembers(org, [crowded]);
      const fine = await inOrg(tenantAdminMember, north).patch(path(crowded)).send({ name: 'Crowded' });
      expect(fine.status).toBe(200);
    });

    it('an org admin cannot manage a member who also belongs to another organization; capabilities say so; a tenant admin can', async () => {
      const consultant = users[9]!;
      const { organizations, store } = stack.tenant;
      // A plain member of north and of south, no role anywhere.
      organizations.addMembers(north, [consultant]);
      organizations.addMembers(south, [consultant]);
      const admin = inOrg(orgAdmin, north);
      const email = store.get(consultant)!.email;
      const takeover = await admin.patch(path(consultant)).send({ email: 'attacker@north.example', password: 'Str0ng-pass!x9' });
      expect(takeover.status).toBe(403);
      expect(takeover.body.errorCode).toBe('target_protected');
      expect(takeover.body.message).toContain('member of another organization');
      expect(takeover.body.message).not.toContain(south);
      expect(store.get(consultant)!.email).toBe(email);
      const del = await admin.delete(path(consultant));
      expect(del.body.errorCode).toBe('target_protected');
      expect(organizations.isMember(south, consultant)).toBe(true);
      const caps = await admin.get(`${path(consultant)}/capabilities`);
      expect(caps.body.actions.update).toMatchObject({ allowed: false, errorCode: 'target_protected' });
      expect(caps.body.actions.delete).toMatchObject({ allowed: false, errorCode: 'target_protected' });
      // Reading is not protection; a role reaching every org manages it.
      expect((await admin.get(path(consultant))).status).toBe(200);
      expect((await inOrg(tenantAdminMember, north).patch(path(consultant)).send({ name: 'Consultant' })).status).toBe(200);
      // A member of north only again: north's admin manages it.
      organizations.removeMembers(south, [consultant]);
      const renamed = await admin.patch(path(consultant)).send({ name: 'Consultant North' });
      expect(renamed.status).toBe(200);
      expect(store.get(consultant)!.name).toBe('Consultant North');
      organizations.removeMembers(north, [consultant]);
    });

    it('GET /users/:id/roles keeps answering tenant roles only', async () => {
      const res = await inOrg(tenantAdminMember, north).get(`${path(orgAdmin)}/roles`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ roles: [] });
    });
  });

  describe('a membership removed binds', () => {
    it('after the TTL when removed in Auth0 directly, at once when the generation moves', async () => {
      const { organizations } = stack.tenant;
      const admin = inOrg(twoOrgs, north);
      expect((await admin.get(path(member))).status).toBe(200);
      organizations.removeMembers(north, [twoOrgs]);
      // Cached: still the old answer until the TTL ends.
      expect((await admin.get(path(member))).status).toBe(200);
      clock += 61_000;
      expect((await admin.get(path(member))).body.errorCode).toBe('no_role');
      organizations.setMemberRoles(north, twoOrgs, ['Org Admin']);
      clock += 61_000;
      expect((await admin.get(path(member))).status).toBe(200);
      organizations.removeMembers(north, [twoOrgs]);
      // What usergate's own membership writes do (operations/context.ts revokingWrite): the subject's generation moves.
      await stack.deps.callers.invalidate(twoOrgs);
      expect((await admin.get(path(member))).body.errorCode).toBe('no_role');
      organizations.setMemberRoles(north, twoOrgs, ['Org Admin']);
    });

    it('the cache never serves one org for another: tokens for two orgs of one caller', async () => {
      const asNorth = inOrg(twoOrgs, north);
      const asSouth = inOrg(twoOrgs, south);
      const lookups = () => upstream(new RegExp(`^/users/${twoOrgs.replace('|', '\\|')}/organizations$`));
      expect((await asNorth.get('/me/permissions')).body).toMatchObject({ org: north, memberRoles: ['Org Admin'] });
      expect((await asSouth.get('/me/permissions')).body).toMatchObject({ org: south, memberRoles: ['Org Member'] });
      const before = lookups();
      // Each org's entry is served from its own slot.
      expect((await asNorth.get('/users')).status).toBe(200);
      const refused = await asSouth.get('/users');
      expect(refused.status).toBe(403);
      expect(refused.body.errorCode).toBe('action_forbidden');
      expect((await asSouth.get(path(southMember))).status).toBe(200);
      expect((await asNorth.get(path(southMember))).status).toBe(404);
      expect(lookups()).toBe(before);
    });
  });

  it('a blocked caller is refused, whatever its organization says', async () => {
    stack.tenant.store.get(orgAdmin)!.blocked = true;
    const res = await inOrg(orgAdmin, north).get('/users');
    expect(res.status).toBe(403);
    expect(res.body.errorCode).toBe('caller_blocked');
    stack.tenant.store.get(orgAdmin)!.blocked = false;
  });
});

describe('ORG_SOURCE=organizations on the shipped policy and the seeded demo (npm start with ROLES_SOURCE=rbac)', () => {
  let stack: Stack;
  let orgId: string;
  beforeAll(async () => {
    stack = await startStack({ env: { ROLES_SOURCE: 'rbac' } });
    const demo = seedOrganizations(stack.tenant, policyRoles({}));
    expect(demo.orgAdmin).toBeDefined();
    orgId = stack.tenant.organizations.byName(DEMO_ORG)!.id;
  });
  afterAll(() => stack.stop());

  it("the demo org admin lists its organization's members and reads none outside it", async () => {
    const admin = stack.as(stack.tokenFor(DEMO_USERS.support, { org: { orgId } }));
    const page = await admin.get('/users').query({ include_totals: 'true', per_page: '100' });
    expect(page.status).toBe(200);
    const members = stack.tenant.organizations.memberIds(orgId);
    expect(page.body.total).toBe(members.length);
    expect(page.body.users.map((u: { user_id: string }) => u.user_id)).toEqual(members);
    const outsider = stack.tenant.store.all().find((u) => stack.tenant.organizations.organizationsOf(u.user_id).length === 0)!;
    expect((await admin.get(`/users/${encodeURIComponent(outsider.user_id)}`)).status).toBe(404);
    // The tenant admin searches the whole tenant, as before.
    const all = await stack.as(stack.tokenFor(DEMO_USERS.admin)).get('/users').query({ include_totals: 'true' });
    expect(all.body.total).toBe(stack.tenant.store.all().length);
  });
});

describe('ORG_SOURCE=organizations with ROLES_SOURCE=app_metadata', () => {
  it('roles from app_metadata, the org from the verified org_id; app_metadata.org and member roles count for nothing', async () => {
    const stack = await startStack({ policy: POLICY, env: { ORG_SOURCE: 'organizations' } });
    try {
      const { organizations, store } = stack.tenant;
      const east = organizations.define('east-works').id;
      const [admin, mate, stranger] = store
        .all()
        .filter((u) => !u.blocked && u.identities[0]!.connection === DB)
        .map((u) => u.user_id);
      store.get(admin!)!.app_metadata = { roles: ['Org Admin'], org: 'elsewhere' };
      store.get(stranger!)!.app_metadata = { roles: [], org: east };
      organizations.setMemberRoles(east, admin!, ['Tenant Admin']);
      organizations.addMembers(east, [mate!]);
      const as = stack.as(stack.tokenFor(admin!, { org: { orgId: east } }));
      expect((await as.get('/me/permissions')).body).toMatchObject({ roles: ['Org Admin'], org: east });
      expect((await as.get('/me/permissions')).body).not.toHaveProperty('memberRoles');
      expect((await as.get(`/users/${encodeURIComponent(mate!)}`)).status).toBe(200);
      expect((await as.get(`/users/${encodeURIComponent(stranger!)}`)).status).toBe(404);
      const list = await as.get('/users');
      expect(list.body.map((u: { user_id: string }) => u.user_id).sort()).toEqual(organizations.memberIds(east));
    } finally {
      await stack.stop();
    }
  });

  describe('an org admin with roles from app_metadata', () => {
    // app_metadata role names (no spaces); the org admin may write the roles field.
    const policy = {
      roles: {
        org_admin: {
          ...POLICY.roles['Org Admin'],
          write: [...POLICY.roles['Org Admin'].write, 'app_metadata.roles'],
          grant: ['org_member'],
        },
        org_member: POLICY.roles['Org Member'],
      },
    };
    let stack: Stack;
    let east: string;
    let west: string;
    let admin: string;
    let mate: string;
    let westOnly: string;
    beforeAll(async () => {
      stack = await startStack({ policy, env: { ORG_SOURCE: 'organizations' } });
      const { organizations, store } = stack.tenant;
      east = organizations.define('east-apart').id;
      west = organizations.define('west-apart').id;
      [admin, mate, westOnly] = store
        .all()
        .filter((u) => !u.blocked && u.identities[0]!.connection === DB && u.email)
        .map((u) => u.user_id) as [string, string, string];
      store.get(admin)!.app_metadata = { roles: ['org_admin'] };
      store.get(mate)!.app_metadata = {};
      store.get(westOnly)!.app_metadata = {};
      organizations.addMembers(east, [admin, mate]);
      organizations.addMembers(west, [westOnly]);
    });
    afterAll(() => stack.stop());
    const eastAdmin = () => stack.as(stack.tokenFor(admin, { org: { orgId: east } }));
    const path = (id: string) => `/users/${encodeURIComponent(id)}`;

    it('cannot manage a member who also belongs to another organization (its organizations are read for protection)', async () => {
      stack.tenant.organizations.addMembers(west, [mate]);
      try {
        const email = stack.tenant.store.get(mate)!.email;
        const res = await eastAdmin().patch(path(mate)).send({ email: 'taken@east.example' });
        expect(res.status).toBe(403);
        expect(res.body.errorCode).toBe('target_protected');
        expect(stack.tenant.store.get(mate)!.email).toBe(email);
      } finally {
        stack.tenant.organizations.removeMembers(west, [mate]);
      }
      expect((await eastAdmin().patch(path(mate)).send({ name: 'East Mate' })).status).toBe(200);
    });

    it('grants no tenant role through a profile write: app_metadata roles would act in every organization', async () => {
      const viaRoute = await eastAdmin()
        .post(`${path(mate)}/roles`)
        .send({ roles: ['org_member'] });
      expect(viaRoute.status).toBe(403);
      expect(viaRoute.body.errorCode).toBe('action_forbidden');
      // The same rule, the same words, on update ...
      const viaPatch = await eastAdmin()
        .patch(path(mate))
        .send({ app_metadata: { roles: ['org_member'] } });
      expect(viaPatch.status).toBe(403);
      expect(viaPatch.body).toMatchObject({ errorCode: 'action_forbidden', message: viaRoute.body.message });
      expect(stack.tenant.store.get(mate)!.app_metadata).toEqual({});
      // ... and on create (nothing created, nobody joins the organization).
      const users = stack.tenant.store.all().length;
      const members = stack.tenant.organizations.memberIds(east);
      const created = await eastAdmin()
        .post('/users')
        .send({ connection: DB, email: 'granted@east.example', password: 'Str0ng-pass!x9', app_metadata: { roles: ['org_member'] } });
      expect(created.status).toBe(403);
      expect(created.body).toMatchObject({ errorCode: 'action_forbidden', message: viaRoute.body.message });
      expect(stack.tenant.store.all()).toHaveLength(users);
      expect(stack.tenant.organizations.memberIds(east)).toEqual(members);
      // Capabilities promise no grantable role (the profile stays writable).
      const caps = await eastAdmin().get(`${path(mate)}/capabilities`);
      expect(caps.body.actions.update).toEqual({ allowed: true });
      expect(caps.body.grantable_roles).toEqual([]);
    });
  });
});

describe('ORG_SOURCE=organizations: Management API scopes', () => {
  it('/readyz names the organization scopes the machine token lacks, per action', async () => {
    const scopes = DEFAULT_CLIENT.scopes.filter((s) => !['read:organizations', 'read:organization_members'].includes(s));
    const stack = await startStack({ policy: POLICY, tenant: { clients: [{ ...DEFAULT_CLIENT, scopes }] }, env: { ROLES_SOURCE: 'rbac' } });
    try {
      const detail = (await stack.http.get('/readyz')).body.checks.machineToken as { state: string; detail: string };
      expect(detail.state).toBe('warning');
      expect(detail.detail).toContain('action "read" needs the Management API scope read:organizations');
      expect(detail.detail).toContain('action "list" needs the Management API scope read:organization_members');
    } finally {
      await stack.stop();
    }
  });
});
