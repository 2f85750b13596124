import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; .ci/run installs it. Browsers cannot be downloaded here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the end-to-end suites write screenshots of the main screens (gitignored). */
export const SCREENSHOT_DIR = resolve('test-output/console-screenshots');

/** Builds the console from its current sources into a fresh folder, so the suite never tests a stale build. */
export function buildConsole(): string {
  const out = mkdtempSync(join(tmpdir(), 'usergate-console-'));
  execFileSync(resolve('node_modules/.bin/vite'), ['build', '--config', 'console/vite.config.mts', '--logLevel', 'error'], {
    env: { ...process.env, CONSOLE_OUT_DIR: out },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return out;
}

/** Headless Chromium with a fresh profile, nothing phoning home. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'usergate-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The whole page, or with `fullPage: false` the window only (a modal dialog is drawn over the window, not the page). */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage });
}

/** axe-core's script (the pinned devDependency), evaluated in pages over the DevTools protocol, which no CSP stops. */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now, one line each (rule: elements). */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate<boolean>('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate<string[]>(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.impact + ' ' + v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** How far the page is wider than the window, in px (0: no horizontal scroll). */
export function overflowX(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

/**
 * One screen, checked as an agent meets it on a desk and on a phone: axe-core finds no serious or
 * critical violation at either size, the phone layout has no horizontal scroll, and screenshots of
 * both go to SCREENSHOT_DIR (`<name>-desktop.png`, `<name>-phone.png`). Leaves the page at 1280x800.
 */
export async function checkScreen(page: Page, name: string, { fullPage = true } = {}): Promise<void> {
  await page.setViewportSize(DESKTOP);
  expect({ screen: name, size: 'desktop', violations: await axeViolations(page) }).toEqual({
    screen: name,
    size: 'desktop',
    violations: [],
  });
  await screenshot(page, `${name}-desktop`, fullPage);
  await page.setViewportSize(PHONE);
  expect({ screen: name, size: 'phone', overflowX: await overflowX(page) }).toEqual({ screen: name, size: 'phone', overflowX: 0 });
  expect({ screen: name, size: 'phone', violations: await axeViolations(page) }).toEqual({ screen: name, size: 'phone', violations: [] });
  await screenshot(page, `${name}-phone`, fullPage);
  await page.setViewportSize(DESKTOP);
}
