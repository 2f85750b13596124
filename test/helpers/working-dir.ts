import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * A fresh, empty working directory for a spawned usergate: the process reads `.env` from its working
 * directory, and a test must never pick up a developer's `.env` from the checkout. Paths the process
 * needs from the checkout are given absolute (`fromCheckout`).
 */
export function workingDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'usergate-cwd-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A path of the checkout (the tests run from its root), absolute. */
export const fromCheckout = (path: string): string => resolve(path);
