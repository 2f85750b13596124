import { rmSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { CONSOLE_CLIENT_ID, consoleClient, DEMO_USERS, type StoredUser } from '../../dev-tenant';
import { startStack, type Stack } from '../helpers/stack';
import { seedTarget } from '../helpers/targets';
import { buildConsole, checkScreen, DESKTOP, launchBrowser, screenshot } from './browser';

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

beforeAll(async () => {
  consoleDir = buildConsole();
  // An Enterprise tenant, as `npm start` runs it: sessions are listed and ended (a standard plan: below).
  stack = await startStack({ env: { CONSOLE_CLIENT_ID, AUTH0_PLAN: 'enterprise' }, consoleDir, tenant: { plan: 'enterprise' } });
  stack.tenant.spaClients.register(consoleClient([stack.url]));
  browser = await launchBrowser();
  context = browser.context;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.url });
  // Generous: on a loaded 2-core machine a sign-in through the dev tenant and a page render can take seconds.
  context.setDefaultTimeout(25_000);
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

/** Users a test has changed or used up; later tests pick others. */
const used = new Set<string>();

/**
 * A seeded user of the org with no role (by default of the database connection, so its profile is
 * editable), not changed by an earlier test; `also` narrows the choice further. `change: false` for a
 * test that only looks at the user (it may be chosen again).
 */
function plainUser(
  org: string,
  { database = true, also = () => true, change = true }: { database?: boolean; also?: (u: StoredUser) => boolean; change?: boolean } = {},
): StoredUser {
  const user = stack.tenant.store
    .all()
    .find(
      (u) =>
        u.app_metadata?.org === org &&
        !(u.app_metadata?.roles as unknown[] | undefined)?.length &&
        !u.blocked &&
        (!database || u.identities[0]?.connection === 'Username-Password-Authentication') &&
        !Object.values(DEMO_USERS).includes(u.user_id as never) &&
        !used.has(u.user_id) &&
        also(u),
    );
  if (!user) throw new Error(`the seed has no plain user left in ${org}`);
  if (change) used.add(user.user_id);
  return user;
}

/** A fresh agent: no cookie of the console or the tenant from an earlier test (its login session included). */
async function signIn(label: string, shot?: string, on: Stack = stack): Promise<Page> {
  await context.clearCookies();
  const page = await context.newPage();
  await page.goto(`${on.url}/console/`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.toString().startsWith(`${on.tenant.url}/authorize`));
  if (shot) await checkScreen(page, shot);
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

/** Straight to a user's page by its link. */
async function gotoUser(page: Page, user: StoredUser, on: Stack = stack): Promise<void> {
  await page.goto(`${on.url}/console/#/users/${encodeURIComponent(user.user_id)}`);
  await page.getByRole('heading', { level: 1, name: String(user.name) }).waitFor();
}

/** Confirms the open dialog with its confirm button (named by the action); returns the question it asked. */
async function confirm(page: Page, button = /^(Confirm|Create|Delete)/): Promise<string> {
  const dialog = page.getByRole('dialog');
  const question = (await dialog.locator('p').textContent()) ?? '';
  await dialog.getByRole('button', { name: button }).click();
  return question;
}

/** Whether the element lies wholly inside the window. */
async function inViewport(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).boundingBox();
  const size = page.viewportSize()!;
  // Scrolled to the top, an element may start a fraction of a pixel above it.
  return !!box && box.y > -1 && box.x >= 0 && box.y + box.height <= size.height && box.x + box.width <= size.width;
}

/** The user's refresh tokens in the dev tenant, as usergate lists them (device credentials of a refresh-token type). */
function refreshTokensOf(on: Stack, userId: string) {
  return (on.tenant.desk.deviceCredentials.get(userId) ?? []).filter(
    (c) => c.type === 'refresh_token' || c.type === 'rotating_refresh_token',
  );
}

/** The names of the edit form's fields, in order. */
async function fieldNames(page: Page): Promise<string[]> {
  return Promise.all((await page.locator('#edit input, #edit textarea').all()).map(async (f) => (await f.getAttribute('name')) ?? ''));
}

/** The action buttons the user page shows enabled, in page order (not the jump links, nor the paging of lists). */
async function enabledActions(page: Page): Promise<string[]> {
  const buttons = page.locator('main section:not(#logs) button:enabled:not(.paging)');
  const names: string[] = [];
  for (const button of await buttons.all()) if (await button.isVisible()) names.push(((await button.textContent()) ?? '').trim());
  return names;
}

/**
 * Presses each action the page shows enabled, as an agent would (confirming its dialog; a changed
 * field first for the edit form; delete last), and returns what each answered next to its button.
 */
async function walkActions(page: Page): Promise<{ action: string; outcome: string; ok: boolean }[]> {
  const names = await enabledActions(page);
  const order = [...names.filter((n) => n !== 'Delete user'), ...names.filter((n) => n === 'Delete user')];
  const results: { action: string; outcome: string; ok: boolean }[] = [];
  for (const name of order) {
    const button = page.locator('main section').getByRole('button', { name, exact: true });
    if ((await button.count()) === 0 || !(await button.isEnabled())) continue;
    const section = page.locator('main section').filter({ has: page.getByRole('button', { name, exact: true }) });
    const id = (await section.getAttribute('id')) ?? '';
    const outcome = page.locator(`#${id} .outcome`);
    const before = (await outcome.textContent()) ?? '';
    if (name === 'Save changes') await page.locator('#edit input[type="text"]').first().fill(`walked ${Date.now()}`);
    await button.click();
    // Every action but the edit form's submit asks first.
    if (name !== 'Save changes') await confirm(page);
    if (name === 'Delete user') {
      await page.getByRole('heading', { level: 1, name: 'User deleted' }).waitFor();
      const text = (await page.locator('main .outcome').textContent()) ?? '';
      results.push({ action: name, outcome: text, ok: (await page.locator('main .outcome .notice.ok').count()) === 1 });
      break;
    }
    // The outcome's notice (success or error) replaces the one before, if any.
    const notice = outcome.locator(':scope > .notice');
    await (before ? notice.filter({ hasNotText: before }) : notice).first().waitFor();
    results.push({
      action: name,
      outcome: ((await outcome.textContent()) ?? '').trim(),
      ok: (await outcome.locator('.notice.ok').count()) === 1 && (await outcome.getByRole('alert').count()) === 0,
    });
  }
  return results;
}

const searchOptions = (page: Page) => page.getByLabel('Search in').locator('option').allTextContents();

describe('the console, signed in through the dev tenant', () => {
  it('admin: searches, opens a user, edits a field, grants and revokes a role from the picker; the tenant has the changes', async () => {
    const target = plainUser('acme');
    const page = await signIn('Alice Admin', 'login-page');
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('Alice Admin');
    await checkScreen(page, 'home-admin');
    // Reads "*": every searchable field and a bare term are offered.
    expect(await searchOptions(page)).toEqual(expect.arrayContaining(['email', 'app_metadata.org', 'any field']));
    await search(page, 'email', target.email!);
    await expect(page.getByRole('status').filter({ hasText: '1 user matching' }).waitFor()).resolves.toBeUndefined();
    await checkScreen(page, 'search-admin');
    await openUser(page, target);
    await page.getByRole('table', { name: /Log events/ }).waitFor();
    await checkScreen(page, 'user-admin');

    await page.getByLabel('Nickname').fill('renamed-by-e2e');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    expect(await inViewport(page, '#edit .notice.ok')).toBe(true);
    expect(stack.tenant.store.get(target.user_id)!.nickname).toBe('renamed-by-e2e');

    // No free text: a picker of the roles usergate says the caller may grant this user (grant "*": every policy role).
    expect(await page.getByRole('textbox', { name: /role/i }).count()).toBe(0);
    const offered = await page.getByLabel('Role to grant').locator('option').allTextContents();
    expect(offered).toEqual(['admin', 'auditor', 'support', 'viewer']);
    await page.getByRole('button', { name: 'Grant role' }).click();
    expect(await confirm(page)).toBe(`Give ${String(target.name)} (${target.email}) the role admin?`);
    await page.getByText('Role admin granted.').waitFor();
    expect(stack.tenant.store.get(target.user_id)!.app_metadata!.roles).toEqual(['admin']);
    await page.getByRole('button', { name: 'Revoke admin' }).click();
    await confirm(page);
    await page.getByText('Role admin revoked.').waitFor();
    expect(stack.tenant.store.get(target.user_id)!.app_metadata!.roles).toEqual([]);
    await page.close();
  });

  it('support: the picker offers only viewer; granting it and blocking a user reach the tenant, each result next to its button', async () => {
    const target = plainUser('acme');
    const page = await signIn('Sam Support');
    expect(await searchOptions(page)).not.toContain('any field');
    await search(page, 'email', target.email!);
    await openUser(page, target);
    expect(await page.getByLabel('Role to grant').locator('option').allTextContents()).toEqual(['viewer']);
    await page.getByRole('button', { name: 'Grant role' }).click();
    await confirm(page);
    await page.getByText('Role viewer granted.').waitFor();
    expect(await inViewport(page, '#roles .notice.ok')).toBe(true);
    expect(stack.tenant.store.get(target.user_id)!.app_metadata!.roles).toEqual(['viewer']);

    await page.getByRole('button', { name: 'Block user' }).click();
    await checkScreen(page, 'confirm-block', { fullPage: false });
    expect(await confirm(page)).toContain(String(target.name));
    await page.getByText('User blocked.').waitFor();
    expect(await inViewport(page, '#account .notice.ok')).toBe(true);
    expect(stack.tenant.store.get(target.user_id)!.blocked).toBe(true);
    await page.getByRole('button', { name: 'Unblock user' }).click();
    await confirm(page);
    await page.getByText('User unblocked.').waitFor();
    expect(stack.tenant.store.get(target.user_id)!.blocked).toBe(false);
    await page.close();
  });

  it('a password-change link is shown in the viewport, with its expiry and a copy button, and is the link the tenant issued', async () => {
    const target = plainUser('acme');
    const page = await signIn('Sam Support');
    await gotoUser(page, target);
    await page.getByLabel('Valid for').selectOption({ label: '1 day' });
    // From the keyboard: the button, Enter, the dialog's Confirm.
    await page.getByRole('button', { name: 'Create password-change link' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).focus();
    await page.keyboard.press('Enter');
    const link = page.getByLabel('Link to send to the user');
    await link.waitFor();
    expect(await inViewport(page, '[data-testid="ticket"] textarea')).toBe(true);
    const url = await link.inputValue();
    const issued = [...stack.tenant.desk.tickets.values()].filter((t) => t.user_id === target.user_id);
    expect(issued.map((t) => t.url)).toEqual([url]);
    // Asked for one day: the tenant's ticket and the console's expiry agree.
    expect(Math.abs(Date.parse(issued[0]!.expires_at) - (Date.now() + 86_400_000))).toBeLessThan(60_000);
    expect(await page.getByTestId('ticket').textContent()).toMatch(/Expires .*\(in (1 day|24 hours)\)/);
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByText('Link copied.').waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(url);
    await checkScreen(page, 'ticket-support');
    // The log events are read again after the action: the tenant logged the request.
    await page.locator('#logs td[data-label="Event"]', { hasText: 'Success Change Password Request scpr' }).waitFor();
    await page.close();
  });

  it('look before you clear: blocks, MFA factors, refresh tokens and sessions are listed with counts, then cleared; sign-out says what it did', async () => {
    const target = plainUser('acme', {
      database: false,
      also: (u) =>
        (stack.tenant.desk.blocks.get(u.user_id)?.length ?? 0) > 0 &&
        (stack.tenant.desk.methods.get(u.user_id)?.length ?? 0) > 0 &&
        refreshTokensOf(stack, u.user_id).length > 1,
    });
    const blocks = stack.tenant.desk.blocks.get(target.user_id)!;
    const methods = stack.tenant.desk.methods.get(target.user_id)!;
    const tokens = refreshTokensOf(stack, target.user_id);
    const sessions = stack.tenant.desk.sessions.get(target.user_id) ?? [];
    const page = await signIn('Sam Support');
    await gotoUser(page, target);
    const blocksCount = page.getByTestId('blocks-count');
    await blocksCount.waitFor();
    expect(await blocksCount.textContent()).toBe(`${blocks.length} login block${blocks.length === 1 ? '' : 's'}`);
    const blockRows = await page.getByRole('table', { name: 'Login blocks' }).locator('tbody tr').allInnerTexts();
    // Support's log_fields have no ip: usergate leaves the blocked IP out.
    expect(blockRows.map((r) => r.replace(/\s+/g, ' ').trim())).toEqual(blocks.map((b) => `${b.identifier} ${b.connection}`));
    expect(await page.getByTestId('mfa-count').textContent()).toBe(`${methods.length} factor${methods.length === 1 ? '' : 's'} enrolled.`);
    const types = await page.getByRole('table', { name: 'MFA factors' }).locator('td[data-label="Type"]').allTextContents();
    expect(types).toEqual(methods.map((m) => m.type));

    // Refresh tokens (device, application, type) and the Enterprise tenant's sessions, before the button.
    await page.getByTestId('refresh-tokens-count').waitFor();
    expect(await page.getByTestId('refresh-tokens-count').textContent()).toBe(`${tokens.length} refresh tokens`);
    const tokenTable = page.getByRole('table', { name: 'Refresh tokens' });
    // Where a token was used is not for support (no ip or user_agent in its log_fields): no Device column.
    expect(await tokenTable.locator('th').allTextContents()).toEqual(['Application', 'Last used', 'Created', 'Type']);
    expect(await tokenTable.locator('td[data-label="Application"]').allTextContents()).toEqual(tokens.map((t) => t.client_id));
    expect(await tokenTable.locator('td[data-label="Type"]').allTextContents()).toEqual(
      tokens.map((t) => (t.type === 'rotating_refresh_token' ? 'rotating' : 'non-rotating')),
    );
    await page.getByTestId('sessions-count').waitFor();
    expect(await page.getByTestId('sessions-count').textContent()).toBe(`${sessions.length} session${sessions.length === 1 ? '' : 's'}`);
    expect(await page.getByRole('table', { name: 'Sessions' }).locator('tbody tr').count()).toBe(sessions.length);
    await checkScreen(page, 'look-before-clear');

    await page.getByRole('button', { name: 'Clear login blocks' }).click();
    expect(await confirm(page)).toContain(`${blocks.length} login block`);
    await page.getByText(/Login blocks cleared/).waitFor();
    expect(await inViewport(page, '#blocks .notice.ok')).toBe(true);
    await page.getByText('No login blocks.').waitFor();
    expect(stack.tenant.desk.blocks.get(target.user_id) ?? []).toEqual([]);

    await page.getByRole('button', { name: 'Reset MFA' }).click();
    await confirm(page);
    await page.getByText(/MFA reset:/).waitFor();
    await page.getByText('No MFA factor enrolled.').waitFor();
    expect(stack.tenant.desk.methods.get(target.user_id) ?? []).toEqual([]);

    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    expect(await confirm(page)).toContain(`Revoke the ${tokens.length} refresh tokens of ${String(target.name)}`);
    await page.getByText(`Signed out: ${tokens.length} refresh tokens revoked; sessions ended.`).waitFor();
    expect(await inViewport(page, '#sessions .notice.ok')).toBe(true);
    await page.getByText('No refresh token.').waitFor();
    await page.getByText('No session.').waitFor();
    expect(refreshTokensOf(stack, target.user_id)).toEqual([]);
    expect(stack.tenant.desk.sessions.get(target.user_id) ?? []).toEqual([]);
    await checkScreen(page, 'signed-out-everywhere');
    await page.close();
  });

  it('sessions beyond the first page: "Show more sessions" follows next until all are listed; devices for a role that reads them', async () => {
    // A user of its own: no seeded session or refresh token.
    const target = seedTarget(stack.tenant, { org: 'initech' });
    // More sessions than a page (the console asks 10 at a time), the last three with a refresh token.
    for (let n = 0; n < 23; n++)
      stack.tenant.desk.addSession(target, {
        ip: `203.0.113.${n + 1}`,
        agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
        refreshToken: n >= 20,
      });
    const all = stack.tenant.desk.sessions.get(target.user_id)!;
    const tokens = refreshTokensOf(stack, target.user_id);
    const page = await signIn('Alice Admin');
    await gotoUser(page, target);
    const counted = page.getByTestId('sessions-count');
    await counted.waitFor();
    const rows = page.getByRole('table', { name: 'Sessions' }).locator('tbody tr');
    expect(await counted.textContent()).toBe('First 10 sessions shown; there are more.');
    expect(await rows.count()).toBe(10);
    await page.getByRole('button', { name: 'Show more sessions' }).click();
    await page.getByText('First 20 sessions shown; there are more.').waitFor();
    await checkScreen(page, 'sessions-more');
    await page.getByRole('button', { name: 'Show more sessions' }).click();
    await page.getByText(`${all.length} sessions`, { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Show more sessions' }).count()).toBe(0);
    // The button went with the last page; the focus is not lost: on the count, and Tab goes on to sign-out.
    expect(await page.evaluate<string | undefined>('document.activeElement?.dataset.testid')).toBe('sessions-count');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe('Sign out everywhere');
    // Each session once, in the tenant's order: the last IP of each under its device.
    const devices = await page.getByRole('table', { name: 'Sessions' }).locator('td[data-label="Device"]').allTextContents();
    expect(devices).toEqual(all.map((s) => `Safari 17 on macOS${(s.device as { last_ip: string }).last_ip}`));
    // The admin reads ip and user_agent: the refresh tokens say where they were used, and when last.
    const tokenTable = page.getByRole('table', { name: 'Refresh tokens' });
    expect(await tokenTable.locator('th').allTextContents()).toEqual(['Device', 'Application', 'Last used', 'Created', 'Type']);
    expect(await tokenTable.locator('td[data-label="Device"]').allTextContents()).toEqual(
      tokens.map((t) => `Safari 17 on macOS${t.device!.last_ip}`),
    );
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    expect(await confirm(page)).toContain(
      `Revoke the ${tokens.length} refresh tokens of ${String(target.name)} (${target.email}) and end its ${all.length} sessions?`,
    );
    await page.getByText(`Signed out: ${tokens.length} refresh tokens revoked; sessions ended.`).waitFor();
    await page.getByText('No session.').waitFor();
    // Nothing left to sign out of: the button is gone, the result stays.
    expect(await page.getByRole('button', { name: 'Sign out everywhere' }).count()).toBe(0);
    await page.close();
  });

  it('log events are a table: named event types, the fields the role reads, paged; no raw JSON', async () => {
    const target = plainUser('acme', { change: false });
    const page = await signIn('Sam Support');
    await gotoUser(page, target);
    const table = page.getByRole('table', { name: /Log events/ });
    await table.waitFor();
    // Support's log_fields: no IP address, user agent or details.
    expect(await table.locator('th').allTextContents()).toEqual(['Date', 'Event', 'Description', 'Application', 'Connection']);
    expect(await table.locator('td[data-label="Connection"]').first().textContent()).toBe(target.identities[0]!.connection);
    const events = await table.locator('td[data-label="Event"]').allTextContents();
    expect(events).toEqual(expect.arrayContaining(['Success Login s', 'Failed Login (wrong password) fp']));
    expect(await table.textContent()).not.toMatch(/[{}]/);
    await page.close();

    // The admin reads more fields; an event type the console does not know is shown as its code.
    stack.tenant.desk.log(target, { type: 'zz_new_event', description: 'Something new' });
    for (let i = 0; i < 10; i++) stack.tenant.desk.log(target, { type: 'sapi', description: `API operation ${i}` });
    const admin = await signIn('Alice Admin');
    await gotoUser(admin, target);
    const adminTable = admin.getByRole('table', { name: /Log events/ });
    await adminTable.waitFor();
    expect(await adminTable.locator('th').allTextContents()).toEqual([
      'Date',
      'Event',
      'Description',
      'Application',
      'Connection',
      'IP address',
      'User agent',
      'Details',
    ]);
    const total = stack.tenant.desk.logs.get(target.user_id)!.length;
    expect(await admin.locator('#logs .summary').textContent()).toBe(`${total} events`);
    expect(await adminTable.locator('tbody tr').count()).toBe(10);
    await admin.getByRole('button', { name: 'Older' }).click();
    await admin.getByText(`Page 2 of ${Math.ceil(total / 10)}`, { exact: true }).waitFor();
    expect(await adminTable.locator('td[data-label="Event"]').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(Success Login s|zz_new_event zz_new_event|Failed Login \(wrong password\) fp)$/)]),
    );
    expect(await adminTable.textContent()).not.toMatch(/[{}]/);
    await admin.close();
  });

  it("support creates a user in its connection, after a confirmation naming it; the tenant has it in support's org", async () => {
    const page = await signIn('Sam Support');
    await page.getByRole('link', { name: 'New user' }).click();
    await page.getByRole('heading', { name: 'New user' }).waitFor();
    expect(await page.getByLabel('Connection').locator('option').allTextContents()).toEqual(['Username-Password-Authentication']);
    await page.getByLabel('Email', { exact: true }).fill('new.hire@acme.example');
    await page.getByLabel('Name', { exact: true }).fill('New Hire');
    await page.getByLabel('Initial password').fill('Correct-Horse-9-Battery');
    await page.getByRole('button', { name: 'Create user' }).click();
    expect(await confirm(page)).toBe('Create New Hire (new.hire@acme.example) in Username-Password-Authentication?');
    await page.getByText('User new.hire@acme.example created.').waitFor();
    await checkScreen(page, 'create-user-support');
    const created = stack.tenant.store.all().find((u) => u.email === 'new.hire@acme.example');
    expect(created?.app_metadata?.org).toBe('acme');
    used.add(created!.user_id);
    await page.getByRole('link', { name: 'Open New Hire' }).click();
    await page.getByRole('heading', { level: 1, name: 'New Hire' }).waitFor();
    // Support may not delete.
    expect(await page.getByRole('button', { name: 'Delete user' }).count()).toBe(0);
    await page.close();
  });

  it('admin deletes a user after a confirmation naming it; the user is gone from the tenant', async () => {
    const target = plainUser('globex');
    const page = await signIn('Alice Admin');
    await gotoUser(page, target);
    await page.getByRole('button', { name: 'Delete user' }).click();
    await checkScreen(page, 'confirm-delete', { fullPage: false });
    expect(await confirm(page, /^Delete /)).toBe(
      `Delete ${String(target.name)} (${target.email}) (${target.user_id})? This cannot be undone.`,
    );
    await page.getByText(`${String(target.name)} (${target.email}) was deleted.`).waitFor();
    expect(stack.tenant.store.get(target.user_id)).toBeUndefined();
    await checkScreen(page, 'user-deleted');

    // The admin's connections are "*": the create form asks for the connection by name.
    await page.goto(`${stack.url}/console/#/new-user`);
    await page.getByRole('textbox', { name: /^Connection/ }).waitFor();
    await checkScreen(page, 'create-user-admin');
    await page.close();
  });

  it('support opening an admin of its org: no action usergate would refuse is offered; the page says why, once', async () => {
    const page = await signIn('Sam Support');
    const admin = stack.tenant.store.get(DEMO_USERS.admin)!;
    await gotoUser(page, admin);
    const refused = page.getByTestId('refused');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(
      /protected: holds admin: Edit, block and roles, Password-change link, .*Sign out everywhere/,
    );
    for (const name of ['Edit', 'Roles', 'Account', 'Password-change link', 'Login blocks', 'MFA factors', 'Sessions and refresh tokens'])
      await expect(page.getByRole('heading', { name, exact: true }).count()).resolves.toBe(0);
    await checkScreen(page, 'user-protected-support');
    // Whatever is still offered works (nothing answers target_protected).
    const walked = await walkActions(page);
    expect(walked.filter((w) => !w.ok)).toEqual([]);
    await page.close();
  });

  it('admin on its own account: no self-refused action is offered (no delete, no desk it may not use); what is offered works', async () => {
    const self = stack.tenant.store.get(DEMO_USERS.admin)!;
    // Something to sign out of (with nothing listed the button is not offered).
    stack.tenant.desk.addSession(self, { refreshToken: true });
    const page = await signIn('Alice Admin');
    await gotoUser(page, self);
    const refused = page.getByTestId('refused');
    await refused.waitFor();
    // Its own profile is changed through /me; the policy's `self` block lets it sign itself out.
    expect(await refused.textContent()).toMatch(/not on your own account: Edit, block and roles, .*Delete user/);
    for (const name of ['Edit', 'Roles', 'Account', 'Password-change link', 'Login blocks', 'MFA factors', 'Delete user'])
      await expect(page.getByRole('heading', { name, exact: true }).count()).resolves.toBe(0);
    await checkScreen(page, 'user-self-admin');
    const walked = await walkActions(page);
    expect(walked.map((w) => w.action)).toEqual(['Sign out everywhere']);
    expect(walked.filter((w) => !w.ok)).toEqual([]);
    await page.close();
  });

  it("a social user's email and a password link are not offered (usergate and Auth0 would refuse them); the page says why", async () => {
    const target = plainUser('acme', { database: false, also: (u) => u.identities[0]?.connection === 'google-oauth2', change: false });
    const page = await signIn('Sam Support');
    await gotoUser(page, target);
    await page.getByRole('heading', { name: 'Edit', exact: true }).waitFor();
    const fields = await fieldNames(page);
    expect(fields).not.toContain('email');
    expect(fields).toEqual(expect.arrayContaining(['nickname', 'email_verified', 'user_metadata']));
    expect(await page.getByRole('heading', { name: 'Password-change link', exact: true }).count()).toBe(0);
    expect(await page.getByTestId('refused').textContent()).toMatch(/no password at Auth0: .*: Password-change link.*google-oauth2/);
    await checkScreen(page, 'user-social-support');
    await page.close();
  });

  // usergate's `writable` leaves out only what it refuses itself (email, password, username); Auth0 also
  // refuses name, nickname, given_name, family_name and picture of a social user while its connection
  // syncs the profile at each login (as google-oauth2 does on the dev tenant). Fails until usergate knows that.
  it("a social user's profile names say that Auth0 refuses them while the connection syncs profiles", async () => {
    const target = plainUser('acme', { database: false, also: (u) => u.identities[0]?.connection === 'google-oauth2', change: false });
    const page = await signIn('Sam Support');
    await gotoUser(page, target);
    await page.getByRole('heading', { name: 'Edit', exact: true }).waitFor();
    try {
      // usergate lists name for a social user (its fate is the connection's sync setting, which it cannot read).
      expect(await page.locator('#edit input[name="name"]').count()).toBe(1);
      await expect(page.locator('#synced-name').textContent()).resolves.toContain('google-oauth2 connection updates profiles');
    } finally {
      await page.close();
    }
  });

  it.each([
    ['Sam Support', 'support'],
    ['Alice Admin', 'admin'],
  ])('%s on a plain user: every action the page shows enabled succeeds when pressed', async (label, role) => {
    // The admin is not scoped to its org: a user of a third org keeps acme's few database users for the other tests.
    const target = plainUser(role === 'admin' ? 'initech' : 'acme', {
      also: (u) => refreshTokensOf(stack, u.user_id).length > 0,
    });
    const blocked = (stack.tenant.desk.blocks.get(target.user_id)?.length ?? 0) > 0;
    const enrolled = (stack.tenant.desk.methods.get(target.user_id)?.length ?? 0) > 0;
    const page = await signIn(label);
    await gotoUser(page, target);
    await page.getByTestId('refresh-tokens-count').waitFor();
    await page.getByTestId('mfa-count').waitFor();
    await page.getByTestId('blocks-count').waitFor();
    expect(await page.getByTestId('refused').count()).toBe(0);
    const walked = await walkActions(page);
    const expected = [
      'Block user',
      'Resend verification email',
      'Create password-change link',
      'Save changes',
      'Grant role',
      ...(blocked ? ['Clear login blocks'] : []),
      ...(enrolled ? ['Reset MFA'] : []),
      'Sign out everywhere',
      ...(role === 'admin' ? ['Delete user'] : []),
    ];
    expect(walked.map((w) => w.action)).toEqual(expected);
    expect(walked.filter((w) => !w.ok)).toEqual([]);
    if (role === 'admin') expect(stack.tenant.store.get(target.user_id)).toBeUndefined();
    else expect(stack.tenant.store.get(target.user_id)).toMatchObject({ blocked: true, app_metadata: { roles: ['viewer'] } });
    await page.close();
  });

  it('viewer: controls its roles lack are absent: no edit, roles, desk, create or delete; only readable fields to search and see', async () => {
    const target = plainUser('globex', { database: false, change: false });
    const page = await signIn('Vera Viewer');
    expect((await searchOptions(page)).sort()).toEqual(['name', 'nickname', 'user_id']);
    expect(await page.getByRole('link', { name: 'New user' }).count()).toBe(0);
    await search(page, 'name', String(target.name));
    await page.getByRole('link', { name: target.user_id }).waitFor();
    expect(await page.locator('th').allTextContents()).toEqual(['Name', 'User id']);
    await checkScreen(page, 'search-viewer');
    await openUser(page, target);
    for (const name of ['Edit', 'Roles', 'Account', 'Password-change link', 'Login blocks', 'MFA factors', 'Log events', 'Delete user'])
      await expect(page.getByRole('heading', { name, exact: true }).count()).resolves.toBe(0);
    expect(await page.locator('dt').allTextContents()).not.toContain('email');
    await checkScreen(page, 'user-viewer');
    await page.goto(`${stack.url}/console/#/new-user`);
    await page.getByText('Your roles do not allow creating users.').waitFor();
    await page.close();
  });

  it("a caller with no role gets no controls, and a call made anyway (a deep link) shows usergate's 403 and request id", async () => {
    const target = plainUser('acme', { change: false });
    const page = await signIn('Nora Noroles');
    await page.getByText('Your roles allow no user management here.').waitFor();
    expect(await page.getByRole('search').count()).toBe(0);
    const before = stack.tenant.requestLog.length;
    // A link to a user page (same document: the token in memory stays).
    await page.goto(`${stack.url}/console/#/users/${encodeURIComponent(target.user_id)}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/403 no_role:.*Request id: [\w.:-]+/);
    await checkScreen(page, 'forbidden-no-role');
    expect(
      stack.tenant.requestLog
        .slice(before)
        .filter((r) => r.path.includes(encodeURIComponent(target.user_id)) || r.path.endsWith(target.user_id)),
    ).toEqual([]);
    await page.close();
  });

  it("support opening a user of another org by link: usergate's 404 is shown, nothing is changed", async () => {
    const other = plainUser('globex', { database: false, change: false });
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
    await checkScreen(page, 'rate-limited');
    await page.close();
  });

  it('a reload keeps the session (silent sign-in from the tenant session) and the page; sign-out ends it', async () => {
    const target = plainUser('acme', { change: false });
    const page = await signIn('Sam Support');
    await gotoUser(page, target);
    await page.reload();
    await page.getByTestId('signed-in-as').waitFor();
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('Sam Support');
    await page.getByRole('heading', { level: 1, name: String(target.name) }).waitFor();
    expect(page.url()).toBe(`${stack.url}/console/#/users/${encodeURIComponent(target.user_id)}`);
    // The token the silent sign-in brought works: usergate answers the page's calls.
    await page.getByTestId('blocks-count').waitFor();
    // Tokens stay in memory: none in the browser's storage (JWTs start with eyJ).
    expect(await page.evaluate<string>('JSON.stringify(localStorage) + JSON.stringify(sessionStorage)')).not.toMatch(/eyJ/);

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(page.url()).toBe(`${stack.url}/console/`);
    await checkScreen(page, 'signed-out');
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Signing in again goes through the login page.
    await page.waitForURL((u) => u.toString().startsWith(`${stack.tenant.url}/authorize`));
    await page.getByRole('button', { name: /Sam Support/ }).waitFor();
    await page.close();
  });

  it('works on a phone and from the keyboard, with a visible focus', async () => {
    const page = await signIn('Sam Support');
    // The first Tab of a fresh page lands on the skip link.
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe('Skip to content');
    await page.setViewportSize({ width: 390, height: 844 });
    await search(page, 'app_metadata.org', 'acme');
    await page.locator('td a').first().waitFor();
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await screenshot(page, 'search-narrow');
    // On a phone the desk is screens below the top: "On this page" takes the keyboard there.
    // A user support may act on (the first of the list may be protected): by its link.
    const target = plainUser('acme', { change: false });
    await page.evaluate(`location.hash = ${JSON.stringify(`#/users/${encodeURIComponent(target.user_id)}`)}`);
    await page.getByRole('navigation', { name: 'On this page' }).getByRole('button', { name: 'Login blocks' }).focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe('Login blocks');
    expect(await inViewport(page, '#blocks-title')).toBe(true);
    await page.goBack();
    await page.locator('td a').first().waitFor();
    await page.setViewportSize(DESKTOP);
    // Keyboard only: to the search field, type, submit with Enter.
    await page.getByLabel(/^Value/).focus();
    expect(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).not.toBe('none');
    await page.keyboard.type('acme');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'matching' }).waitFor();
    await page.close();
  });
});

describe('the console on a tenant without Enterprise sessions (AUTH0_PLAN=standard)', () => {
  let standard: Stack;
  beforeAll(async () => {
    standard = await startStack({ env: { CONSOLE_CLIENT_ID, AUTH0_PLAN: 'standard' }, consoleDir, tenant: { plan: 'standard' } });
    standard.tenant.spaClients.register(consoleClient([standard.url]));
  });
  afterAll(async () => {
    await standard?.stop();
  });

  it('lists the refresh tokens but no sessions; sign-out reports the tokens revoked and that sessions were not ended', async () => {
    const target = standard.tenant.store
      .all()
      .find(
        (u) =>
          u.app_metadata?.org === 'acme' &&
          !(u.app_metadata?.roles as unknown[] | undefined)?.length &&
          !Object.values(DEMO_USERS).includes(u.user_id as never) &&
          refreshTokensOf(standard, u.user_id).length > 0 &&
          (standard.tenant.desk.sessions.get(u.user_id)?.length ?? 0) > 0,
      )!;
    const tokens = refreshTokensOf(standard, target.user_id);
    const page = await signIn('Sam Support', undefined, standard);
    await gotoUser(page, target, standard);
    await page.getByTestId('refresh-tokens-count').waitFor();
    expect(await page.getByTestId('refresh-tokens-count').textContent()).toBe(
      `${tokens.length} refresh token${tokens.length === 1 ? '' : 's'}`,
    );
    // Device credentials name the device.
    const tokenTable = page.getByRole('table', { name: 'Refresh tokens' });
    expect(await tokenTable.locator('td[data-label="Device"]').allTextContents()).toEqual(tokens.map((t) => t.device_name));
    expect(await tokenTable.locator('td[data-label="Application"]').allTextContents()).toEqual(tokens.map((t) => t.client_id));
    await page.getByTestId('sessions-not-on-plan').waitFor();
    expect(await page.getByRole('table', { name: 'Sessions' }).count()).toBe(0);
    expect(await page.locator('#sessions [role="alert"]').count()).toBe(0);
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    expect(await confirm(page)).not.toContain('end its sessions');
    await page
      .getByText(
        `Signed out: ${tokens.length} refresh token${tokens.length === 1 ? '' : 's'} revoked; sessions not ended: the Auth0 plan does not allow it (they run until they expire).`,
      )
      .waitFor();
    await page.getByText('No refresh token.').waitFor();
    expect(refreshTokensOf(standard, target.user_id)).toEqual([]);
    await checkScreen(page, 'signed-out-standard-plan');
    await page.close();
  });
});
