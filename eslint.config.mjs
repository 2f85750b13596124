import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layer order (docs/architecture.md): each folder may import only the layers below it. An import
 * that breaks the order fails lint here instead of waiting for a reviewer to notice.
 */
const devTenant = {
  group: ['**/dev-tenant', '**/dev-tenant/**', '**/dev/**'],
  message: 'The dev tenant is a test double: product code never imports it.',
};
const express = { group: ['express', 'cors', 'helmet', 'pino-http'], message: 'This layer knows nothing of Express.' };
const layer = (folder, why) => ({ group: [`**/${folder}`, `**/${folder}/**`], message: why });
const routes = layer('routes', 'Routes sit on top: only app.ts composes them.');
const app = {
  group: ['**/app', '**/server', '**/dependencies', '**/composition/**'],
  message: 'Composition is the top of the graph: nothing below imports it.',
};

const restrict = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });

export default tseslint.config(
  { ignores: ['dist/**', 'dist-dev/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.mts', 'client/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      'no-eval': 'error',
      'no-new-func': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Layers of src/, bottom to top: errors.ts, lib -> config, policy -> cluster -> management, metrics -> auth, audit -> operations -> http, routes -> app, dependencies, server.
  restrict(['src/**/*.ts'], [devTenant]),
  restrict(
    ['src/errors.ts'],
    [devTenant, express, { group: ['./*', '../*'], message: 'The error catalogue is the shared kernel: it imports nothing of usergate.' }],
  ),
  restrict(
    ['src/lib/**/*.ts'],
    [devTenant, express, { group: ['../*'], message: 'src/lib holds generic helpers: they import nothing of usergate.' }],
  ),
  restrict(
    ['src/policy/**/*.ts'],
    [
      devTenant,
      express,
      routes,
      app,
      layer('management', 'Policy is pure: it decides, it does not call Auth0.'),
      layer('operations', 'Policy sits below operations.'),
      layer('auth', 'Policy sits below auth.'),
      layer('http', 'Policy knows nothing of HTTP.'),
      layer('audit', 'Policy sits below audit.'),
      layer('cluster', 'Policy is pure: it holds no shared state.'),
      layer('metrics', 'Policy is pure: it counts nothing.'),
    ],
  ),
  // Shared state (Redis or in-process): above config and policy types, below everything that talks to Auth0.
  restrict(
    ['src/cluster/**/*.ts'],
    [
      devTenant,
      routes,
      app,
      layer('management', 'Shared state sits below the Management API client, which uses it.'),
      layer('auth', 'Shared state sits below auth, which uses it.'),
      layer('operations', 'Shared state sits below operations.'),
      layer('http', "Shared state knows nothing of usergate's HTTP layer."),
      layer('audit', 'Shared state sits below audit.'),
      layer('metrics', 'Shared state reports nothing to metrics directly.'),
    ],
  ),
  // The directory port: where users' roles and org live, and the generations of caller entries. Pure data
  // access and shared counters: it decides nothing and talks to Auth0 only through the layers above it.
  restrict(
    ['src/directory/**/*.ts'],
    [
      devTenant,
      express,
      routes,
      app,
      layer('operations', 'The directory sits below operations.'),
      layer('http', "The directory knows nothing of usergate's HTTP layer."),
      layer('audit', 'The directory sits below audit.'),
      layer('metrics', 'The directory reports nothing to metrics directly.'),
      layer('policy', 'Policy reads users through the directory port, not the other way round.'),
    ],
  ),
  // Prometheus metrics: observe the layers below through their observer types; nothing below imports them.
  restrict(
    ['src/metrics/**/*.ts'],
    [
      devTenant,
      routes,
      app,
      layer('operations', 'Metrics observe; they know no use case.'),
      layer('auth', 'Metrics sit beside the request path, not in it.'),
      layer('http', "Metrics know nothing of usergate's HTTP layer."),
      layer('cluster', 'Metrics read no shared state.'),
      layer('audit', 'Metrics count audit events through app.ts, not by importing the audit log.'),
    ],
  ),
  restrict(
    ['src/readiness.ts'],
    [devTenant, express, routes, app, { group: ['./*', '!./lib', '!./lib/*'], message: 'Readiness composes checks from src/lib only.' }],
  ),
  restrict(
    ['src/config/**/*.ts'],
    [
      devTenant,
      express,
      routes,
      app,
      layer('management', 'Config is loaded before anything talks to Auth0.'),
      layer('operations', 'Config sits below operations.'),
      layer('auth', 'Config sits below auth.'),
      layer('cluster', 'Config is read before any shared state exists; what both need lives in src/lib.'),
      layer('metrics', 'Config sits below metrics.'),
    ],
  ),
  restrict(
    ['src/management/**/*.ts'],
    [
      devTenant,
      express,
      routes,
      app,
      layer('operations', 'The Management API client sits below operations.'),
      layer('auth', 'The Management API client sits below auth.'),
      layer('http', "The Management API client knows nothing of usergate's HTTP layer."),
      layer('metrics', 'The Management API client reports through its observer type, never by importing metrics.'),
    ],
  ),
  restrict(
    ['src/auth/**/*.ts'],
    [devTenant, routes, app, layer('operations', 'Token verification and caller resolution sit below operations.')],
  ),
  restrict(['src/audit/**/*.ts'], [devTenant, express, routes, app, layer('operations', 'The audit log sits below operations.')]),
  restrict(
    ['src/operations/**/*.ts'],
    [
      devTenant,
      express,
      routes,
      app,
      layer('http', 'Operations are framework-free use cases.'),
      layer('cluster', 'Operations reach shared state through management and auth.'),
    ],
  ),
  restrict(
    ['src/http/**/*.ts'],
    [
      devTenant,
      routes,
      app,
      layer('operations', 'HTTP plumbing knows no use case.'),
      layer('cluster', 'HTTP plumbing holds no shared state.'),
    ],
  ),
  restrict(['src/routes/**/*.ts'], [devTenant, app]),
  // The policy CLI reads files and runs the product's decisions in-process: no HTTP, no server, no network.
  restrict(
    ['src/cli/**/*.ts', 'src/cli.ts'],
    [devTenant, express, routes, app, layer('http', 'The policy CLI serves nothing.'), layer('auth', 'The policy CLI verifies no token.')],
  ),
  // The dev tenant is an independent oracle of Auth0's behaviour: it never imports usergate.
  restrict(
    ['dev-tenant/**/*.ts'],
    [{ group: ['**/src', '**/src/**'], message: 'The dev tenant is an independent oracle: it must not import usergate code.' }],
  ),
  {
    // The dev tenant is a test double edited by several branches at once; these three type-aware rules
    // flag its loose handling of untyped request data, which ajv has validated against Auth0's schema.
    files: ['dev-tenant/**/*.ts'],
    rules: {
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    // The console renders user data Auth0 returned (strings, numbers, booleans) and passes async event
    // handlers to Preact, which ignores their promise; each handler catches its own errors.
    files: ['console/**/*.tsx', 'console/**/*.ts'],
    rules: {
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Tests assert on parsed JSON and mocks of untyped answers; the unsafe-any rules cost more than they catch there.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
