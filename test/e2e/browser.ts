import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
