import { z } from 'zod';
import type { Rate } from '../lib/rate';

/** One wrong setting: the variable and what is wrong with it. */
export interface ConfigProblem {
  name: string;
  problem: string;
}

/**
 * A configuration problem. Its message is one line; from the environment it names every wrong variable,
 * each with what is wrong with it (`problems` holds them one by one).
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
  /** Each wrong variable; empty for a message of its own (the policy file's). */
  readonly problems: readonly ConfigProblem[];
  constructor(messageOrProblems: string | readonly ConfigProblem[]) {
    super(
      typeof messageOrProblems === 'string'
        ? messageOrProblems
        : `Invalid configuration: ${messageOrProblems.map((p) => `${p.name} ${p.problem}`).join('; ')}`,
    );
    this.problems = typeof messageOrProblems === 'string' ? [] : messageOrProblems;
  }
}

/**
 * Collects the problems of one `loadConfig` run, so that start-up names every wrong variable at once
 * (the first problem of each). `check` runs one step; a ConfigError it throws is recorded and
 * `fallback` stands in for the value, so the later steps still run.
 */
class Problems {
  readonly list: ConfigProblem[] = [];

  add(name: string, problem: string): void {
    if (!this.list.some((p) => p.name === name)) this.list.push({ name, problem });
  }

  record(err: unknown): void {
    if (!(err instanceof ConfigError) || err.problems.length === 0) throw err;
    for (const { name, problem } of err.problems) this.add(name, problem);
  }

  check<T>(run: () => T, fallback: T): T {
    try {
      return run();
    } catch (err) {
      this.record(err);
      return fallback;
    }
  }
}

/** Stands in for the tenant while other variables are checked; never used, since the run then fails. */
const UNSET_ORIGIN = 'https://tenant.invalid';

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

/** Every configuration variable, with its meaning; docs/configuration.md and `.env.example` document the same names. */
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
  ROLES_SOURCE: z.enum(['claim', 'app_metadata', 'rbac']).default('app_metadata'),
  /**
   * Where a caller's org comes from: `organizations` (the token's `org_id`, verified as a current Auth0
   * Organizations membership; targets' orgs are their memberships), `app_metadata` or `claim`. Default:
   * `organizations` with ROLES_SOURCE=rbac, else the roles source.
   */
  ORG_SOURCE: z.enum(['organizations', 'app_metadata', 'claim']).optional(),
  ROLES_CLAIM: text.default('https://usergate.dev/roles'),
  ORG_CLAIM: text.default('https://usergate.dev/org'),
  ROLES_PATH: text.regex(DOT_PATH, 'must be a dot path such as roles or authz.roles').default('roles'),
  ORG_PATH: text.regex(DOT_PATH, 'must be a dot path such as org or authz.org').default('org'),
  /** Caller profile cache lifetime, in s; default 60. */
  ROLES_CACHE_TTL_S: int(0, 86_400, 60),
  /**
   * With ROLES_SOURCE=claim: check the caller's `blocked` in its profile (one cached lookup per caller per
   * ROLES_CACHE_TTL_S); default true. false trusts the token alone until it expires.
   */
  CLAIM_BLOCKED_CHECK: z.enum(['true', 'false']).default('true'),
  ACL_FILE: text.default('config/acl.yaml'),
  /** Browser origins allowed to call usergate cross-origin, comma-separated; default none (no CORS headers). */
  CORS_ORIGINS: z.string().optional(),
  /** Allowed `result_url` values of password-change tickets, comma-separated, exact; default none. */
  TICKET_RESULT_URLS: z.string().optional(),
  /**
   * The application a password-change ticket sends the user back to on the New Universal Login
   * (`client_id`), used when the request names no allowed `result_url`; default none.
   */
  TICKET_CLIENT_ID: text.regex(/^[A-Za-z0-9._-]{1,128}$/, 'must be a client id (letters, digits, ._-)').optional(),
  /**
   * The application organization invitations are for (the invitation's `client_id`: where the invitee
   * signs in); default none: POST /orgs/:org_id/invitations answers 501 not_configured.
   */
  INVITATION_CLIENT_ID: text.regex(/^[A-Za-z0-9._-]{1,128}$/, 'must be a client id (letters, digits, ._-)').optional(),
  /**
   * The tenant's Auth0 plan as sign-out sees it: `enterprise` has the session and refresh-token
   * endpoints; `standard` (the default) revokes refresh tokens through device credentials.
   */
  AUTH0_PLAN: z.enum(['enterprise', 'standard']).default('standard'),
  /** Redis shared by the replicas (redis:// or rediss://, password allowed); default none: one process, local state. */
  REDIS_URL: text.optional(),
  /** While Redis is unreachable, the longest a replica serves a caller entry before looking it up again, in s; default 5. */
  REDIS_DEGRADED_TTL_S: int(0, 3600, 5),
  /** Management API budget for reads, `BURST/PER_MINUTE`; default 40/500 (Auth0 Essentials). */
  MGMT_RATE_READ: text.optional(),
  /** Management API budget for writes, `BURST/PER_MINUTE`; default 20/200 (Auth0 Essentials). */
  MGMT_RATE_WRITE: text.optional(),
  /** Budget of Auth0's "all other endpoints" bucket (tickets, jobs, user-blocks, device credentials); default 10/150. */
  MGMT_RATE_OTHER: text.optional(),
  /** Longest wait for a budget token, in ms; default 2000. */
  MGMT_QUEUE_MS: int(0, 60_000, 2000),
  /** Each caller's share, `BURST/PER_MINUTE`; default a quarter of the read budget. */
  CALLER_RATE: text.optional(),
  /** How long a stopping process lets requests in flight finish, in ms; default 10000. */
  SHUTDOWN_GRACE_MS: int(0, 600_000, 10_000),
  /** Port of the Prometheus listener (GET /metrics, on HOST); unset: no metrics at all. */
  METRICS_PORT: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().max(65535, 'must be at most 65535'))
    .optional(),
  /** The API reference page at /docs; default on, off with NODE_ENV=production. */
  DOCS_ENABLED: z.enum(['true', 'false']).optional(),
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
    /** rbac: roles are the caller's Auth0 RBAC roles (names), org and blocked from its profile. */
    source: 'claim' | 'app_metadata' | 'rbac';
    /** ORG_SOURCE, its default resolved (see `orgSource`). */
    orgSource: 'organizations' | 'app_metadata' | 'claim';
    rolesClaim: string;
    orgClaim: string;
    rolesPath: string;
    orgPath: string;
    cacheTtlS: number;
    /** ROLES_SOURCE=claim only: look up whether the caller is blocked (cached per caller). */
    claimBlockedCheck: boolean;
  };
  aclFile: string;
  /** Exact origins (scheme://host[:port]) answered with CORS headers; empty means none. */
  corsOrigins: string[];
  /** Exact URLs a password-change ticket may send the user to afterwards; empty means none. */
  ticketResultUrls: string[];
  /** The application (client id) a ticket sends the user back to on the New Universal Login; none when unset. */
  ticketClientId?: string;
  /** The application (client id) organization invitations are for; none when unset (invitations answer 501). */
  invitationClientId?: string;
  /** AUTH0_PLAN: which endpoints sign-out may use. */
  auth0Plan: 'enterprise' | 'standard';
  cluster: {
    /** Redis shared by the replicas; none: this process alone, in memory. */
    redisUrl?: string;
    /** REDIS_DEGRADED_TTL_S: while Redis is away, the longest a caller entry is served before it is looked up again. */
    degradedTtlS: number;
    read: Rate;
    write: Rate;
    /** Auth0's "all other endpoints" bucket: tickets, jobs, user-blocks, device credentials. */
    other: Rate;
    caller: Rate;
    queueMs: number;
  };
  /** Port of the metrics listener; undefined: no metrics. */
  metricsPort?: number;
  /** How long a stopping process lets requests in flight finish, in ms. */
  shutdownGraceMs: number;
  /** Whether /docs serves the API reference page. */
  docsEnabled: boolean;
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
  throw new ConfigError([{ name, problem }]);
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

/** What each required variable is, said when it is missing. */
const REQUIRED = {
  AUTH0_AUDIENCE: 'the identifier of the Auth0 API your frontends request tokens for',
  MGMT_CLIENT_ID: "the client id of usergate's machine-to-machine application",
  MGMT_CLIENT_SECRET: "the client secret of usergate's machine-to-machine application",
};

function required(problems: Problems, name: keyof typeof REQUIRED, value: string | undefined): string {
  if (value === undefined) problems.add(name, `is required (${REQUIRED[name]})`);
  return value ?? '';
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
 * names every variable that is wrong, each with what is wrong with it. Reads nothing but `env`.
 */
export function loadConfig(env: Record<string, string | undefined>): Readonly<Config> {
  const problems = new Problems();
  let config: Config | undefined;
  try {
    config = build(env, problems);
  } catch (err) {
    // A step not wrapped in `check`: its problem is still named, with those found before it.
    problems.record(err);
  }
  if (problems.list.length > 0 || !config) throw new ConfigError(problems.list);
  return deepFreeze(config);
}

/** The schema's verdict: each variable it refuses is recorded, and then read as if unset (its default). */
function parseSchema(env: Record<string, string | undefined>, problems: Problems): z.infer<typeof schema> {
  const values = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const name = String(issue.path[0]);
    problems.add(
      name,
      issue.message.toLowerCase().startsWith('invalid enum')
        ? `must be one of ${(issue as { options?: string[] }).options?.join(', ') ?? 'the listed values'}`
        : issue.message,
    );
    delete values[name];
  }
  return schema.parse(values);
}

function build(env: Record<string, string | undefined>, problems: Problems): Config {
  const check = problems.check.bind(problems);
  const e = parseSchema(env, problems);
  const production = e.NODE_ENV === 'production';
  let origin = UNSET_ORIGIN;
  if (e.AUTH0_DOMAIN) origin = check(() => tenantOrigin(e.AUTH0_DOMAIN!), UNSET_ORIGIN);
  else
    problems.add(
      'AUTH0_DOMAIN',
      production
        ? 'is required when NODE_ENV=production (the embedded dev tenant never runs in production)'
        : 'is required (npm start without it runs the embedded dev tenant)',
    );
  const issuer = e.AUTH0_ISSUER ? check(() => url('AUTH0_ISSUER', e.AUTH0_ISSUER!), `${origin}/`) : `${origin}/`;
  const algorithms = check(() => tokenAlgorithms(e.AUTH0_TOKEN_ALGORITHMS), ['RS256']);
  const config: Config = {
    production,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    auth: {
      audience: required(problems, 'AUTH0_AUDIENCE', e.AUTH0_AUDIENCE),
      issuer,
      jwksUri: e.AUTH0_JWKS_URI
        ? check(() => url('AUTH0_JWKS_URI', e.AUTH0_JWKS_URI!), '')
        : `${issuer.endsWith('/') ? issuer : `${issuer}/`}.well-known/jwks.json`,
      algorithms,
      clockToleranceS: e.AUTH0_CLOCK_TOLERANCE_S,
    },
    management: {
      clientId: required(problems, 'MGMT_CLIENT_ID', e.MGMT_CLIENT_ID),
      clientSecret: required(problems, 'MGMT_CLIENT_SECRET', e.MGMT_CLIENT_SECRET),
      tokenUrl: e.MGMT_TOKEN_URL ? check(() => url('MGMT_TOKEN_URL', e.MGMT_TOKEN_URL!), '') : `${origin}/oauth/token`,
      audience: e.MGMT_AUDIENCE ?? `${origin}/api/v2/`,
      apiUrl: (e.MGMT_API_URL ? check(() => url('MGMT_API_URL', e.MGMT_API_URL!), '') : `${origin}/api/v2`).replace(/\/+$/, ''),
      timeoutMs: e.MGMT_TIMEOUT_MS,
      maxRetries: e.MGMT_MAX_RETRIES,
    },
    roles: {
      source: e.ROLES_SOURCE,
      orgSource: check(() => orgSource(e.ROLES_SOURCE, e.ORG_SOURCE), 'app_metadata'),
      rolesClaim: e.ROLES_CLAIM,
      orgClaim: e.ORG_CLAIM,
      rolesPath: e.ROLES_PATH,
      orgPath: e.ORG_PATH,
      cacheTtlS: e.ROLES_CACHE_TTL_S,
      claimBlockedCheck: e.CLAIM_BLOCKED_CHECK === 'true',
    },
    aclFile: e.ACL_FILE,
    corsOrigins: check(() => corsOrigins(e.CORS_ORIGINS), []),
    ticketResultUrls: check(() => ticketResultUrls(e.TICKET_RESULT_URLS), []),
    ...(e.TICKET_CLIENT_ID ? { ticketClientId: e.TICKET_CLIENT_ID } : {}),
    ...(e.INVITATION_CLIENT_ID ? { invitationClientId: e.INVITATION_CLIENT_ID } : {}),
    auth0Plan: e.AUTH0_PLAN,
    cluster: cluster(e, problems),
    metricsPort: e.METRICS_PORT,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    docsEnabled: e.DOCS_ENABLED === undefined ? !production : e.DOCS_ENABLED === 'true',
  };
  const consoleConfig = check(() => consoleSettings(e.CONSOLE_ENABLED, e.CONSOLE_CLIENT_ID, production), undefined);
  if (consoleConfig) config.console = { domain: origin, audience: config.auth.audience, issuer, ...consoleConfig };
  return config;
}

/**
 * ORG_SOURCE, its default following ROLES_SOURCE (`organizations` with `rbac`, else the roles source).
 * Supported pairs: claim/claim (a token's claims), app_metadata or rbac with app_metadata (the profile's
 * `<ORG_PATH>`), app_metadata or rbac with organizations (the token's verified `org_id`).
 */
function orgSource(
  roles: 'claim' | 'app_metadata' | 'rbac',
  org: 'organizations' | 'app_metadata' | 'claim' | undefined,
): Config['roles']['orgSource'] {
  const chosen = org ?? (roles === 'rbac' ? 'organizations' : roles);
  if (roles === 'claim' && chosen !== 'claim') {
    fail('ORG_SOURCE', `must be claim with ROLES_SOURCE=claim (a caller's roles and org then both come from its token; got ${chosen})`);
  }
  if (roles !== 'claim' && chosen === 'claim') {
    fail('ORG_SOURCE', `can be claim only with ROLES_SOURCE=claim (use organizations or app_metadata with ROLES_SOURCE=${roles})`);
  }
  return chosen;
}

/** AUTH0_TOKEN_ALGORITHMS: asymmetric algorithms only, at least one. */
function tokenAlgorithms(value: string): string[] {
  const algorithms = value
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  for (const alg of algorithms) {
    if (!(SAFE_ALGORITHMS as readonly string[]).includes(alg)) {
      fail('AUTH0_TOKEN_ALGORITHMS', `must list asymmetric algorithms only (${SAFE_ALGORITHMS.join(', ')}); "${alg}" is refused`);
    }
  }
  if (algorithms.length === 0) fail('AUTH0_TOKEN_ALGORITHMS', 'must name at least one algorithm');
  return algorithms;
}

function cluster(e: z.infer<typeof schema>, problems: Problems): Config['cluster'] {
  const check = problems.check.bind(problems);
  const read = check(() => rate('MGMT_RATE_READ', e.MGMT_RATE_READ), undefined) ?? { burst: 40, perMinute: 500 };
  return {
    redisUrl: e.REDIS_URL === undefined ? undefined : check(() => redisUrl(e.REDIS_URL!), undefined),
    degradedTtlS: e.REDIS_DEGRADED_TTL_S,
    read,
    write: check(() => rate('MGMT_RATE_WRITE', e.MGMT_RATE_WRITE), undefined) ?? { burst: 20, perMinute: 200 },
    other: check(() => rate('MGMT_RATE_OTHER', e.MGMT_RATE_OTHER), undefined) ?? { burst: 10, perMinute: 150 },
    caller: check(() => rate('CALLER_RATE', e.CALLER_RATE), undefined) ?? {
      burst: Math.max(1, Math.ceil(read.burst / 4)),
      perMinute: Math.max(1, Math.ceil(read.perMinute / 4)),
    },
    queueMs: e.MGMT_QUEUE_MS,
  };
}

/** `BURST/PER_MINUTE`, both whole numbers of at least 1. */
function rate(name: string, value: string | undefined): Rate | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d{1,7})\/(\d{1,9})$/.exec(value);
  const burst = Number(match?.[1]);
  const perMinute = Number(match?.[2]);
  if (!match || burst < 1 || perMinute < 1)
    fail(name, `must be BURST/PER_MINUTE with whole numbers of at least 1, such as 40/500 (got "${value.slice(0, 40)}")`);
  return { burst, perMinute };
}

/** The value is not echoed: it may hold a password. */
function redisUrl(value: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['redis:', 'rediss:'].includes(parsed.protocol) || !parsed.hostname) {
    fail('REDIS_URL', 'must be a redis:// or rediss:// URL such as redis://:password@redis:6379/0');
  }
  return value;
}

/**
 * The console is on by default outside production, and only when its client id is known (dev mode
 * sets it); asked for explicitly without a client id, it is a configuration error.
 */
function consoleSettings(
  enabled: 'true' | 'false' | undefined,
  clientId: string | undefined,
  production: boolean,
): { clientId: string } | undefined {
  if (enabled === 'false' || (enabled === undefined && production)) return undefined;
  if (clientId === undefined) {
    if (enabled === 'true')
      fail('CONSOLE_CLIENT_ID', "is required when CONSOLE_ENABLED=true (the client id of the console's SPA application)");
    return undefined;
  }
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(clientId)) fail('CONSOLE_CLIENT_ID', 'must be a client id (letters, digits, ._-)');
  return { clientId };
}

/** Each origin exactly as a browser sends it; no wildcard, no path: CORS is an allowlist. */
function corsOrigins(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map((origin) => {
      let parsed: URL | undefined;
      try {
        parsed = new URL(origin);
      } catch {
        parsed = undefined;
      }
      if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin || origin.includes('*')) {
        fail(
          'CORS_ORIGINS',
          `must list origins such as https://admin.acme.example or http://localhost:5173, without path or wildcard (got "${origin.slice(0, 100)}")`,
        );
      }
      return origin;
    });
}

/**
 * Each URL exactly as a caller must send it: absolute, https (http only on loopback), no credentials,
 * no wildcard. An allowlist, or a genuine Auth0 ticket could land the user on a phishing page.
 */
function ticketResultUrls(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean)
    .map((entry) => {
      if (entry.includes('*') || entry.length > 2000)
        fail('TICKET_RESULT_URLS', `must list exact URLs, without wildcard (got "${entry.slice(0, 100)}")`);
      url('TICKET_RESULT_URLS', entry);
      return entry;
    });
}

function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const child of Object.values(value)) if (child && typeof child === 'object') deepFreeze(child as object);
  return Object.freeze(value);
}
