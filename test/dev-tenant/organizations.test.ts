import { createHash, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  connectionIdFor,
  consoleClient,
  DEFAULT_CLIENT,
  DEMO_USERS,
  OpenApiValidator,
  organizationIdFor,
  startDevTenant,
  type DevTenant,
} from '../../dev-tenant';
import { machineToken } from '../helpers/machine-token';
import { managementApi, type ApiAnswer } from '../helpers/management-api';

type Json = Record<string, unknown>;

/** Auth0's Organizations model on the dev tenant, over HTTP as usergate calls it. */
describe('dev tenant: Organizations, members, member roles and invitations', () => {
  const clock = Date.UTC(2026, 5, 1);
  let tenant: DevTenant;
  let token: string;
  let readerToken: string;
  const answers = new OpenApiValidator();
  // May read organizations and members, not member roles, and write nothing.
  const reader = { clientId: 'org-reader', clientSecret: 'reader-secret', scopes: ['read:organizations', 'read:organization_members'] };
  const app = 'http://127.0.0.1:3999';
  const invitingApp = {
    clientId: 'inviting-spa',
    callbackUrls: [],
    logoutUrls: [],
    webOrigins: [],
    initiateLoginUri: 'https://app.example/login',
  };
  const noLoginUri = { clientId: 'no-login-uri', callbackUrls: [], logoutUrls: [], webOrigins: [] };

  beforeAll(async () => {
    tenant = await startDevTenant({
      now: () => clock,
      clients: [DEFAULT_CLIENT, reader],
      spaClients: [consoleClient([app]), invitingApp, noLoginUri],
    });
    token = await machineToken(tenant);
    readerToken = await machineToken(tenant, reader);
  });
  afterAll(() => tenant.stop());
  afterEach(() => {
    // Every request was one Auth0 would accept, or was refused as Auth0 refuses it (those tests clear the log).
    expect(tenant.invalidRequests()).toEqual([]);
  });

  /** Calls the Management API and checks the answer's body against the OpenAPI document's schema for it. */
  async function api(template: string, path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<ApiAnswer> {
    const res = await managementApi(tenant, () => token)(path, init);
    const verdict = answers.validateAnswer(init.method ?? 'GET', template, res.status, res.body);
    if (!verdict.ok) throw new Error(`${init.method ?? 'GET'} ${path} -> ${res.status}: ${verdict.message} ${JSON.stringify(res.body)}`);
    return res;
  }
  const enc = encodeURIComponent;
  /** Requests the OpenAPI validation refuses are logged as invalid, as they should be: forget them. */
  const forgetRefused = () => tenant.requestLog.splice(0, tenant.requestLog.length);

  async function createOrg(name: string, displayName?: string): Promise<string> {
    const res = await api('/organizations', '/organizations', {
      method: 'POST',
      body: { name, ...(displayName ? { display_name: displayName } : {}) },
    });
    expect(res.status).toBe(201);
    return (res.body as Json).id as string;
  }

  describe('organizations', () => {
    it('creates an organization with a stable id from its name; a taken name is a 409; a bad name a 400', async () => {
      const res = await api('/organizations', '/organizations', {
        method: 'POST',
        body: { name: 'umbrella', display_name: 'Umbrella Corp' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: organizationIdFor('umbrella'), name: 'umbrella', display_name: 'Umbrella Corp' });
      expect(organizationIdFor('umbrella')).toMatch(/^org_[A-Za-z0-9]{16}$/);
      expect(tenant.organizations.byName('umbrella')?.display_name).toBe('Umbrella Corp');

      const taken = await api('/organizations', '/organizations', { method: 'POST', body: { name: 'umbrella' } });
      expect(taken.status).toBe(409);
      expect(taken.body).toMatchObject({ statusCode: 409, error: 'Conflict' });

      for (const name of ['Umbrella', 'with space', 'x'.repeat(51), '', 'dot.ted']) {
        const bad = await api('/organizations', '/organizations', { method: 'POST', body: { name } });
        expect(bad.status).toBe(400);
        expect(bad.body).toMatchObject({ statusCode: 400, error: 'Bad Request', errorCode: 'invalid_body' });
      }
      const missing = await api('/organizations', '/organizations', { method: 'POST', body: { display_name: 'No name' } });
      expect(missing.body).toMatchObject({ statusCode: 400, message: "Payload validation error: 'Missing required property: name'." });
      forgetRefused();
      expect(tenant.organizations.all().map((o) => o.name)).toEqual(['umbrella']);
    });

    it('reads by id and by name, updates, and answers 404 for what it does not have', async () => {
      const id = await createOrg('wayne-ent', 'Wayne');
      expect((await api('/organizations/{id}', `/organizations/${id}`)).body).toEqual({ id, name: 'wayne-ent', display_name: 'Wayne' });
      expect((await api('/organizations/name/{name}', '/organizations/name/wayne-ent')).body).toMatchObject({ id });
      const missing = await api('/organizations/{id}', '/organizations/org_nope0000000000000');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'No organization found by that id or name',
        errorCode: 'inexistent_organization',
      });
      expect((await api('/organizations/name/{name}', '/organizations/name/nobody')).status).toBe(404);

      const patched = await api('/organizations/{id}', `/organizations/${id}`, {
        method: 'PATCH',
        body: { display_name: 'Wayne Enterprises', name: 'wayne' },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toEqual({ id, name: 'wayne', display_name: 'Wayne Enterprises' });
      expect((await api('/organizations/{id}', `/organizations/${id}`, { method: 'PATCH', body: { name: 'umbrella' } })).status).toBe(409);
      expect((await api('/organizations/{id}', `/organizations/${id}`, { method: 'PATCH', body: { name: 'Bad Name' } })).status).toBe(400);
      forgetRefused();
      expect(
        (await api('/organizations/{id}', '/organizations/org_nope0000000000000', { method: 'PATCH', body: { display_name: 'x' } })).status,
      ).toBe(404);
      // A new organization of the renamed one's former name gets another id.
      const again = await createOrg('wayne-ent');
      expect(again).not.toBe(id);
      expect((await api('/organizations/{id}', `/organizations/${again}`, { method: 'DELETE' })).status).toBe(204);
      expect((await api('/organizations/{id}', `/organizations/${again}`, { method: 'DELETE' })).status).toBe(404);
    });

    it('lists with offset paging (totals) and with checkpoint paging (from/take, next)', async () => {
      for (const name of ['page-a', 'page-b', 'page-c']) await createOrg(name);
      const names = tenant.organizations.all().map((o) => o.name);
      expect(names.length).toBeGreaterThanOrEqual(5);

      const bare = await api('/organizations', '/organizations');
      expect((bare.body as Json[]).map((o) => o.name)).toEqual(names);
      const paged = (await api('/organizations', '/organizations?page=1&per_page=2&include_totals=true')).body as Json;
      expect(paged).toMatchObject({ start: 2, limit: 2, total: names.length });
      expect((paged.organizations as Json[]).map((o) => o.name)).toEqual(names.slice(2, 4));

      const walked: string[] = [];
      let from: string | undefined;
      for (let i = 0; i < 10; i++) {
        const body = (await api('/organizations', `/organizations?take=2${from ? `&from=${enc(from)}` : ''}`)).body as Json;
        expect(Object.keys(body).sort()).toEqual(body.next ? ['next', 'organizations'] : ['organizations']);
        walked.push(...(body.organizations as Json[]).map((o) => o.name as string));
        from = body.next as string | undefined;
        if (!from) break;
      }
      expect(walked).toEqual(names);

      const sorted = (await api('/organizations', '/organizations?sort=name:-1')).body as Json[];
      expect(sorted.map((o) => o.name)).toEqual([...names].reverse());
      expect((await api('/organizations', '/organizations?per_page=101')).status).toBe(400);
      expect((await api('/organizations', '/organizations?take=0')).status).toBe(400);
      forgetRefused();
    });

    it('logs each request and answers injected faults, as on the other Management API endpoints', async () => {
      const calls = tenant.counters.apiCalls;
      tenant.faults.inject({ method: 'GET', path: '/api/v2/organizations*', kind: 'status', status: 503 });
      expect((await api('/organizations', '/organizations')).status).toBe(503);
      expect((await api('/organizations', '/organizations')).status).toBe(200);
      expect(tenant.counters.apiCalls).toBe(calls + 2);
      expect(tenant.requestLog.at(-1)).toMatchObject({ operation: 'GET /organizations', validation: { ok: true } });
    });

    it('checks the scopes the OpenAPI document lists', async () => {
      expect((await api('/organizations', '/organizations', { token: readerToken })).status).toBe(200);
      const write = await api('/organizations', '/organizations', { method: 'POST', body: { name: 'not-allowed' }, token: readerToken });
      expect(write.status).toBe(403);
      expect(write.body).toMatchObject({ errorCode: 'insufficient_scope' });
      expect(tenant.organizations.byName('not-allowed')).toBeUndefined();
    });
  });

  describe('members and member roles', () => {
    let org: string;
    let other: string;
    const [alice, sam, vera, nora] = [DEMO_USERS.admin, DEMO_USERS.support, DEMO_USERS.viewer, DEMO_USERS.none];
    beforeAll(async () => {
      org = await createOrg('members-org', 'Members');
      other = await createOrg('other-org');
    });
    const members = (orgId: string, query = '') => api('/organizations/{id}/members', `/organizations/${orgId}/members${query}`);
    const memberRoles = (orgId: string, user: string, init: { method?: string; body?: unknown; token?: string } = {}, query = '') =>
      api('/organizations/{id}/members/{user_id}/roles', `/organizations/${orgId}/members/${enc(user)}/roles${query}`, init);

    it("adds and removes members (204); each member is shown with the user's current profile", async () => {
      const add = await api('/organizations/{id}/members', `/organizations/${org}/members`, {
        method: 'POST',
        body: { members: [sam, alice, vera] },
      });
      expect(add.status).toBe(204);
      expect(
        await api('/organizations/{id}/members', `/organizations/${org}/members`, { method: 'POST', body: { members: [sam] } }),
      ).toMatchObject({ status: 204 });
      const user = tenant.store.get(sam)!;
      user.name = 'Samantha Support';
      const list = (await members(org)).body as Json[];
      expect(list.map((m) => m.user_id)).toEqual([alice, sam, vera].sort());
      expect(list.find((m) => m.user_id === sam)).toEqual({
        user_id: sam,
        email: user.email,
        picture: user.picture,
        name: 'Samantha Support',
      });

      const unknown = await api('/organizations/{id}/members', `/organizations/${org}/members`, {
        method: 'POST',
        body: { members: [nora, 'auth0|nobody00000000000000'] },
      });
      expect(unknown.status).toBe(400);
      expect(tenant.organizations.isMember(org, nora)).toBe(false);
      expect(
        (await api('/organizations/{id}/members', `/organizations/${org}/members`, { method: 'POST', body: { members: [] } })).status,
      ).toBe(400);
      forgetRefused();
      expect((await members('org_nope0000000000000')).status).toBe(404);

      expect(
        (await api('/organizations/{id}/members', `/organizations/${org}/members`, { method: 'DELETE', body: { members: [vera, nora] } }))
          .status,
      ).toBe(204);
      expect(tenant.organizations.memberIds(org)).toEqual([alice, sam].sort());
      expect((await api('/users/{id}/organizations', `/users/${enc(sam)}/organizations`)).body).toEqual([
        { id: org, name: 'members-org', display_name: 'Members' },
      ]);
    });

    it('pages members by offset (totals) and by checkpoint, and adds roles only when fields names them', async () => {
      await api('/organizations/{id}/members', `/organizations/${other}/members`, {
        method: 'POST',
        body: { members: [alice, sam, vera, nora] },
      });
      const all = [alice, sam, vera, nora].sort();
      const paged = (await members(other, '?page=1&per_page=3&include_totals=true')).body as Json;
      expect(paged).toMatchObject({ start: 3, limit: 3, total: 4 });
      expect((paged.members as Json[]).map((m) => m.user_id)).toEqual(all.slice(3));

      const first = (await members(other, '?take=3')).body as Json;
      expect((first.members as Json[]).map((m) => m.user_id)).toEqual(all.slice(0, 3));
      const second = (await members(other, `?take=3&from=${enc(first.next as string)}`)).body as Json;
      expect(second).toEqual({ members: [expect.objectContaining({ user_id: all[3] })] });

      tenant.organizations.setMemberRoles(other, vera, ['viewer']);
      const viewer = tenant.roles.byName('viewer')!;
      const withRoles = (await members(other, '?fields=user_id,name,roles&include_fields=true')).body as Json[];
      expect(withRoles.find((m) => m.user_id === vera)).toEqual({
        user_id: vera,
        name: tenant.store.get(vera)!.name,
        roles: [{ id: viewer.id, name: 'viewer' }],
      });
      expect(withRoles.find((m) => m.user_id === nora)).toMatchObject({ roles: [] });
      const without = (await members(other, '?fields=email,picture&include_fields=false')).body as Json[];
      expect(Object.keys(without[0]!).sort()).toEqual(['name', 'user_id']);
      // fields=roles needs read:organization_member_roles too.
      const scoped = await api('/organizations/{id}/members', `/organizations/${other}/members?fields=roles`, { token: readerToken });
      expect(scoped.status).toBe(403);
      expect((await api('/organizations/{id}/members', `/organizations/${other}/members`, { token: readerToken })).status).toBe(200);
    });

    it('member roles are held in one organization only, apart from tenant roles', async () => {
      const support = tenant.roles.byName('support')!;
      const tenantRolesBefore = tenant.roles.namesOf(sam);
      expect((await memberRoles(org, sam, { method: 'POST', body: { roles: [support.id] } })).status).toBe(204);
      expect(tenant.organizations.memberRoleNames(org, sam)).toEqual(['support']);
      expect(tenant.organizations.memberRoleNames(other, sam)).toEqual([]);
      expect(tenant.roles.namesOf(sam)).toEqual(tenantRolesBefore);
      expect((await memberRoles(org, sam)).body).toEqual([{ id: support.id, name: 'support' }]);
      expect((await memberRoles(org, sam, {}, '?include_totals=true&per_page=1')).body).toEqual({
        roles: [{ id: support.id, name: 'support' }],
        start: 0,
        limit: 1,
        total: 1,
      });
      // The user's tenant roles do not show as member roles, nor the reverse.
      expect((await api('/users/{id}/roles', `/users/${enc(alice)}/roles`)).body).toEqual([expect.objectContaining({ name: 'admin' })]);
      expect((await memberRoles(org, alice)).body).toEqual([]);

      const unknownRole = await memberRoles(org, sam, { method: 'POST', body: { roles: ['rol_nope000000000000'] } });
      expect(unknownRole.status).toBe(404);
      expect(unknownRole.body).toMatchObject({ errorCode: 'inexistent_role' });
      const notMember = await memberRoles(org, nora, { method: 'POST', body: { roles: [support.id] } });
      expect(notMember.status).toBe(400);
      expect(notMember.body).toMatchObject({ message: 'User is not a member of the organization.' });
      expect((await memberRoles(org, nora)).status).toBe(400);
      expect(tenant.organizations.memberRoleNames(org, nora)).toEqual([]);
      expect((await memberRoles(org, sam, { method: 'POST', body: { roles: [] } })).status).toBe(400);
      forgetRefused();

      expect((await memberRoles(org, sam, { method: 'DELETE', body: { roles: [support.id] } })).status).toBe(204);
      expect(tenant.organizations.memberRoleNames(org, sam)).toEqual([]);
      // Removing a member drops its member roles: it rejoins with none.
      tenant.organizations.setMemberRoles(org, sam, ['support']);
      await api('/organizations/{id}/members', `/organizations/${org}/members`, { method: 'DELETE', body: { members: [sam] } });
      await api('/organizations/{id}/members', `/organizations/${org}/members`, { method: 'POST', body: { members: [sam] } });
      expect(tenant.organizations.memberRoleNames(org, sam)).toEqual([]);
    });

    it('checks the member-role scopes', async () => {
      expect((await memberRoles(org, alice, { token: readerToken })).status).toBe(403);
      const write = await memberRoles(org, alice, {
        method: 'POST',
        body: { roles: [tenant.roles.byName('viewer')!.id] },
        token: readerToken,
      });
      expect(write.status).toBe(403);
      expect(tenant.organizations.memberRoleNames(org, alice)).toEqual([]);
    });
  });

  describe('invitations', () => {
    let org: string;
    beforeAll(async () => {
      org = await createOrg('inviting-org');
    });
    const invite = (body: Json, orgId = org) =>
      api('/organizations/{id}/invitations', `/organizations/${orgId}/invitations`, { method: 'POST', body });
    const valid = { inviter: { name: 'Ivy Inviter' }, invitee: { email: 'new.user@example.com' }, client_id: invitingApp.clientId };

    it('creates an invitation with the fields Auth0 answers and an invitation URL on the login URI', async () => {
      const viewer = tenant.roles.byName('viewer')!;
      const connection = connectionIdFor('Username-Password-Authentication');
      const res = await invite({
        ...valid,
        roles: [viewer.id],
        connection_id: connection,
        ttl_sec: 3600,
        send_invitation_email: false,
        app_metadata: { plan: 'gold' },
        user_metadata: { locale: 'en' },
      });
      expect(res.status).toBe(201);
      const body = res.body as Json;
      expect(body).toEqual({
        id: expect.stringMatching(/^uinv_[A-Za-z0-9]{16}$/),
        organization_id: org,
        inviter: { name: 'Ivy Inviter' },
        invitee: { email: 'new.user@example.com' },
        invitation_url: expect.any(String),
        created_at: new Date(clock).toISOString(),
        expires_at: new Date(clock + 3600_000).toISOString(),
        client_id: invitingApp.clientId,
        connection_id: connection,
        roles: [viewer.id],
        app_metadata: { plan: 'gold' },
        user_metadata: { locale: 'en' },
        ticket_id: expect.any(String),
      });
      const url = new URL(body.invitation_url as string);
      expect(url.origin + url.pathname).toBe('https://app.example/login');
      expect(Object.fromEntries(url.searchParams)).toEqual({
        invitation: body.ticket_id,
        organization: org,
        organization_name: 'inviting-org',
      });

      const read = await api('/organizations/{id}/invitations/{invitation_id}', `/organizations/${org}/invitations/${body.id as string}`);
      expect(read.body).toEqual(body);
      const projected = await api(
        '/organizations/{id}/invitations/{invitation_id}',
        `/organizations/${org}/invitations/${body.id as string}?fields=id,invitee&include_fields=true`,
      );
      expect(projected.body).toEqual({ id: body.id, invitee: body.invitee });
    });

    it('defaults to 7 days (ttl_sec 0 or absent) and lists invitations, paged without a total', async () => {
      const absent = (await invite(valid)).body as Json;
      const zero = (await invite({ ...valid, ttl_sec: 0 })).body as Json;
      for (const inv of [absent, zero]) expect(inv.expires_at).toBe(new Date(clock + 604_800_000).toISOString());
      expect(absent).not.toHaveProperty('roles');

      const all = (await api('/organizations/{id}/invitations', `/organizations/${org}/invitations`)).body as Json[];
      expect(all).toHaveLength(3);
      const paged = (
        await api('/organizations/{id}/invitations', `/organizations/${org}/invitations?page=1&per_page=2&include_totals=true`)
      ).body as Json;
      expect(paged).toEqual({ invitations: [all[2]], start: 2, limit: 2 });
    });

    it.each([
      [
        'no inviter',
        { invitee: valid.invitee, client_id: valid.client_id },
        "Payload validation error: 'Missing required property: inviter'.",
      ],
      ['no inviter name', { ...valid, inviter: {} }, "Payload validation error: 'Missing required property: name'."],
      [
        'no invitee',
        { inviter: valid.inviter, client_id: valid.client_id },
        "Payload validation error: 'Missing required property: invitee'.",
      ],
      [
        'a bad email',
        { ...valid, invitee: { email: 'not-an-email' } },
        'Payload validation error: \'must match format "email" on property invitee.email\'.',
      ],
      [
        'no client_id',
        { inviter: valid.inviter, invitee: valid.invitee },
        "Payload validation error: 'Missing required property: client_id'.",
      ],
      ['a ttl over 30 days', { ...valid, ttl_sec: 2_592_001 }, "Payload validation error: 'must be <= 2592000 on property ttl_sec'."],
      ['an empty roles list', { ...valid, roles: [] }, "Payload validation error: 'must NOT have fewer than 1 items on property roles'."],
      ['an unknown property', { ...valid, extra: 1 }, "Payload validation error: 'Additional properties not allowed: extra'."],
    ])('refuses an invitation with %s (400, nothing stored)', async (_name, body, message) => {
      const before = tenant.organizations.invitations(org).length;
      const res = await invite(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message, errorCode: 'invalid_body' });
      expect(tenant.organizations.invitations(org)).toHaveLength(before);
      forgetRefused();
    });

    it('refuses an unknown client, a client without login URI, an unknown connection or role, an unknown organization', async () => {
      const before = tenant.organizations.invitations(org).length;
      expect((await invite({ ...valid, client_id: 'nobody-spa' })).body).toMatchObject({ statusCode: 400, errorCode: 'invalid_body' });
      expect((await invite({ ...valid, client_id: noLoginUri.clientId })).body).toMatchObject({
        statusCode: 400,
        message: expect.stringContaining('A default login route is required'),
      });
      expect((await invite({ ...valid, connection_id: 'con_nope000000000000' })).body).toMatchObject({
        statusCode: 400,
        errorCode: 'inexistent_connection',
      });
      expect((await invite({ ...valid, roles: ['rol_nope000000000000'] })).body).toMatchObject({
        statusCode: 404,
        errorCode: 'inexistent_role',
      });
      expect((await invite(valid, 'org_nope0000000000000')).status).toBe(404);
      expect(tenant.organizations.invitations(org)).toHaveLength(before);
    });

    it('deletes an invitation (204), then it is a 404', async () => {
      const id = ((await invite(valid)).body as Json).id as string;
      const path = `/organizations/${org}/invitations/${id}`;
      expect((await api('/organizations/{id}/invitations/{invitation_id}', path, { method: 'DELETE' })).status).toBe(204);
      const gone = await api('/organizations/{id}/invitations/{invitation_id}', path);
      expect(gone.status).toBe(404);
      expect(gone.body).toMatchObject({ errorCode: 'inexistent_invitation' });
      expect((await api('/organizations/{id}/invitations/{invitation_id}', path, { method: 'DELETE' })).status).toBe(404);
      expect(tenant.organizations.invitation(org, id)).toBeUndefined();
    });

    it('checks the invitation scopes', async () => {
      expect((await api('/organizations/{id}/invitations', `/organizations/${org}/invitations`, { token: readerToken })).status).toBe(403);
      const before = tenant.organizations.invitations(org).length;
      const res = await api('/organizations/{id}/invitations', `/organizations/${org}/invitations`, {
        method: 'POST',
        body: valid,
        token: readerToken,
      });
      expect(res.status).toBe(403);
      expect(tenant.organizations.invitations(org)).toHaveLength(before);
    });
  });

  describe('cascades', () => {
    it('a deleted user leaves every organization and its member roles; /users/{id}/organizations answers an empty list', async () => {
      const created = await api('/users', '/users', {
        method: 'POST',
        body: { connection: 'Username-Password-Authentication', email: 'leaver@example.com', password: 'Str0ng!Passw0rd#' },
      });
      const id = (created.body as Json).user_id as string;
      const a = await createOrg('cascade-a');
      const b = await createOrg('cascade-b');
      for (const org of [a, b])
        await api('/organizations/{id}/members', `/organizations/${org}/members`, { method: 'POST', body: { members: [id] } });
      tenant.organizations.setMemberRoles(a, id, ['viewer']);
      expect((await api('/users/{id}/organizations', `/users/${enc(id)}/organizations?include_totals=true`)).body).toMatchObject({
        total: 2,
        start: 0,
      });

      expect((await api('/users/{id}', `/users/${enc(id)}`, { method: 'DELETE' })).status).toBe(204);
      expect(tenant.organizations.memberIds(a)).not.toContain(id);
      expect(tenant.organizations.memberIds(b)).not.toContain(id);
      expect(tenant.organizations.memberRoleNames(a, id)).toEqual([]);
      expect((await api('/users/{id}/organizations', `/users/${enc(id)}/organizations`)).body).toEqual([]);
    });

    it('a deleted organization takes its members, member roles and invitations with it', async () => {
      const org = await createOrg('doomed');
      tenant.organizations.setMemberRoles(org, DEMO_USERS.viewer, ['viewer']);
      await api('/organizations/{id}/invitations', `/organizations/${org}/invitations`, {
        method: 'POST',
        body: { inviter: { name: 'X' }, invitee: { email: 'x@example.com' }, client_id: invitingApp.clientId },
      });
      expect((await api('/organizations/{id}', `/organizations/${org}`, { method: 'DELETE' })).status).toBe(204);
      expect(tenant.organizations.memberIds(org)).toEqual([]);
      expect(tenant.organizations.invitations(org)).toEqual([]);
      expect(tenant.organizations.organizationsOf(DEMO_USERS.viewer).map((o) => o.id)).not.toContain(org);
      expect((await api('/organizations/{id}/members', `/organizations/${org}/members`)).status).toBe(404);
      // Recreated under the same name, it starts empty.
      expect(await createOrg('doomed')).toBe(org);
      expect(tenant.organizations.memberRoleNames(org, DEMO_USERS.viewer)).toEqual([]);
    });
  });

  describe('sign-in through an organization', () => {
    const redirectUri = `${app}/console/`;
    const verifier = () => randomBytes(32).toString('base64url');
    const challenge = (v: string) => createHash('sha256').update(v).digest('base64url');
    let acme: string;
    beforeAll(() => {
      acme = tenant.organizations.define('signin-acme').id;
      tenant.organizations.addMembers(acme, [DEMO_USERS.support]);
    });

    function authorizeUrl(v: string, extra: Record<string, string>): string {
      const url = new URL(`${tenant.url}/authorize`);
      const params = {
        client_id: 'usergate-dev-console',
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: 'openid profile email',
        audience: tenant.appAudience,
        state: 'st',
        nonce: 'nn',
        code_challenge: challenge(v),
        code_challenge_method: 'S256',
        ...extra,
      };
      for (const [k, val] of Object.entries(params)) url.searchParams.set(k, val);
      return url.toString();
    }

    /** /authorize with `organization`, then the login page's pick: where the tenant sends the browser back. */
    async function signIn(sub: string, organization: string, v: string): Promise<URL> {
      const page = await fetch(authorizeUrl(v, { organization }));
      expect(page.status).toBe(200);
      const html = await page.text();
      // The page says which organization the sign-in goes through.
      expect(html).toContain(`(${tenant.organizations.byIdOrName(organization)!.id})</strong>`);
      // With Organizations, each account shows its tenant roles and memberships.
      const detail = new RegExp(`value="${sub.replace('|', '\\|')}"><strong>[^<]*</strong><small>([^<]*)</small>`).exec(html)![1]!;
      expect(detail).toContain(`tenant roles: ${tenant.roles.namesOf(sub).join(', ') || 'none'}`);
      const org = tenant.organizations.byIdOrName(organization)!;
      expect(/orgs: .*signin-acme/.test(detail)).toBe(tenant.organizations.isMember(org.id, sub));
      const tx = /name="tx" value="([^"]+)"/.exec(html)![1]!;
      const res = await fetch(`${tenant.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ tx, sub }).toString(),
      });
      expect(res.status).toBe(302);
      return new URL(res.headers.get('location')!);
    }

    async function redeem(code: string, v: string): Promise<{ access_token: string; id_token: string }> {
      const res = await fetch(`${tenant.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: 'usergate-dev-console',
          redirect_uri: redirectUri,
          code,
          code_verifier: v,
        }).toString(),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { access_token: string; id_token: string };
    }

    it.each([
      ['id', () => acme],
      ['name', () => 'signin-acme'],
    ])('a member signing in through the organization (by %s) gets tokens carrying org_id and org_name', async (_how, organization) => {
      const v = verifier();
      const back = await signIn(DEMO_USERS.support, organization(), v);
      expect(back.searchParams.get('error')).toBeNull();
      const tokens = await redeem(back.searchParams.get('code')!, v);
      expect(jwt.decode(tokens.access_token)).toMatchObject({ sub: DEMO_USERS.support, org_id: acme, org_name: 'signin-acme' });
      expect(jwt.decode(tokens.id_token)).toMatchObject({ sub: DEMO_USERS.support, org_id: acme, org_name: 'signin-acme' });
    });

    it('a sign-in without organization carries no org_id', async () => {
      const v = verifier();
      const page = await fetch(authorizeUrl(v, {}));
      const tx = /name="tx" value="([^"]+)"/.exec(await page.text())![1]!;
      const res = await fetch(`${tenant.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ tx, sub: DEMO_USERS.support }).toString(),
      });
      const tokens = await redeem(new URL(res.headers.get('location')!).searchParams.get('code')!, v);
      expect(jwt.decode(tokens.access_token)).not.toHaveProperty('org_id');
    });

    it('a user who is not a member is sent back with access_denied and no code', async () => {
      const back = await signIn(DEMO_USERS.viewer, acme, verifier());
      expect(back.origin + back.pathname).toBe(redirectUri);
      expect(back.searchParams.get('code')).toBeNull();
      expect(back.searchParams.get('error')).toBe('access_denied');
      expect(back.searchParams.get('error_description')).toBe(`user ${DEMO_USERS.viewer} is not part of the ${acme} organization`);
      expect(back.searchParams.get('state')).toBe('st');
    });

    it('an organization the tenant does not have is an invalid_request, before any login page', async () => {
      const res = await fetch(authorizeUrl(verifier(), { organization: 'org_nope0000000000000' }), { redirect: 'manual' });
      expect(res.status).toBe(302);
      const back = new URL(res.headers.get('location')!);
      expect(back.searchParams.get('error')).toBe('invalid_request');
      expect(back.searchParams.get('code')).toBeNull();
    });

    it('mintAppToken({ org }) issues the same claims for tests and the demo', () => {
      expect(jwt.decode(tenant.mintAppToken(DEMO_USERS.support, { org: { orgId: acme } }))).toMatchObject({
        sub: DEMO_USERS.support,
        org_id: acme,
        org_name: 'signin-acme',
      });
      expect(jwt.decode(tenant.mintAppToken(DEMO_USERS.support, { org: { orgId: 'org_unknown000000000' } }))).not.toHaveProperty(
        'org_name',
      );
    });
  });
});
