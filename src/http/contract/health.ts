import { errorBody, errorResponses, json } from './errors';
import type { RouteContract } from './route';
import { z } from './zod';

const CheckEntry = z
  .object({
    state: z.enum(['ok', 'failing', 'warning']),
    detail: z.string().optional().openapi({ description: 'Why, when not ok (never a secret).' }),
  })
  .strict();

export const PolicyCheck = z
  .object({
    state: z
      .enum(['ok', 'warning'])
      .openapi({ description: '`warning` while a reload (SIGHUP) of a broken file is refused and the last good policy serves.' }),
    detail: z.string(),
    version: z.string().openapi({ description: "The served policy's version: a short hash of the policy file's bytes." }),
    loaded_at: z.string().openapi({ description: 'When the served policy was loaded (ISO 8601).' }),
    error: z.string().optional().openapi({ description: "The refused file's problems, each with its place and value." }),
  })
  .strict()
  .openapi('PolicyCheck', { description: 'The policy this replica serves.' });

export const ReadinessChecks = z.object({ policy: PolicyCheck.optional() }).catchall(CheckEntry).openapi('ReadinessChecks', {
  description: 'One entry per dependency (`jwks`, `machineToken`, `policy`, and whatever a deployment adds), with its state.',
});

/** The probes: mounted by the route table (src/routes/route-table.ts), before the token check. */
export const healthRoutes = {
  live: {
    method: 'get',
    path: '/healthz',
    operationId: 'liveness',
    tag: 'health',
    authenticated: false,
    summary: 'Liveness: the process answers',
    responses: { 200: json('Alive.', z.object({ status: z.literal('ok') }).strict()) },
  },
  ready: {
    method: 'get',
    path: '/readyz',
    operationId: 'readiness',
    tag: 'health',
    authenticated: false,
    summary: 'Readiness: the JWKS and a Management API token can be had',
    responses: {
      200: json('Ready, with the state of each dependency.', z.object({ status: z.literal('ready'), checks: ReadinessChecks }).strict()),
      503: {
        description: 'Not ready (`not_ready`); the message and `checks` say which dependency fails.',
        content: { 'application/json': { schema: errorBody(z.enum(['not_ready'])).extend({ checks: ReadinessChecks }) } },
      },
    },
  },
} satisfies Record<string, RouteContract>;

/**
 * The pages and the document: static answers mounted apart (src/routes/docs.ts, console.ts), each only
 * where enabled, so they are described here but not mounted from here.
 */
export const pageRoutes = {
  docsRedirect: {
    method: 'get',
    path: '/docs',
    operationId: 'apiReferenceRedirect',
    tag: 'health',
    authenticated: false,
    summary: 'Redirects to /docs/ (relative, so it works behind a path prefix)',
    responses: {
      301: { description: 'To `docs/`.', headers: { Location: { description: '`docs/`', schema: { type: 'string' } } } },
      ...errorResponses(['route_not_found']),
    },
  },
  docs: {
    method: 'get',
    path: '/docs/',
    operationId: 'apiReference',
    tag: 'health',
    authenticated: false,
    summary: 'This reference as a page (DOCS_ENABLED; off with NODE_ENV=production unless enabled); /docs redirects here',
    responses: {
      200: { description: 'The page.', content: { 'text/html': { schema: z.string() } } },
      ...errorResponses(['route_not_found']),
    },
  },
  console: {
    method: 'get',
    path: '/console/',
    operationId: 'adminConsole',
    tag: 'health',
    authenticated: false,
    summary: 'The reference admin console (CONSOLE_ENABLED; off with NODE_ENV=production unless enabled); its files live under /console/',
    responses: {
      200: { description: 'The page.', content: { 'text/html': { schema: z.string() } } },
      // With the console off, /console/ is an unknown path behind the token check like any other.
      ...errorResponses(['route_not_found', 'credentials_required', 'invalid_request', 'invalid_token', 'token_expired']),
    },
  },
  consoleConfig: {
    method: 'get',
    path: '/console/config.json',
    operationId: 'adminConsoleConfig',
    tag: 'health',
    authenticated: false,
    summary: "Where the console signs in: tenant, its client id, usergate's audience (public values, nothing secret)",
    responses: {
      200: json(
        'The sign-in settings.',
        z.object({ domain: z.string(), clientId: z.string(), audience: z.string(), issuer: z.string() }).strict(),
      ),
      ...errorResponses(['route_not_found', 'credentials_required', 'invalid_request', 'invalid_token', 'token_expired']),
    },
  },
  document: {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openapiDocument',
    tag: 'health',
    authenticated: false,
    summary: 'This document',
    responses: { 200: json('The OpenAPI 3.1 document of usergate.', z.record(z.unknown())) },
  },
} satisfies Record<string, RouteContract>;
