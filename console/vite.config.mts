import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The console builds to dist/console, served by usergate at /console/ (see src/routes/console.ts). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  // The console uses the typed client from its source (client/src/index.ts), so `npm ci && npm start`
  // builds it without building client/ first; openapi-fetch resolves from client/node_modules or the
  // root's. Its generated client/src/schema.ts (git-ignored) holds types only, and type imports are
  // erased here, so this build never needs it; `npm run typecheck` and `npm run lint` generate it.
  resolve: { alias: { '@usergate/client': fileURLToPath(new URL('../client/src/index.ts', import.meta.url)) } },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: process.env.CONSOLE_OUT_DIR ?? fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    // No inline script or style, so the console's CSP can stay at 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
