import { z } from 'zod';

/** A configuration problem; its message is one line that names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const SAFE_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;
const DOT_PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

const int = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .optional()
    .transform((v) => v ?? fallback);

const text = z.string().trim().min(1, 'must not be empty');

/** Every variable of DESIGN.md, with its meaning; `.env.example` documents the same names. */
const schema = z.object({
  NODE_ENV: z.string().optional(),
  /** Listen port; default 3000. */
  PORT: int(0, 65535, 3000),
  /** Listen address; default 0.0.0.0. */
  HOST: text.default('0.0.0.0'),
  /** pino level; default info. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Tenant domain, or an origin with scheme and port for a local tenant. */
  AUTH0_DOMAIN: text.optional(),
  /** API identifier that app tokens must carry in `aud`. */
  AUTH0_AUDIENCE: text.optional(),
  AUTH0_ISSUER: text.optional(),
  AUTH0_JWKS_URI: text.optional(),
  /** Accepted `alg` values; default RS256. `none` and HS* are refused. */
  AUTH0_TOKEN_ALGORITHMS: text.default('RS256'),
  /** Allowed clock skew, in s; default 5. */
  AUTH0_CLOCK_TOLERANCE_S: int(0, 300, 5),
  MGMT_CLIENT_ID: text.optional(),
  MGMT_CLIENT_SECRET: text.optional(),
  MGMT_TOKEN_URL: text.optional(),
  MGMT_AUDIENCE: text.optional(),
  MGMT_API_URL: text.optional(),
  /** Upstream timeout per attempt, in ms; default 10000. */
  MGMT_TIMEOUT_MS: int(100, 120_000, 10_000),
  /** Retries after the first attempt; default 2. */
  MGMT_MAX_RETRIES: int(0, 5, 2),
  ROLES_SOURCE: z.enum(['claim', 'app_metadata']).default('app_metadata'),
  ROLES_CLAIM: text.default('https://usergate.dev/roles'),
  ORG_CLAIM: text.default('https://usergate.dev/org'),
  ROLES_PATH: text.regex(DOT_PATH, 'must be a dot path such as roles or authz.roles').default('roles'),
  ORG_PATH: text.regex(DOT_PATH, 'must be a dot path such as org or authz.org').default('org'),
  /** Caller profile cache lifetime, in s; default 60. */
  ROLES_CACHE_TTL_S: int(0, 86_400, 60),
  ACL_FILE: text.default('config/acl.yaml'),
  /** Browser origins allowed to call usergate cross-origin, comma-separated; default none (no CORS headers). */
  CORS_ORIGINS: z.string().optional(),
  /** Serve the reference admin console at /console; default on, except with NODE_ENV=production. */
  CONSOLE_ENABLED: z.enum(['true', 'false']).optional(),
  /** The console's SPA application (client id) on the tenant; dev mode sets it. */
  CONSOLE_CLIENT_ID: text.optional(),
});

/** The validated, frozen configuration usergate runs with. */
export interface Config {
  production: boolean;
  port: number;
  host: string;
  logLevel: string;
  auth: {
    audience: string;
    issuer: string;
    jwksUri: string;
    algorithms: string[];
    clockToleranceS: number;
  };
  management: {
    clientId: string;
    clientSecret: string;
    tokenUrl: string;
    audience: string;
    apiUrl: string;
    timeoutMs: number;
    maxRetries: number;
  };
  roles: {
    source: 'claim' | 'app_metadata';
    rolesClaim: string;
    orgClaim: string;
    rolesPath: string;
    orgPath: string;
    cacheTtlS: number;
  };
  aclFile: string;
  /** Exact origins (scheme://host[:port]) answered with CORS headers; empty means none. */
  corsOrigins: string[];
  /** The reference console (static files at /console); `undefined` when off. */
  console?: ConsoleConfig;
}

/** What the console is told at /console/config.json, plus the tenant origin its CSP lets it call. */
export interface ConsoleConfig {
  /** The tenant origin the SPA SDK signs in against (`https://acme.eu.auth0.com`). */
  domain: string;
  clientId: string;
  audience: string;
  issuer: string;
}

function fail(name: string, problem: string): never {
  throw new ConfigError(`Invalid configuration: ${name} ${problem}`);
}

function url(name: string, value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    fail(name, `must be an absolute URL (got "${value}")`);
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname))) {
    fail(name, 'must use https (plain http is allowed only on loopback)');
  }
  if (parsed.username || parsed.password) fail(name, 'must not carry credentials');
  return parsed.toString();
}

function required(name: string, value: string | undefined): string {
  if (value === undefined) fail(name, 'is required when AUTH0_DOMAIN is set');
  return value;
}

/** The tenant origin: `acme.eu.auth0.com` becomes `https://acme.eu.auth0.com`; a scheme and port are kept. */
function tenantOrigin(domain: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(domain) ? domain : `https://${domain}`;
  const parsed = new URL(url('AUTH0_DOMAIN', withScheme));
  if (parsed.pathname !== '/' || parsed.search || parsed.hash) fail('AUTH0_DOMAIN', 'must be a domain or an origin, without a path');
  return parsed.origin;
}

/**
 * Validates the whole environment and returns a frozen config. Throws a `ConfigError` whose message
 * names the first variable that is wrong. Reads nothing but `env`.
 */
export function loadConfig(env: Record<string, string | undefined>): Readonly<Config> {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(String(issue.path[0]), issue.message.toLowerCase().startsWith('invalid enum')
      ? `must be one of ${(issue as { options?: string[] }).options?.join(', ') ?? 'the listed values'}` : issue.message);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (!e.AUTH0_DOMAIN) {
    fail('AUTH0_DOMAIN', production
      ? 'is required when NODE_ENV=production (the embedded dev tenant never runs in production)'
      : 'is required (npm start without it runs the embedded dev tenant)');
  }
  const origin = tenantOrigin(e.AUTH0_DOMAIN);
  const issuer = e.AUTH0_ISSUER ? url('AUTH0_ISSUER', e.AUTH0_ISSUER) : `${origin}/`;
  const algorithms = e.AUTH0_TOKEN_ALGORITHMS.split(',').map((a) => a.trim()).filter(Boolean);
  for (const alg of algorithms) {
    if (!(SAFE_ALGORITHMS as readonly string[]).includes(alg)) {
      fail('AUTH0_TOKEN_ALGORITHMS', `must list asymmetric algorithms only (${SAFE_ALGORITHMS.join(', ')}); "${alg}" is refused`);
    }
  }
  if (algorithms.length === 0) fail('AUTH0_TOKEN_ALGORITHMS', 'must name at least one algorithm');
  const config: Config = {
    production,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    auth: {
      audience: required('AUTH0_AUDIENCE', e.AUTH0_AUDIENCE),
      issuer,
      jwksUri: e.AUTH0_JWKS_URI ? url('AUTH0_JWKS_URI', e.AUTH0_JWKS_URI) : `${issuer.endsWith('/') ? issuer : `${issuer}/`}.well-known/jwks.json`,
      algorithms,
      clockToleranceS: e.AUTH0_CLOCK_TOLERANCE_S,
    },
    management: {
      clientId: required('MGMT_CLIENT_ID', e.MGMT_CLIENT_ID),
      clientSecret: required('MGMT_CLIENT_SECRET', e.MGMT_CLIENT_SECRET),
      tokenUrl: e.MGMT_TOKEN_URL ? url('MGMT_TOKEN_URL', e.MGMT_TOKEN_URL) : `${origin}/oauth/token`,
      audience: e.MGMT_AUDIENCE ?? `${origin}/api/v2/`,
      apiUrl: (e.MGMT_API_URL ? url('MGMT_API_URL', e.MGMT_API_URL) : `${origin}/api/v2`).replace(/\/+$/, ''),
      timeoutMs: e.MGMT_TIMEOUT_MS,
      maxRetries: e.MGMT_MAX_RETRIES,
    },
    roles: {
      source: e.ROLES_SOURCE,
      rolesClaim: e.ROLES_CLAIM,
      orgClaim: e.ORG_CLAIM,
      rolesPath: e.ROLES_PATH,
      orgPath: e.ORG_PATH,
      cacheTtlS: e.ROLES_CACHE_TTL_S,
    },
    aclFile: e.ACL_FILE,
    corsOrigins: corsOrigins(e.CORS_ORIGINS),
  };
  const consoleConfig = consoleSettings(e.CONSOLE_ENABLED, e.CONSOLE_CLIENT_ID, production);
  if (consoleConfig) config.console = { domain: origin, audience: config.auth.audience, issuer, ...consoleConfig };
  return deepFreeze(config);
}

/**
 * The console is on by default outside production, and only when its client id is known (dev mode
 * sets it); asked for explicitly without a client id, it is a configuration error.
 */
function consoleSettings(enabled: 'true' | 'false' | undefined, clientId: string | undefined, production: boolean): { clientId: string } | undefined {
  if (enabled === 'false' || (enabled === undefined && production)) return undefined;
  if (clientId === undefined) {
    if (enabled === 'true') fail('CONSOLE_CLIENT_ID', 'is required when CONSOLE_ENABLED=true (the client id of the console\'s SPA application)');
    return undefined;
  }
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(clientId)) fail('CONSOLE_CLIENT_ID', 'must be a client id (letters, digits, ._-)');
  return { clientId };
}

/** Each origin exactly as a browser sends it; no wildcard, no path: CORS is an allowlist. */
function corsOrigins(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.split(',').map((o) => o.trim()).filter(Boolean).map((origin) => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin || origin.includes('*')) {
      fail('CORS_ORIGINS', `must list origins such as https://admin.acme.example or http://localhost:5173, without path or wildcard (got "${origin.slice(0, 100)}")`);
    }
    return origin;
  });
}

function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const child of Object.values(value)) if (child && typeof child === 'object') deepFreeze(child as object);
  return Object.freeze(value);
}
