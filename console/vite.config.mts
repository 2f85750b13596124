import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The console builds to dist/console, served by usergate at /console/ (see src/routes/console.ts). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: process.env.CONSOLE_OUT_DIR ?? fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    // No inline script or style, so the console's CSP can stay at 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
