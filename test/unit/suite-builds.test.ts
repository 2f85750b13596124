import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The suites run side by side in jest workers; several spawn the built `dist/server.js` and
 * `dist-dev/`. jest's global setup (test/global-setup.js) builds both once before any suite starts. A
 * suite compiling into them itself lets another suite's process load a half-written module (CI failed
 * that way twice), so no test file may run the TypeScript compiler on those projects.
 */
describe('the test suites', () => {
  it('never compile dist/ or dist-dev/ themselves (jest global setup does, once)', () => {
    const files = readdirSync('test', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(50);
    const compiling = files.filter((f) => /tsconfig\.(build|dev)\.json/.test(readFileSync(join('test', f), 'utf8')));
    expect(compiling).toEqual([]);
  });
});
