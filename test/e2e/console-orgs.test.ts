import { rmSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { CONSOLE_CLIENT_ID, consoleClient, type StoredUser } from '../../dev-tenant';
import { startStack, type Stack } from '../helpers/stack';
import { buildConsole, checkScreen, launchBrowser, screenshot } from './browser';

/* Page-side checks are passed to the browser as expressions: this project's tsconfig has no DOM types. */

/**
 * The console's Organization screens in headless Chromium, against usergate running on Auth0's B2B
 * model (ROLES_SOURCE=rbac, ORG_SOURCE=organizations, INVITATION_CLIENT_ID) and the dev tenant: each
 * caller signs in through an organization (`/authorize?organization=`), and what the console offers is
 * pressed and checked in the tenant's store. Role and organization names are this suite's own.
 */
jest.setTimeout(120_000);

const DB = 'Username-Password-Authentication';
const ORG = 'north-works';
const POLICY = {
  roles: {
    'Tenant Admin': {
      can: ['list', 'read', 'create', 'update', 'delete', 'list_members', 'remove_member', 'invite', 'revoke_invitation'],
      read: ['*'],
      write: ['*'],
      grant: ['*'],
      connections: ['*'],
    },
    'Org Admin': {
      can: ['list', 'read', 'list_members', 'remove_member', 'invite', 'revoke_invitation'],
      read: ['user_id', 'email', 'name', 'picture', 'roles'],
      grant: ['Org Member', 'Org Billing'],
      scope: 'org',
    },
    // Grants member roles without reading them.
    'Org Helper': { can: ['read', 'list_members'], read: ['user_id', 'email', 'name'], grant: ['Org Member'], scope: 'org' },
    'Org Billing': { can: ['read'], read: ['user_id', 'name', 'email'], scope: 'org' },
    'Org Member': { can: ['list', 'read'], read: ['user_id', 'name'], scope: 'org' },
  },
};

let stack: Stack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let context: BrowserContext;
let consoleDir: string;
let orgId: string;
let orgAdmin: StoredUser;
let orgMember: StoredUser;
let tenantAdminMember: StoredUser;
let orgHelper: StoredUser;
/** Members holding no role, in the order the tests use them up. */
let plain: StoredUser[];
const cspViolations: string[] = [];

beforeAll(async () => {
  consoleDir = buildConsole();
  stack = await startStack({
    policy: POLICY,
    consoleDir,
    env: { CONSOLE_CLIENT_ID, ROLES_SOURCE: 'rbac', ORG_SOURCE: 'organizations', INVITATION_CLIENT_ID: CONSOLE_CLIENT_ID },
  });
  stack.tenant.spaClients.register(consoleClient([stack.url]));
  const { organizations, roles, store } = stack.tenant;
  for (const role of Object.keys(POLICY.roles)) roles.define(role);
  orgId = organizations.define(ORG, 'North Works').id;
  const users = store.all().filter((u) => !u.blocked && u.identities[0]?.connection === DB && u.email && u.name);
  if (users.length < 16) throw new Error('the seed has too few database users for this suite');
  for (const u of users) roles.setUserRoles(u.user_id, []);
  [orgAdmin, orgMember, tenantAdminMember, orgHelper] = users as [StoredUser, StoredUser, StoredUser, StoredUser];
  plain = users.slice(4, 16);
  organizations.setMemberRoles(orgId, orgAdmin.user_id, ['Org Admin']);
  organizations.setMemberRoles(orgId, orgMember.user_id, ['Org Member']);
  organizations.setMemberRoles(orgId, tenantAdminMember.user_id, []);
  organizations.setMemberRoles(orgId, orgHelper.user_id, ['Org Helper']);
  roles.setUserRoles(tenantAdminMember.user_id, ['Tenant Admin']);
  organizations.addMembers(
    orgId,
    plain.map((u) => u.user_id),
  );
  browser = await launchBrowser();
  context = browser.context;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.url });
  context.setDefaultTimeout(25_000);
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(consoleDir, { recursive: true, force: true });
});

afterEach(() => {
  stack.tenant.faults.clear();
  expect(cspViolations.splice(0)).toEqual([]);
});

/** A fresh browser session signing in through `organization` (typed on the console's sign-in page) as `user`. */
async function signInThrough(organization: string, user: StoredUser, shot?: string): Promise<Page> {
  await context.clearCookies();
  const page = await context.newPage();
  await page.goto(`${stack.url}/console/`);
  await page.getByLabel(/^Organization/).fill(organization);
  if (shot) await checkScreen(page, shot);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.toString().startsWith(`${stack.tenant.url}/authorize`));
  expect(new URL(page.url()).searchParams.get('organization')).toBe(organization);
  await page.getByLabel(/by email/).fill(user.email!);
  await page.getByRole('button', { name: 'Sign in with this email' }).click();
  await page.getByTestId('signed-in-as').waitFor();
  return page;
}

/** Confirms the open dialog; returns the question it asked. */
async function confirm(page: Page, button: RegExp): Promise<string> {
  const dialog = page.getByRole('dialog');
  const question = (await dialog.locator('p').textContent()) ?? '';
  await dialog.getByRole('button', { name: button }).click();
  return question;
}

async function okIn(page: Page, section: string, text: string | RegExp): Promise<void> {
  await page.locator(`#${section} .outcome .notice.ok`).filter({ hasText: text }).waitFor();
  expect(await page.locator(`#${section} .outcome [role="alert"]`).count()).toBe(0);
}

/** Whether the element lies wholly inside the window. */
async function inViewport(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).boundingBox();
  const size = page.viewportSize()!;
  return !!box && box.y > -1 && box.x >= 0 && box.y + box.height <= size.height && box.x + box.width <= size.width;
}

const invitationsFor = (email: string) =>
  stack.tenant.organizations.invitations(orgId).filter((i) => i.invitee.email.toLowerCase() === email.toLowerCase());
const roleNames = (ids: string[] | undefined) => (ids ?? []).map((id) => stack.tenant.roles.get(id)?.name ?? id);

describe('the console on Auth0 Organizations, signed in through an organization', () => {
  it('an org admin lists members page by page, invites with a grantable role and revokes; the tenant has each change', async () => {
    const page = await signInThrough(ORG, orgAdmin, 'sign-in-organization');
    // Its role is a member role, held in the organization it signed in through.
    expect(await page.locator('.top .roles').textContent()).toBe(`Org Admin in ${ORG}`);
    await page.getByRole('link', { name: 'Organization', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: `Organization ${ORG}` }).waitFor();
    const members = stack.tenant.organizations.memberIds(orgId).length;
    await page
      .locator('#members [role="status"]')
      .filter({ hasText: `${members} members` })
      .waitFor();
    // Name, email, member roles; ten to a page.
    const table = page.getByRole('table', { name: /Members, page 1 of 2/ });
    expect(await table.locator('th').allTextContents()).toEqual(['Name', 'Email', 'Member roles']);
    expect(await table.locator('tbody tr').count()).toBe(10);
    await page
      .locator('#invitations [role="status"]')
      .filter({ hasText: /invitation/ })
      .waitFor();
    await checkScreen(page, 'org-admin');
    await page.getByRole('navigation', { name: 'Member pages' }).getByRole('button', { name: 'Next' }).click();
    await page.getByRole('table', { name: /Members, page 2 of 2/ }).waitFor();
    expect(
      await page
        .getByRole('table', { name: /Members, page 2 of 2/ })
        .locator('tbody tr')
        .count(),
    ).toBe(members - 10);
    await page.getByRole('navigation', { name: 'Member pages' }).getByRole('button', { name: 'Previous' }).click();
    await page.getByRole('table', { name: /Members, page 1 of 2/ }).waitFor();
    const adminRow = page.getByRole('row').filter({ hasText: orgAdmin.email! });
    if ((await adminRow.count()) === 0)
      await page.getByRole('navigation', { name: 'Member pages' }).getByRole('button', { name: 'Next' }).click();
    expect(await adminRow.locator('td[data-label="Member roles"]').textContent()).toBe('Org Admin');

    // The roles offered are exactly the grant list: no free text, no other role of the policy.
    const invitee = 'new.hire@north-works.example';
    const offered = await page.locator('#invitations input[name="invitation-role"]').all();
    expect(await Promise.all(offered.map((box) => box.getAttribute('value')))).toEqual(['Org Billing', 'Org Member']);
    await page.getByLabel('Email', { exact: true }).fill(invitee);
    await page.getByLabel('Org Member').check();
    // A refusal from the tenant is shown next to the form, with usergate's request id; the form keeps what was typed.
    stack.tenant.faults.inject({
      method: 'POST',
      path: `/api/v2/organizations/${orgId}/invitations`,
      kind: 'status',
      status: 409,
      times: 1,
    });
    await page.getByRole('button', { name: 'Send invitation' }).click();
    const refusal = page.locator('#invitations .outcome').getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/^409 .*Request id: [\w-]+$/);
    expect(invitationsFor(invitee)).toEqual([]);
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await okIn(page, 'invitations', `${invitee} is invited`);
    const [created] = invitationsFor(invitee);
    expect(created).toBeDefined();
    expect(roleNames(created!.roles)).toEqual(['Org Member']);
    expect(created!.client_id).toBe(CONSOLE_CLIENT_ID);
    expect(created!.inviter.name).toBe(orgAdmin.name);
    // The link is on screen where the eye is, with its expiry and a copy button that copies it.
    const link = page.getByLabel(/Invitation link for/);
    expect(await link.inputValue()).toBe(created!.invitation_url);
    expect(await inViewport(page, '[data-testid="invitation"] textarea')).toBe(true);
    expect(await page.getByTestId('invitation').textContent()).toMatch(/Expires .*\(in 7 days\)/);
    await page.getByTestId('invitation').getByRole('button', { name: 'Copy link' }).click();
    await page.getByText('Link copied.').waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(created!.invitation_url);
    const row = page.getByRole('row').filter({ hasText: invitee });
    await row.waitFor();
    expect(await row.locator('td[data-label="Roles"]').textContent()).toBe('Org Member');
    expect(await row.locator('td[data-label="Invited by"]').textContent()).toBe(orgAdmin.name);
    await checkScreen(page, 'org-invitation-created');

    await row.getByRole('button', { name: `Revoke the invitation for ${invitee}` }).click();
    await screenshot(page, 'org-revoke-confirm-desktop', false);
    expect(await confirm(page, /^Revoke invitation$/)).toContain(invitee);
    await okIn(page, 'invitations', `Invitation for ${invitee} revoked.`);
    expect(invitationsFor(invitee)).toEqual([]);
    await row.waitFor({ state: 'detached' });
    // Its link no longer works, so it is no longer on screen.
    expect(await page.getByTestId('invitation').count()).toBe(0);

    // A reload keeps the session through the organization (the SDK's silent sign-in carries it).
    await page.reload();
    await page.getByRole('heading', { level: 1, name: `Organization ${ORG}` }).waitFor();
    await page.close();
  });

  it('an org admin grants and takes back a member role, then removes the member; never on itself or on a tenant admin', async () => {
    const target = plain[0]!;
    const page = await signInThrough(ORG, orgAdmin);
    await page.goto(`${stack.url}/console/#/org/members/${encodeURIComponent(target.user_id)}`);
    await page.getByRole('heading', { level: 1, name: target.name! }).waitFor();
    await page.getByRole('heading', { name: 'Member roles' }).waitFor();
    await page.locator('#member-roles').getByText('No role.').waitFor();
    expect(await page.getByLabel('Role to grant').locator('option').allTextContents()).toEqual(['Org Billing', 'Org Member']);
    await checkScreen(page, 'org-member-page');

    await page.getByLabel('Role to grant').selectOption('Org Billing');
    await page.getByRole('button', { name: 'Grant role' }).click();
    expect(await confirm(page, /^Confirm$/)).toContain(target.name!);
    await okIn(page, 'member-roles', 'Role Org Billing granted.');
    expect(stack.tenant.organizations.memberRoleNames(orgId, target.user_id)).toEqual(['Org Billing']);
    await page.getByRole('button', { name: 'Revoke Org Billing' }).click();
    await confirm(page, /^Confirm$/);
    await okIn(page, 'member-roles', 'Role Org Billing revoked.');
    expect(stack.tenant.organizations.memberRoleNames(orgId, target.user_id)).toEqual([]);

    await page.getByRole('button', { name: 'Remove from organization' }).click();
    expect(await confirm(page, /^Remove member$/)).toBe(`Remove ${target.name} (${target.email}) from ${ORG}?`);
    await page.getByRole('heading', { level: 1, name: 'Member removed' }).waitFor();
    expect(await page.locator('main .outcome .notice.ok').textContent()).toBe(`${target.name} (${target.email}) was removed from ${ORG}.`);
    expect(stack.tenant.organizations.isMember(orgId, target.user_id)).toBe(false);

    // On itself and on a member who holds a tenant role it cannot grant: nothing that would fail is offered.
    for (const [who, reason] of [
      [orgAdmin, 'not on your own account'],
      [tenantAdminMember, 'protected'],
    ] as const) {
      await page.goto(`${stack.url}/console/#/org/members/${encodeURIComponent(who.user_id)}`);
      await page.getByRole('heading', { level: 1, name: who.name! }).waitFor();
      await page.getByTestId('refused').waitFor();
      expect(await page.getByTestId('refused').textContent()).toContain(reason);
      expect(await page.getByRole('button', { name: 'Remove from organization' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Grant role' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /^Revoke/ }).count()).toBe(0);
    }
    await checkScreen(page, 'org-member-protected');
    await page.close();
  });

  it('a caller that grants member roles without reading them is offered granting only, and the grant reaches the tenant', async () => {
    const target = plain[1]!;
    const page = await signInThrough(ORG, orgHelper);
    await page.getByRole('link', { name: 'Organization', exact: true }).click();
    // Neither a member roles column nor an invitation form: its roles read no roles and do not invite.
    await page.getByRole('table', { name: /Members, page 1/ }).waitFor();
    expect(
      await page
        .getByRole('table', { name: /Members/ })
        .locator('th')
        .allTextContents(),
    ).toEqual(['Name', 'Email']);
    expect(await page.getByRole('heading', { name: 'Invitations' }).count()).toBe(0);
    await page.goto(`${stack.url}/console/#/org/members/${encodeURIComponent(target.user_id)}`);
    await page.getByRole('heading', { level: 1, name: target.name! }).waitFor();
    await page.getByText('Your roles do not read member roles').waitFor();
    expect(await page.getByLabel('Role to grant').locator('option').allTextContents()).toEqual(['Org Member']);
    expect(await page.getByRole('button', { name: /^Revoke/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Remove from organization' }).count()).toBe(0);
    await checkScreen(page, 'org-member-grant-only');
    await page.getByRole('button', { name: 'Grant role' }).click();
    await confirm(page, /^Confirm$/);
    await okIn(page, 'member-roles', 'Role Org Member granted.');
    expect(stack.tenant.organizations.memberRoleNames(orgId, target.user_id)).toEqual(['Org Member']);
    await page.close();
  });

  it('an org member, whose roles have no organization action, is offered none of it', async () => {
    const page = await signInThrough(ORG, orgMember);
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Areas' }).count()).toBe(0);
    await page.goto(`${stack.url}/console/#/org`);
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    for (const name of ['Send invitation', 'Remove from organization', 'Grant role'])
      expect(await page.getByRole('button', { name }).count()).toBe(0);
    await checkScreen(page, 'org-member-home');
    await page.close();
  });

  it('a sign-in through an organization the user is not a member of is refused by the tenant, and the console says so', async () => {
    const outsider = stack.tenant.store.all().find((u) => u.email && !stack.tenant.organizations.isMember(orgId, u.user_id) && !u.blocked)!;
    await context.clearCookies();
    const page = await context.newPage();
    await page.goto(`${stack.url}/console/?organization=${ORG}`);
    // Prefilled from the query, as an invitation link carries it.
    expect(await page.getByLabel(/^Organization/).inputValue()).toBe(ORG);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel(/by email/).fill(outsider.email!);
    await page.getByRole('button', { name: 'Sign in with this email' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /not part of|member/i })
      .waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.close();
  });
});
