import { DEMO_USERS } from '../../dev-tenant';
import type { Organization } from '../../dev-tenant/organizations';
import { startStack, type Stack } from '../helpers/stack';

/**
 * The organization routes over HTTP against the dev tenant's Organizations, each test asserting the
 * tenant's state. Role names of this suite's own (the suite is run by outsiders with other role names).
 */
const POLICY = {
  roles: {
    'Team Lead': {
      can: ['list', 'read', 'list_members', 'remove_member', 'invite', 'revoke_invitation'],
      read: ['user_id', 'name', 'email', 'roles'],
      grant: ['Team Member'],
      scope: 'org',
    },
    'Team Member': { can: ['read'], read: ['user_id'], scope: 'org' },
    'Floor Walker': { can: ['list_members'], read: ['user_id', 'name'], scope: 'org' },
    // Invites, but reads neither the roles nor email.
    Recruiter: { can: ['invite'], read: ['user_id'], grant: ['Team Member'], scope: 'org' },
    'Platform Owner': {
      can: ['list', 'read', 'update', 'list_members', 'remove_member', 'invite', 'revoke_invitation'],
      read: ['*'],
      write: ['*'],
      grant: ['*'],
      connections: ['*'],
    },
  },
};
const INVITATION_CLIENT = 'suite-invitations-app';

describe('organization member management: /orgs/:org_id/...', () => {
  let clock = Date.now();
  let stack: Stack;
  let north: Organization;
  let south: Organization;
  /** Users of the tenant to play the parts. */
  let lead: string, walker: string, owner: string, hand: string, fresh: string, boss: string, outsider: string, recruiter: string;

  const apiCalls = (method: string, operation: string) =>
    stack.tenant.requestLog.filter((r) => r.method === method && r.operation === operation).length;
  const orgCalls = () => stack.tenant.requestLog.filter((r) => r.operation.includes('/organizations')).length;

  beforeAll(async () => {
    stack = await startStack({
      policy: POLICY,
      now: () => clock,
      env: { ROLES_SOURCE: 'rbac', ROLES_CACHE_TTL_S: '60', INVITATION_CLIENT_ID: INVITATION_CLIENT },
    });
    stack.tenant.spaClients.register({
      clientId: INVITATION_CLIENT,
      callbackUrls: [],
      logoutUrls: [],
      webOrigins: [],
      initiateLoginUri: 'https://app.example.test/login',
    });
    const orgs = stack.tenant.organizations;
    north = orgs.define('north-suite', 'North');
    south = orgs.define('south-suite', 'South');
    const users = stack.tenant.store
      .all()
      .filter((u) => !Object.values(DEMO_USERS).includes(u.user_id as never) && !u.blocked)
      .map((u) => u.user_id);
    [lead, walker, owner, hand, fresh, boss, outsider, recruiter] = users as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const roles = stack.tenant.roles;
    for (const id of users) roles.setUserRoles(id, []);
    // The caller's org: the organization id, wherever the org source reads it (profile or token).
    for (const [id, org] of [
      [lead, north],
      [walker, north],
      [hand, north],
      [fresh, north],
      [boss, north],
      [outsider, south],
    ] as const) {
      stack.tenant.store.get(id)!.app_metadata = { ...stack.tenant.store.get(id)!.app_metadata, org: org.id };
      orgs.addMembers(org.id, [id]);
    }
    roles.setUserRoles(lead, ['Team Lead']);
    roles.setUserRoles(walker, ['Floor Walker']);
    roles.setUserRoles(owner, ['Platform Owner']);
    // A tenant-wide owner in no organization.
    delete stack.tenant.store.get(owner)!.app_metadata!.org;
    // A tenant-wide owner who is also a member of north: protected from north's lead.
    roles.setUserRoles(boss, ['Platform Owner']);
    orgs.setMemberRoles(north.id, hand, ['Team Member']);
    orgs.setMemberRoles(north.id, recruiter, ['Recruiter']);
  });
  afterAll(() => stack.stop());
  afterEach(() => {
    clock += 61_000;
  });

  const token = (sub: string, org?: Organization) => stack.tokenFor(sub, org ? { org: { orgId: org.id } } : {});
  const as = (sub: string, org?: Organization) => stack.as(token(sub, org));
  const lastAudit = (action: string, target: string) =>
    stack.logs.filter((l) => l.audit === true && l.action === action && l.target === target).at(-1);

  it("lists its organization's members, each cut to what its roles read (roles: member roles, only where readable)", async () => {
    const res = await as(lead, north).get(`/orgs/${north.id}/members`);
    expect(res.status).toBe(200);
    const byId = new Map((res.body as Record<string, unknown>[]).map((m) => [m.user_id, m]));
    expect([...byId.keys()].sort()).toEqual(stack.tenant.organizations.memberIds(north.id).sort());
    const handUser = stack.tenant.store.get(hand)!;
    expect(byId.get(hand)).toEqual({ user_id: hand, name: handUser.name, email: handUser.email, roles: ['Team Member'] });
    for (const member of byId.values()) expect(Object.keys(member as object).sort()).toEqual(['email', 'name', 'roles', 'user_id']);
    // A role reading less sees less: no email, no roles.
    const walked = await as(walker, north).get(`/orgs/${north.id}/members?include_totals=true&per_page=2`);
    expect(walked.status).toBe(200);
    expect(walked.body.total).toBe(stack.tenant.organizations.memberIds(north.id).length);
    expect(walked.body.members).toHaveLength(2);
    for (const member of walked.body.members) expect(Object.keys(member).sort()).toEqual(['name', 'user_id']);
    const checkpoint = await as(walker, north).get(`/orgs/${north.id}/members?take=2`);
    expect([checkpoint.status, checkpoint.body.members.length]).toEqual([200, 2]);
  });

  it('another organization is 404 org_not_found, exactly as a missing one, and nothing is asked of the tenant', async () => {
    // The caller resolved (and cached) first: what is counted is what the routes ask.
    expect((await as(lead, north).get('/me/permissions')).status).toBe(200);
    const before = orgCalls();
    for (const path of [
      `/orgs/${south.id}/members`,
      `/orgs/org_doesnotexist00/members`,
      `/orgs/${south.id}/invitations`,
      `/orgs/${south.id}/members/${encodeURIComponent(outsider)}/roles`,
    ]) {
      const res = await as(lead, north).get(path);
      expect({ path, status: res.status, code: res.body.errorCode, message: res.body.message }).toEqual({
        path,
        status: 404,
        code: 'org_not_found',
        message: 'The organization does not exist.',
      });
    }
    const removal = await as(lead, north).delete(`/orgs/${south.id}/members/${encodeURIComponent(outsider)}`);
    expect([removal.status, removal.body.errorCode]).toEqual([404, 'org_not_found']);
    expect(stack.tenant.organizations.isMember(south.id, outsider)).toBe(true);
    expect(orgCalls()).toBe(before);
    // A tenant-wide role reaches every organization; one that does not exist is Auth0's 404, answered the same.
    const missing = await as(owner).get('/orgs/org_doesnotexist00/members');
    expect([missing.status, missing.body.errorCode]).toEqual([404, 'org_not_found']);
    expect((await as(owner).get(`/orgs/${south.id}/members`)).status).toBe(200);
  });

  it('malformed ids are 400 before anything is looked up', async () => {
    // The caller resolved (and cached) first: what is counted is what the routes ask.
    expect((await as(lead, north).get('/me/permissions')).status).toBe(200);
    const before = stack.tenant.requestLog.length;
    const cases: [string, 'get' | 'delete', string][] = [
      ['/orgs/acme/members', 'get', 'invalid_org_id'],
      [`/orgs/${north.id}x%2F..%2F${south.id}/members`, 'get', 'invalid_org_id'],
      ['/orgs/org_%00/invitations', 'get', 'invalid_org_id'],
      [`/orgs/${north.id}/members/not-a-user-id`, 'delete', 'invalid_user_id'],
      [`/orgs/${north.id}/invitations/inv_1`, 'delete', 'invalid_invitation_id'],
      [`/orgs/${north.id}/invitations/uinv_..%2F..%2Fmembers`, 'delete', 'invalid_invitation_id'],
    ];
    for (const [path, method, code] of cases) {
      const res = await as(lead, north)[method](path);
      expect({ path, status: res.status, code: res.body.errorCode }).toEqual({ path, status: 400, code });
    }
    for (const query of ['per_page=101', 'page=-1', 'take=0', 'from=x&page=1', 'include_totals=yes', 'fields=email']) {
      const res = await as(lead, north).get(`/orgs/${north.id}/members?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
    }
    expect(stack.tenant.requestLog.length).toBe(before);
  });

  it('bad input on every organization route is a 4xx, never a 5xx nor a success', async () => {
    const memberRoles = `/orgs/${north.id}/members/${encodeURIComponent(hand)}/roles`;
    const invitations = `/orgs/${north.id}/invitations`;
    const cases: ['get' | 'post' | 'delete', string, unknown?][] = [
      ['get', `/orgs/${north.id}/members?per_page=0`],
      ['get', `/orgs/${north.id}/members?page=-1`],
      ['get', `/orgs/${north.id}/members?take=101`],
      ['get', `/orgs/${north.id}/members?from=..%2F..&take=2`],
      ['get', `/orgs/${north.id}/members?page=1&from=abc`],
      ['get', `/orgs/${north.id}/members?q=x`],
      ['get', `/orgs/org_${'a'.repeat(65)}/members`],
      ['get', '/orgs/org_a%2Fb/members'],
      ['get', `/orgs/${north.id}/members/%00/roles`],
      ['get', `/orgs/${north.id}/members/${'x'.repeat(2000)}/roles`],
      ['post', memberRoles, { roles: [] }],
      ['post', memberRoles, { roles: 'Team Member' }],
      ['post', memberRoles, { roles: [1] }],
      ['post', memberRoles, { roles: ['Team Member'], extra: 1 }],
      ['post', memberRoles, { roles: Array.from({ length: 500 }, (_, i) => `r${i}`) }],
      ['post', memberRoles, { roles: ['a\nb'] }],
      ['post', memberRoles, ['Team Member']],
      ['post', invitations, { email: 'nobody' }],
      ['post', invitations, { email: 'a@b.example', ttl_sec: -1 }],
      ['post', invitations, { email: 'a@b.example', ttl_sec: 2_592_001 }],
      ['post', invitations, { email: 'a@b.example', ttl_sec: 1.5 }],
      ['post', invitations, { email: 'a@b.example', ttl_sec: '10' }],
      ['post', invitations, { email: 'a@b.example', connection_id: 'x' }],
      ['post', invitations, { email: 'a@b.example', send_invitation_email: 'yes' }],
      ['post', invitations, { email: 'a@b.example', client_id: 'other' }],
      ['post', invitations, { email: 'a@b.example', roles: ['No Such Role'] }],
      ['delete', `${invitations}/uinv_..%2F..`],
      ['delete', `${invitations}/abc`],
      ['delete', `${invitations}/uinv_Missing1`],
    ];
    const before = stack.tenant.organizations.invitations(north.id).length;
    const answered: string[] = [];
    for (const [method, url, body] of cases) {
      const request = as(owner)[method](url);
      const res = body === undefined ? await request : await request.send(body as object);
      if (res.status < 400 || res.status >= 500)
        answered.push(`${method} ${url.slice(0, 80)} ${JSON.stringify(body)?.slice(0, 60)} -> ${res.status}`);
    }
    expect(answered).toEqual([]);
    expect(stack.tenant.organizations.invitations(north.id)).toHaveLength(before);
    expect(stack.tenant.organizations.memberRolesOf(north.id, hand).map((r) => r.name)).toEqual(['Team Member']);
  });

  it('grants and takes member roles within its grant list, and reads them', async () => {
    const path = `/orgs/${north.id}/members/${encodeURIComponent(fresh)}/roles`;
    const added = await as(lead, north)
      .post(path)
      .send({ roles: ['Team Member'] });
    expect([added.status, added.body]).toEqual([200, { roles: ['Team Member'] }]);
    expect(stack.tenant.organizations.memberRoleNames(north.id, fresh)).toEqual(['Team Member']);
    // Member roles, not tenant roles.
    expect(stack.tenant.roles.namesOf(fresh)).toEqual([]);
    expect((await as(lead, north).get(path)).body).toEqual({ roles: ['Team Member'] });
    expect(lastAudit('add-member-roles', fresh)).toMatchObject({ outcome: 'allowed', target_org: north.id, fields: ['roles'] });
    const taken = await as(lead, north)
      .delete(path)
      .send({ roles: ['Team Member'] });
    expect([taken.status, taken.body]).toEqual([200, { roles: [] }]);
    expect(stack.tenant.organizations.memberRoleNames(north.id, fresh)).toEqual([]);
  });

  it('refuses a role it may not grant before anything is sent, and never acts on a member it cannot manage', async () => {
    const writes = () => apiCalls('POST', 'POST /organizations/{id}/members/{user_id}/roles');
    const before = writes();
    const refused = await as(lead, north)
      .post(`/orgs/${north.id}/members/${encodeURIComponent(fresh)}/roles`)
      .send({ roles: ['Platform Owner'] });
    expect([refused.status, refused.body.errorCode]).toEqual([403, 'role_not_grantable']);
    expect(refused.body.message).toContain('Platform Owner');
    // A tenant-wide owner who is a member of north: protected from north's lead.
    const onBoss = await as(lead, north)
      .post(`/orgs/${north.id}/members/${encodeURIComponent(boss)}/roles`)
      .send({ roles: ['Team Member'] });
    expect([onBoss.status, onBoss.body.errorCode]).toEqual([403, 'target_protected']);
    const removeBoss = await as(lead, north).delete(`/orgs/${north.id}/members/${encodeURIComponent(boss)}`);
    expect([removeBoss.status, removeBoss.body.errorCode]).toEqual([403, 'target_protected']);
    expect(stack.tenant.organizations.isMember(north.id, boss)).toBe(true);
    expect(stack.tenant.organizations.memberRoleNames(north.id, boss)).toEqual([]);
    // Never oneself.
    const self = await as(lead, north).delete(`/orgs/${north.id}/members/${encodeURIComponent(lead)}`);
    expect([self.status, self.body.errorCode]).toEqual([403, 'self_forbidden']);
    // Someone who is not a member is not found here.
    const stranger = await as(lead, north)
      .post(`/orgs/${north.id}/members/${encodeURIComponent(outsider)}/roles`)
      .send({ roles: ['Team Member'] });
    expect([stranger.status, stranger.body.errorCode]).toEqual([404, 'user_not_found']);
    expect(writes()).toBe(before);
    expect(lastAudit('add-member-roles', fresh)).toMatchObject({ outcome: 'denied', reason: 'role_not_grantable' });
    // A role the tenant does not have: 400 invalid_roles, nothing sent.
    const unknown = await as(owner)
      .post(`/orgs/${north.id}/members/${encodeURIComponent(fresh)}/roles`)
      .send({ roles: ['No Such Role Here'] });
    expect([unknown.status, unknown.body.errorCode]).toEqual([400, 'invalid_roles']);
    expect(writes()).toBe(before);
  });

  it('removes a member of its organization, whose cached caller entry is gone on its next request', async () => {
    const victim = hand;
    const lookups = () =>
      stack.tenant.requestLog.filter((r) => r.method === 'GET' && decodeURIComponent(r.path) === `/users/${victim}/roles`).length;
    // The member calls, so its entry is cached; a second call is answered from the cache.
    expect((await as(victim, north).get('/me/permissions')).status).toBe(200);
    const cached = lookups();
    await as(victim, north).get('/me/permissions');
    expect(lookups()).toBe(cached);
    const res = await as(lead, north).delete(`/orgs/${north.id}/members/${encodeURIComponent(victim)}`);
    expect(res.status).toBe(204);
    expect(stack.tenant.organizations.isMember(north.id, victim)).toBe(false);
    expect(lastAudit('remove_member', victim)).toMatchObject({ outcome: 'allowed', target_org: north.id, sub: lead });
    // Same clock: no TTL passed, yet its next request is resolved afresh.
    const afterRemoval = lookups();
    await as(victim, north).get('/me/permissions');
    expect(lookups()).toBe(afterRemoval + 1);
    // Not a member any more: 404, nothing removed.
    const again = await as(lead, north).delete(`/orgs/${north.id}/members/${encodeURIComponent(victim)}`);
    expect([again.status, again.body.errorCode]).toEqual([404, 'user_not_found']);
  });

  it('invites with grantable roles, lists and revokes invitations; a non-grantable role reaches nothing', async () => {
    const orgs = stack.tenant.organizations;
    const before = orgs.invitations(north.id).length;
    const created = await as(lead, north)
      .post(`/orgs/${north.id}/invitations`)
      .send({ email: 'newcomer@north.example', roles: ['Team Member'], ttl_sec: 3600, send_invitation_email: false });
    expect(created.status).toBe(201);
    const leadUser = stack.tenant.store.get(lead)!;
    expect(created.body).toMatchObject({
      organization_id: north.id,
      inviter: { name: leadUser.name },
      invitee: { email: 'newcomer@north.example' },
      roles: ['Team Member'],
      client_id: INVITATION_CLIENT,
    });
    expect(created.body.invitation_url).toMatch(/^https:\/\/app\.example\.test\/login\?invitation=/);
    const stored = orgs.invitation(north.id, created.body.id)!;
    expect(stored).toMatchObject({ inviter: { name: leadUser.name }, client_id: INVITATION_CLIENT });
    expect(stored.roles).toEqual([stack.tenant.roles.byName('Team Member')!.id]);
    expect(lastAudit('invite', north.id)).toMatchObject({ outcome: 'allowed', target_org: north.id });

    const posts = () => apiCalls('POST', 'POST /organizations/{id}/invitations');
    const sent = posts();
    const refused = await as(lead, north)
      .post(`/orgs/${north.id}/invitations`)
      .send({ email: 'boss@north.example', roles: ['Platform Owner'] });
    expect([refused.status, refused.body.errorCode]).toEqual([403, 'role_not_grantable']);
    expect(posts()).toBe(sent);
    expect(orgs.invitations(north.id)).toHaveLength(before + 1);

    const listed = await as(lead, north).get(`/orgs/${north.id}/invitations`);
    expect(listed.status).toBe(200);
    const mine = (listed.body as Record<string, unknown>[]).find((i) => i.id === created.body.id);
    expect(mine).toMatchObject({ roles: ['Team Member'], invitee: { email: 'newcomer@north.example' } });
    // The link is a bearer link: answered once, to the inviter, never in a list.
    expect(mine).not.toHaveProperty('invitation_url');

    const revoked = await as(lead, north).delete(`/orgs/${north.id}/invitations/${created.body.id}`);
    expect(revoked.status).toBe(204);
    expect(orgs.invitation(north.id, created.body.id)).toBeUndefined();
    expect(lastAudit('revoke_invitation', created.body.id)).toMatchObject({ outcome: 'allowed', target_org: north.id });
    const gone = await as(lead, north).delete(`/orgs/${north.id}/invitations/${created.body.id}`);
    expect([gone.status, gone.body.errorCode]).toEqual([404, 'invitation_not_found']);
  });

  it("shows an invitation's roles only to a caller that reads the roles field, as the members list does", async () => {
    const created = await as(lead, north)
      .post(`/orgs/${north.id}/invitations`)
      .send({ email: 'roles-hidden@north.example', roles: ['Team Member'], send_invitation_email: false });
    expect(created.status).toBe(201);
    try {
      const roleReads = () => apiCalls('GET', 'GET /roles');
      const before = roleReads();
      const listed = await as(recruiter, north).get(`/orgs/${north.id}/invitations`);
      expect(listed.status).toBe(200);
      const seen = listed.body.find((i: { id: string }) => i.id === created.body.id);
      expect(seen).toBeDefined();
      expect(seen).not.toHaveProperty('roles');
      expect(seen).not.toHaveProperty('invitee');
      // The role names were not even looked up for it.
      expect(roleReads()).toBe(before);
      const byLead = await as(lead, north).get(`/orgs/${north.id}/invitations`);
      expect(byLead.body.find((i: { id: string }) => i.id === created.body.id)).toMatchObject({ roles: ['Team Member'] });
    } finally {
      await as(lead, north).delete(`/orgs/${north.id}/invitations/${created.body.id}`);
    }
  });

  it('rejects invitation bodies it cannot vouch for (400, nothing sent)', async () => {
    const posts = () => apiCalls('POST', 'POST /organizations/{id}/invitations');
    const sent = posts();
    for (const body of [
      {},
      { email: 'not an email' },
      { email: 'a@b.example', ttl_sec: 2_592_001 },
      { email: 'a@b.example', ttl_sec: -1 },
      { email: 'a@b.example', ttl_sec: 1.5 },
      { email: 'a@b.example', client_id: 'elsewhere' },
      { email: 'a@b.example', inviter: { name: 'Someone Else' } },
      { email: 'a@b.example', connection_id: '../x' },
      { email: 'a@b.example', roles: [] },
      { email: 'a@b.example', roles: [' padded'] },
    ]) {
      const res = await as(lead, north).post(`/orgs/${north.id}/invitations`).send(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    expect(posts()).toBe(sent);
  });

  it('without INVITATION_CLIENT_ID an invitation is 501 not_configured, and nothing reaches the tenant', async () => {
    const bare = await startStack({ policy: POLICY, now: () => clock, existingTenant: stack.tenant, env: { ROLES_SOURCE: 'rbac' } });
    try {
      const posts = () => apiCalls('POST', 'POST /organizations/{id}/invitations');
      const sent = posts();
      const res = await bare.as(token(lead, north)).post(`/orgs/${north.id}/invitations`).send({ email: 'x@north.example' });
      expect([res.status, res.body.errorCode]).toEqual([501, 'not_configured']);
      expect(res.body.message).toContain('INVITATION_CLIENT_ID');
      expect(posts()).toBe(sent);
    } finally {
      await bare.stop();
    }
  });

  it("capabilities' org part agrees with what each organization route then answers", async () => {
    const { organizations } = stack.tenant;
    const candidates = stack.tenant.store
      .all()
      .filter((u) => !Object.values(DEMO_USERS).includes(u.user_id as never) && !u.blocked)
      .map((u) => u.user_id)
      .slice(10, 13);
    const [plainMember, elsewhere, protectedOne] = candidates as [string, string, string];
    organizations.setMemberRoles(north.id, plainMember, ['Team Member']);
    organizations.setMemberRoles(north.id, elsewhere, []);
    organizations.setMemberRoles(south.id, elsewhere, ['Team Member']);
    organizations.setMemberRoles(north.id, protectedOne, ['Recruiter']);
    try {
      for (const target of [plainMember, elsewhere, protectedOne, lead]) {
        const id = encodeURIComponent(target);
        const caps = (await as(lead, north).get(`/users/${id}/capabilities`)).body.org as {
          actions: { remove_member: { allowed: boolean; errorCode?: string } };
          member_roles: { change: { allowed: boolean; errorCode?: string } };
        };
        const grant = await as(lead, north)
          .post(`/orgs/${north.id}/members/${id}/roles`)
          .send({ roles: ['Team Member'] });
        expect({ target, allowed: grant.status === 200, errorCode: grant.body.errorCode }).toEqual({
          target,
          allowed: caps.member_roles.change.allowed,
          errorCode: caps.member_roles.change.errorCode,
        });
        const removal = await as(lead, north).delete(`/orgs/${north.id}/members/${id}`);
        expect({ target, allowed: removal.status === 204, errorCode: removal.body.errorCode }).toEqual({
          target,
          allowed: caps.actions.remove_member.allowed,
          errorCode: caps.actions.remove_member.errorCode,
        });
      }
    } finally {
      for (const id of candidates) {
        organizations.removeMembers(north.id, [id]);
        organizations.removeMembers(south.id, [id]);
      }
    }
  });

  it('/me/permissions and capabilities say what the organization routes allow', async () => {
    const perms = (await as(lead, north).get('/me/permissions')).body;
    expect(perms.actions).toEqual(expect.arrayContaining(['list_members', 'remove_member', 'invite', 'revoke_invitation']));
    expect(perms.scope.remove_member).toBe('org');
    expect(perms.org_member_roles).toEqual({ read: true, change: true, grant: ['Team Member'] });
    // Without org_id in its token the lead reaches no organization: the member-roles routes are closed to it.
    const orgless = (await as(lead).get('/me/permissions')).body;
    expect(orgless.org).toBeNull();
    expect(orgless.org_member_roles).toEqual({ read: false, change: false, grant: [] });
    expect((await as(lead).get(`/orgs/${north.id}/members/${encodeURIComponent(hand)}/roles`)).status).toBe(404);
    const caps = await as(owner).get(`/users/${encodeURIComponent(fresh)}/capabilities`);
    expect(caps.status).toBe(200);
    // The owner's profile names no org: no organization to answer for.
    expect(caps.body.org).toBeNull();
    const mine = await as(lead, north).get(`/users/${encodeURIComponent(boss)}/capabilities`);
    expect(mine.status).toBe(200);
    expect(mine.body.org).toMatchObject({
      org_id: north.id,
      actions: { remove_member: { allowed: false, errorCode: 'target_protected' } },
      member_roles: { read: { allowed: true }, change: { allowed: false, errorCode: 'target_protected' } },
    });
  });

  it("capabilities' org.grantable_roles are the member roles grantable in that organization, not the user's roles elsewhere", async () => {
    const { organizations, roles } = stack.tenant;
    const badged = stack.tenant.store
      .all()
      .filter((u) => !Object.values(DEMO_USERS).includes(u.user_id as never) && !u.blocked)
      .map((u) => u.user_id)[8]!;
    organizations.setMemberRoles(north.id, badged, ['North Badge']);
    organizations.setMemberRoles(south.id, badged, ['Elsewhere Lead']);
    roles.setUserRoles(badged, ['Legacy Billing']);
    try {
      // boss: Platform Owner (grant *) and a member of north.
      const res = await as(boss, north).get(`/users/${encodeURIComponent(badged)}/capabilities`);
      expect(res.status).toBe(200);
      expect(res.body.org).toMatchObject({ org_id: north.id, member_roles: { change: { allowed: true } } });
      // * reads as the policy's roles and the member roles held here, which it may take off.
      expect(res.body.org.grantable_roles).toEqual([...Object.keys(POLICY.roles), 'North Badge'].sort());
      // The tenant role is the roles routes' to grant.
      expect(res.body.grantable_roles).toContain('Legacy Billing');
    } finally {
      organizations.removeMembers(north.id, [badged]);
      organizations.removeMembers(south.id, [badged]);
      roles.setUserRoles(badged, []);
    }
  });

  it('sent nothing the Management API would refuse as malformed', () => {
    expect(stack.tenant.invalidRequests()).toEqual([]);
  });
});
