import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { CONSOLE_CLIENT_ID, DEMO_ORG, DEMO_USERS, demoRoles, policyRoles, SEED_ORGS, type DevTenant } from '../../dev-tenant';
import { devBanner, rbacDemoCallers, registerConsole, startDevMode } from '../../dev-tenant/dev-mode';

type Json = Record<string, unknown>;

/** The banner's `TOKEN_X=...` lines, decoded. */
function bannerTokens(banner: string): Record<string, Json> {
  return Object.fromEntries(
    [...banner.matchAll(/^TOKEN_([A-Z_]+)=(\S+)$/gm)].map(([, name, token]) => [name!, jwt.decode(token!) as Json]),
  );
}

/** `npm start` with ROLES_SOURCE=rbac: the dev tenant seeds Auth0's RBAC and Organizations model from the policy's roles. */
describe('dev mode: the RBAC and Organizations seed', () => {
  describe('with the shipped policy', () => {
    let tenant: DevTenant;
    let env: Record<string, string | undefined>;
    const usergate = 'http://127.0.0.1:3456';
    const roles = policyRoles({});
    const demo = demoRoles(roles);
    beforeAll(async () => {
      ({ tenant, env } = await startDevMode({ ROLES_SOURCE: 'rbac' }));
      registerConsole(tenant, usergate);
    });
    afterAll(() => tenant.stop());

    it('hands usergate the mode: RBAC roles, Organizations, invitations for the console', () => {
      expect(env).toMatchObject({ ROLES_SOURCE: 'rbac', ORG_SOURCE: 'organizations', INVITATION_CLIENT_ID: CONSOLE_CLIENT_ID });
    });

    it("defines a tenant role per policy role and an organization per seeded org, members by the users' org", () => {
      const tenantRoles = tenant.roles.all().map((r) => r.name);
      for (const role of roles) expect(tenantRoles).toContain(role.name);
      expect(tenant.organizations.all().map((o) => o.name)).toEqual([...SEED_ORGS].sort());
      for (const name of SEED_ORGS) {
        const org = tenant.organizations.byName(name)!;
        const expected = tenant.store
          .all()
          .filter((u) => u.app_metadata?.org === name && (name === DEMO_ORG || u.user_id !== DEMO_USERS.support))
          .map((u) => u.user_id);
        expect(tenant.organizations.memberIds(org.id)).toEqual([...expected].sort());
      }
    });

    it('seeds a tenant admin, an org admin holding its role only as a member role in one org, and an org member', () => {
      expect(demo.tenantAdmin && demo.orgAdmin && demo.orgMember).toBeTruthy();
      const acme = tenant.organizations.byName(DEMO_ORG)!.id;
      expect(tenant.roles.namesOf(DEMO_USERS.admin)).toEqual([demo.tenantAdmin]);
      expect(tenant.roles.namesOf(DEMO_USERS.support)).toEqual([]);
      expect(tenant.organizations.memberRoleNames(acme, DEMO_USERS.support)).toEqual([demo.orgAdmin]);
      expect(tenant.organizations.organizationsOf(DEMO_USERS.support).map((o) => o.name)).toEqual([DEMO_ORG]);
      expect(tenant.roles.namesOf(DEMO_USERS.none)).toEqual([]);
      expect(tenant.organizations.memberRoleNames(acme, DEMO_USERS.none)).toEqual([demo.orgMember]);
      // Org-scoped roles of other seeded users became member roles in their org; unscoped ones stay tenant roles.
      const scoped = new Set(roles.filter((r) => r.scoped).map((r) => r.name));
      for (const user of tenant.store.all().filter((u) => u.app_metadata?.org && !Object.values<string>(DEMO_USERS).includes(u.user_id))) {
        const org = tenant.organizations.byName(user.app_metadata!.org as string)!;
        const names = (user.app_metadata!.roles as string[] | undefined) ?? [];
        expect(tenant.roles.namesOf(user.user_id)).toEqual(names.filter((n) => !scoped.has(n)).sort());
        expect(tenant.organizations.memberRoleNames(org.id, user.user_id)).toEqual(names.filter((n) => scoped.has(n)).sort());
      }
    });

    it('holds one pending invitation to the demo org, on the console login URI', () => {
      const acme = tenant.organizations.byName(DEMO_ORG)!;
      const [invitation, ...more] = tenant.organizations.invitations(acme.id);
      expect(more).toEqual([]);
      expect(invitation).toMatchObject({
        organization_id: acme.id,
        client_id: CONSOLE_CLIENT_ID,
        roles: [tenant.roles.byName(demo.orgMember!)!.id],
      });
      const url = new URL(invitation!.invitation_url);
      expect(url.origin + url.pathname).toBe(`${usergate}/console/`);
      expect(url.searchParams.get('organization')).toBe(acme.id);
      // Registering the console again (usergate restarted) adds no second one.
      registerConsole(tenant, usergate);
      expect(tenant.organizations.invitations(acme.id)).toHaveLength(1);
    });

    it("prints a token per demo caller: the tenant admin's without org_id, the org admin's and member's with the demo org's", () => {
      const banner = devBanner(tenant, usergate);
      const tokens = bannerTokens(banner);
      const acme = tenant.organizations.byName(DEMO_ORG)!.id;
      expect(Object.keys(tokens).sort()).toEqual(['ORG_ADMIN', 'ORG_MEMBER', 'TENANT_ADMIN']);
      expect(tokens.TENANT_ADMIN).toMatchObject({ sub: DEMO_USERS.admin, aud: expect.arrayContaining([tenant.appAudience]) });
      expect(tokens.TENANT_ADMIN).not.toHaveProperty('org_id');
      expect(tokens.ORG_ADMIN).toMatchObject({ sub: DEMO_USERS.support, org_id: acme, org_name: DEMO_ORG });
      expect(tokens.ORG_MEMBER).toMatchObject({ sub: DEMO_USERS.none, org_id: acme, org_name: DEMO_ORG });
      for (const name of Object.keys(tokens))
        expect(banner).toContain(`curl -s -H "Authorization: Bearer $TOKEN_${name}" ${usergate}/me/permissions`);
      expect(banner).toContain(`${usergate}/orgs/${acme}/members`);
      expect(rbacDemoCallers(tenant).map((c) => c.role)).toEqual([demo.tenantAdmin, demo.orgAdmin, demo.orgMember]);
    });
  });

  it("names the demo's roles after a policy's own roles, by what they allow", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rbac-seed-'));
    const file = join(dir, 'acl.yaml');
    writeFileSync(
      file,
      [
        'roles:',
        '  "Tenant Owner":',
        '    can: [list, read, update]',
        "    grant: ['*']",
        '  "Org Manager":',
        '    can: [list, read, list_members, invite]',
        '    grant: ["Org Reader"]',
        '    scope: org',
        '  "Org Reader":',
        '    can: [list]',
        '    scope: org',
      ].join('\n'),
    );
    const { tenant } = await startDevMode({ ROLES_SOURCE: 'rbac', ACL_FILE: file });
    try {
      const acme = tenant.organizations.byName(DEMO_ORG)!.id;
      expect(tenant.roles.namesOf(DEMO_USERS.admin)).toEqual(['Tenant Owner']);
      expect(tenant.organizations.memberRoleNames(acme, DEMO_USERS.support)).toEqual(['Org Manager']);
      expect(tenant.organizations.memberRoleNames(acme, DEMO_USERS.none)).toEqual(['Org Reader']);
      expect(tenant.roles.all().map((r) => r.name)).toEqual(expect.arrayContaining(['Tenant Owner', 'Org Manager', 'Org Reader']));
    } finally {
      await tenant.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unreadable policy file stops dev mode naming the file', async () => {
    await expect(startDevMode({ ROLES_SOURCE: 'rbac', ACL_FILE: '/nonexistent/acl.yaml' })).rejects.toThrow(/\/nonexistent\/acl\.yaml/);
  });

  it('without ROLES_SOURCE=rbac there are no organizations and the banner is the app_metadata one', async () => {
    const { tenant, env } = await startDevMode({});
    try {
      expect(tenant.organizations.all()).toEqual([]);
      expect(env.ORG_SOURCE).toBeUndefined();
      expect(env.INVITATION_CLIENT_ID).toBeUndefined();
      const tokens = bannerTokens(devBanner(tenant, 'http://127.0.0.1:3456'));
      expect(tokens.ADMIN).toMatchObject({ sub: DEMO_USERS.admin });
      expect(tokens).not.toHaveProperty('ORG_ADMIN');
    } finally {
      await tenant.stop();
    }
  });
});
