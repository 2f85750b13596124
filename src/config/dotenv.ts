import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from './env';

/** The environment a process starts with, and which names came from `.env`. */
export interface StartEnvironment {
  env: Record<string, string | undefined>;
  /** Names taken from the file (the environment did not set them); empty without a file. */
  fromFile: string[];
}

/**
 * The settings of `.env` in `dir` (the working directory) under the process environment, which wins.
 * Parsed by Node's own `util.parseEnv` (the format of `node --env-file`). Only the process entry points
 * (dist/server.js, dev/start.ts) call this, so code that calls `start` directly, as the tests do, never
 * reads a developer's `.env`; the tests that spawn a process give it a working directory of its own.
 */
export function withDotenv(env: Record<string, string | undefined>, dir = process.cwd()): StartEnvironment {
  const file = join(dir, '.env');
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { env, fromFile: [] };
    throw new ConfigError(`Invalid configuration: .env cannot be read (${code ?? 'error'}: ${file})`);
  }
  const settings = parseEnv(content);
  const fromFile = Object.keys(settings)
    .filter((name) => env[name] === undefined)
    .sort();
  return { env: { ...settings, ...env }, fromFile };
}
