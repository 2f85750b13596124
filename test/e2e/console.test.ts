import { rmSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { CONSOLE_CLIENT_ID, consoleClient, DEMO_USERS, type StoredUser } from '../../dev-tenant';
import { startStack, type Stack } from '../helpers/stack';
import { buildConsole, launchBrowser, screenshot } from './browser';

/* Page-side checks are passed to the browser as expressions: this project's tsconfig has no DOM types. */

/**
 * The reference console in real headless Chromium, against usergate and the dev tenant over
 * loopback: each test signs in through the dev tenant's login page (Authorization Code + PKCE with
 * Auth0's SPA SDK) and checks what that user sees and what reaches the tenant.
 */
jest.setTimeout(90_000);

let stack: Stack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let context: BrowserContext;
let consoleDir: string;
const cspViolations: string[] = [];

const DESK_LABELS = [
  'Create password-change ticket',
  'Resend verification email',
  'Clear login blocks',
  'Reset MFA',
  'Sign out everywhere',
];

beforeAll(async () => {
  consoleDir = buildConsole();
  stack = await startStack({ env: { CONSOLE_CLIENT_ID }, consoleDir });
  stack.tenant.spaClients.register(consoleClient([stack.url]));
  browser = await launchBrowser();
  context = browser.context;
  context.setDefaultTimeout(10_000);
  // The console and the login page must work within their CSPs: any violation fails the test it happens in.
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
  const seen = cspViolations.splice(0);
  expect(seen).toEqual([]);
});

/** A seeded user of the org with no role (by default of the database connection, so its profile is editable). */
function plainUser(org: string, skip: string[] = [], database = true): StoredUser {
  const user = stack.tenant.store
    .all()
    .find(
      (u) =>
        u.app_metadata?.org === org &&
        !(u.app_metadata?.roles as unknown[] | undefined)?.length &&
        !u.blocked &&
        (!database || u.identities[0]?.connection === 'Username-Password-Authentication') &&
        !Object.values(DEMO_USERS).includes(u.user_id as never) &&
        !skip.includes(u.user_id),
    );
  if (!user) throw new Error(`the seed has no plain user in ${org}`);
  return user;
}

async function signIn(label: string, shot?: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${stack.url}/console/`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.toString().startsWith(`${stack.tenant.url}/authorize`));
  if (shot) await screenshot(page, shot);
  await page.getByRole('button', { name: new RegExp(label) }).click();
  await page.getByTestId('signed-in-as').waitFor();
  return page;
}

async function search(page: Page, field: string, value: string): Promise<void> {
  await page.getByLabel('Search in').selectOption(field);
  await page.getByLabel(/^Value/).fill(value);
  await page.getByRole('button', { name: 'Search' }).click();
}

async function openUser(page: Page, user: StoredUser): Promise<void> {
  await page.getByRole('link', { name: user.user_id }).click();
  await page.getByRole('heading', { level: 1, name: String(user.name) }).waitFor();
}

const searchOptions = (page: Page) => page.getByLabel('Search in').locator('option').allTextContents();

describe('the console, signed in through the dev tenant', () => {
  it('admin: searches, opens a user, edits a field and grants a role; the tenant has the changes', async () => {
    const target = plainUser('acme');
    const page = await signIn('Alice Admin', 'login-page');
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('Alice Admin');
    // Reads "*": every searchable field and a bare term are offered.
    expect(await searchOptions(page)).toEqual(expect.arrayContaining(['email', 'app_metadata.org', 'any field']));
    await search(page, 'email', target.email!);
    await expect(page.getByRole('status').filter({ hasText: '1 user matching' }).waitFor()).resolves.toBeUndefined();
    await screenshot(page, 'search-admin');
    await openUser(page, target);
    await screenshot(page, 'user-admin');

    await page.getByLabel('Nickname').fill('renamed-by-e2e');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    expect(stack.tenant.store.get(target.user_id)!.nickname).toBe('renamed-by-e2e');

    await page.getByLabel('Grant another role').fill('viewer');
    await page.getByRole('button', { name: 'Grant', exact: true }).click();
    await page.getByText('Role viewer granted.').waitFor();
    expect(stack.tenant.store.get(target.user_id)!.app_metadata!.roles).toEqual(['viewer']);
    await page.close();
  });

  it('support: only the grantable role is offered; granting it and blocking a user reach the tenant', async () => {
    const target = plainUser('acme', [plainUser('acme').user_id]);
    const page = await signIn('Sam Support');
    expect(await searchOptions(page)).not.toContain('any field');
    await search(page, 'email', target.email!);
    await openUser(page, target);
    const roleBoxes = page.getByRole('group', { name: 'Roles you may grant or revoke' }).getByRole('checkbox');
    expect(await roleBoxes.count()).toBe(1);
    await page.getByRole('checkbox', { name: 'viewer' }).check();
    await page.getByText('Role viewer granted.').waitFor();
    expect(stack.tenant.store.get(target.user_id)!.app_metadata!.roles).toEqual(['viewer']);

    await page.getByRole('button', { name: 'Block user' }).click();
    await screenshot(page, 'confirm-block');
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('User blocked.').waitFor();
    expect(stack.tenant.store.get(target.user_id)!.blocked).toBe(true);
    await page.getByRole('button', { name: 'Unblock user' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('User unblocked.').waitFor();
    expect(stack.tenant.store.get(target.user_id)!.blocked).toBe(false);
    await page.close();
  });

  it('viewer: controls its roles lack are absent: no edit, roles or desk; only readable fields to search and see', async () => {
    const target = plainUser('globex', [], false);
    const page = await signIn('Vera Viewer');
    expect((await searchOptions(page)).sort()).toEqual(['name', 'nickname', 'user_id']);
    await search(page, 'name', String(target.name));
    await page.getByRole('link', { name: target.user_id }).waitFor();
    expect(await page.locator('th').allTextContents()).toEqual(['Name', 'User id']);
    await screenshot(page, 'search-viewer');
    await openUser(page, target);
    for (const name of ['Edit', 'Roles', 'Support desk'])
      await expect(page.getByRole('heading', { name, exact: true }).count()).resolves.toBe(0);
    expect(await page.locator('dt').allTextContents()).not.toContain('email');
    await page.close();
  });

  it("a caller with no role gets no controls, and a call made anyway (a deep link) shows usergate's 403 and request id", async () => {
    const target = plainUser('acme');
    const page = await signIn('Nora Noroles');
    await page.getByText('Your roles allow no user management here.').waitFor();
    expect(await page.getByRole('search').count()).toBe(0);
    const before = stack.tenant.requestLog.length;
    // A link to a user page (same document: the token in memory stays).
    await page.goto(`${stack.url}/console/#/users/${encodeURIComponent(target.user_id)}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/403 no_role:.*Request id: [\w.:-]+/);
    await screenshot(page, 'forbidden-no-role');
    expect(
      stack.tenant.requestLog
        .slice(before)
        .filter((r) => r.path.includes(encodeURIComponent(target.user_id)) || r.path.endsWith(target.user_id)),
    ).toEqual([]);
    await page.close();
  });

  it("support opening a user of another org by link: usergate's 404 is shown, nothing is changed", async () => {
    const other = plainUser('globex', [], false);
    const page = await signIn('Sam Support');
    await page.goto(`${stack.url}/console/#/users/${encodeURIComponent(other.user_id)}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/404 user_not_found:.*Request id:/);
    expect(await page.getByRole('heading', { name: 'Edit' }).count()).toBe(0);
    await page.close();
  });

  it('when Auth0 rate-limits, the console says when to retry', async () => {
    stack.tenant.faults.inject({ method: 'GET', path: '/api/v2/users', kind: 'status', status: 429, retryAfter: 30, times: Infinity });
    const page = await signIn('Alice Admin');
    await search(page, 'email', 'someone@acme.example');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/429 rate_limited:.*Retry in 30 s.*Request id:/);
    await screenshot(page, 'rate-limited');
    await page.close();
  });

  it('a support-desk action is offered and runs after confirmation (the desk routes)', async () => {
    const target = plainUser('acme');
    const page = await signIn('Alice Admin');
    await page.goto(`${stack.url}/console/#/users/${encodeURIComponent(target.user_id)}`);
    await page.getByRole('heading', { name: 'Profile' }).waitFor();
    const offered: string[] = [];
    for (const label of DESK_LABELS) if (await page.getByRole('button', { name: label }).count()) offered.push(label);
    // Not skipped when absent: an admin offered no desk action is a failure to report.
    expect(offered.length).toBeGreaterThan(0);
    await page.getByRole('button', { name: offered[0] }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    // usergate's answer: a success notice, or its error (a 404 route_not_found without the desk routes) as the failure.
    const outcome = await Promise.race([
      page
        .locator('.notice.ok')
        .waitFor()
        .then(async () => `ok: ${await page.locator('.notice.ok').textContent()}`),
      page
        .getByRole('alert')
        .waitFor()
        .then(async () => `error: ${await page.getByRole('alert').textContent()}`),
    ]);
    expect(outcome).toMatch(/^ok: /);
    await page.close();
  });

  it('sign-out returns to the console signed out, and signing in again goes through the login page', async () => {
    const page = await signIn('Alice Admin');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(page.url()).toBe(`${stack.url}/console/`);
    await screenshot(page, 'signed-out');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.toString().startsWith(`${stack.tenant.url}/authorize`));
    await page.close();
  });

  it('works on a narrow window and from the keyboard, with a visible focus', async () => {
    const page = await signIn('Sam Support');
    // The first Tab of a fresh page lands on the skip link.
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe('Skip to content');
    await page.setViewportSize({ width: 390, height: 800 });
    await search(page, 'app_metadata.org', 'acme');
    await page.locator('td a').first().waitFor();
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await screenshot(page, 'search-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
    // Keyboard only: to the search field, type, submit with Enter.
    await page.getByLabel(/^Value/).focus();
    expect(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).not.toBe('none');
    await page.keyboard.type('acme');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'matching' }).waitFor();
    await page.close();
  });
});
