const { execFileSync } = require('node:child_process');

/**
 * Builds what the suites spawn as real processes, once, before any suite starts: `dist/` (the production
 * server and policy CLI, as the image runs them) and `dist-dev/` (what `npm start` runs). Suites never
 * build themselves: a suite compiling into `dist/` while another spawns `dist/server.js` lets the process
 * load a half-written module.
 */
module.exports = function globalSetup() {
  const tsc = require.resolve('typescript/bin/tsc');
  // Incremental, with the build info inside the output folder: unchanged sources cost a second or two,
  // and a cleared folder (npm run build:server, build:dev) is built whole again.
  for (const [project, out] of [
    ['tsconfig.build.json', 'dist'],
    ['tsconfig.dev.json', 'dist-dev'],
  ]) {
    execFileSync(process.execPath, [tsc, '-p', project, '--incremental', '--tsBuildInfoFile', `${out}/.tsbuildinfo`], { stdio: 'inherit' });
  }
};
