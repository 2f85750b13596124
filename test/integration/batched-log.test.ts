import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLog } from '../../src/audit/audit-log';
import { batchedDestination, createLogger } from '../../src/http/logger';

/*
 * The production log destination (batched, asynchronous writes) against a real file: request lines
 * wait for a batch, warnings and audit lines are written at once, even while a write is under way.
 */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'usergate-log-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function linesWithin(file: string, count: number, ms: number): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    // Only whole lines: the file may be read in the middle of a write.
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .slice(0, -1)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    if (lines.length >= count || Date.now() > deadline) return lines;
    await new Promise((resolve) => setTimeout(resolve, 10)); // another thread writes the file: nothing to inject
  }
}

const caller = { sub: 'auth0|someone', roles: ['support'] };
const entry = (action: string) => ({ caller, action, outcome: 'allowed' as const, requestId: 'r-1', traceId: 'a'.repeat(32) });

describe('batched log destination', () => {
  it('audit lines and warnings are written at once, also when they arrive while a write is under way', async () => {
    const file = join(dir, 'at-once.log');
    const fd = openSync(file, 'w');
    const destination = batchedDestination(fd);
    const logger = createLogger('info', destination);
    const audit = createAuditLog(logger);
    audit(entry('update')); // starts a write
    audit(entry('delete')); // arrives while it is under way
    for (let i = 0; i < 12; i += 1) logger.warn({ i }, 'refused');
    // Well under the 1 s periodic flush: only the flush at once can have written them.
    const lines = await linesWithin(file, 14, 400);
    expect(lines.map((l) => l.msg)).toEqual(['audit update allowed', 'audit delete allowed', ...Array<string>(12).fill('refused')]);
    expect(lines[1]).toMatchObject({ audit: true, requestId: 'r-1', traceId: 'a'.repeat(32) });
    destination.end();
  });

  it('info lines wait for a batch, and the periodic flush writes them when traffic stops', async () => {
    const file = join(dir, 'batched.log');
    const fd = openSync(file, 'w');
    const destination = batchedDestination(fd);
    const logger = createLogger('info', destination);
    logger.info('request completed');
    expect(readFileSync(file, 'utf8')).toBe(''); // not written with the call, as a synchronous logger would
    const lines = await linesWithin(file, 1, 3000);
    expect(lines.map((l) => l.msg)).toEqual(['request completed']);
    destination.end();
  });
});
