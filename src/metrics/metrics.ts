import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { UpstreamObserver } from '../management/management-client';

/**
 * usergate's Prometheus metrics, in a registry of their own. Labels are route templates, methods,
 * statuses, codes, operations and outcomes: never a user id, an email or a token.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'usergate_' });
  const registers = [registry];
  const requests = new Counter({
    name: 'usergate_http_requests_total',
    help: 'Requests answered, by route template, method, status and errorCode (empty on success).',
    labelNames: ['route', 'method', 'status', 'error_code'],
    registers,
  });
  const duration = new Histogram({
    name: 'usergate_http_request_duration_seconds',
    help: 'Time to answer, by route template, method and status.',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const denials = new Counter({
    name: 'usergate_policy_denials_total',
    help: 'Requests the policy refused (403), by errorCode.',
    labelNames: ['error_code'],
    registers,
  });
  const audit = new Counter({
    name: 'usergate_audit_events_total',
    help: 'Audit events, by action and outcome.',
    labelNames: ['action', 'outcome'],
    registers,
  });
  const upstream = new Counter({
    name: 'usergate_upstream_requests_total',
    help: 'Management API attempts, by operation (path template) and status (or timeout/network).',
    labelNames: ['operation', 'status'],
    registers,
  });
  const upstreamDuration = new Histogram({
    name: 'usergate_upstream_request_duration_seconds',
    help: 'Management API attempt time, by operation.',
    labelNames: ['operation'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const retries = new Counter({
    name: 'usergate_upstream_retries_total',
    help: 'Management API retries, by operation and reason (rate-limited, transient, token).',
    labelNames: ['operation', 'reason'],
    registers,
  });
  const rateLimited = new Counter({
    name: 'usergate_upstream_rate_limited_total',
    help: '429 answers from the Management API, by operation.',
    labelNames: ['operation'],
    registers,
  });
  const remaining = new Gauge({
    name: 'usergate_upstream_ratelimit_remaining',
    help: 'The last x-ratelimit-remaining the Management API sent, by operation.',
    labelNames: ['operation'],
    registers,
  });
  const tokenFetches = new Counter({
    name: 'usergate_machine_token_fetches_total',
    help: 'Machine-token requests, by outcome (ok, failed).',
    labelNames: ['outcome'],
    registers,
  });
  const jwksFetches = new Counter({
    name: 'usergate_jwks_fetches_total',
    help: 'JWKS fetches, by outcome (ok, failed).',
    labelNames: ['outcome'],
    registers,
  });
  const callerCache = new Counter({
    name: 'usergate_caller_cache_lookups_total',
    help: 'Caller (roles, org) lookups, by result (hit, miss).',
    labelNames: ['result'],
    registers,
  });

  const upstreamObserver: UpstreamObserver = {
    attempt({ operation, status, durationMs, rateLimitRemaining }) {
      upstream.inc({ operation, status: String(status) });
      upstreamDuration.observe({ operation }, durationMs / 1000);
      if (status === 429) rateLimited.inc({ operation });
      if (rateLimitRemaining !== undefined) remaining.set({ operation }, rateLimitRemaining);
    },
    retry({ operation, reason }) {
      retries.inc({ operation, reason });
    },
  };

  const policyInfo = new Gauge({
    name: 'usergate_policy_info',
    help: 'The policy this replica serves: 1 for its version (a short hash of the policy file); replicas that differ serve different policies.',
    labelNames: ['version'],
    registers,
  });
  return {
    registry,
    /** The served policy's version: the one series of usergate_policy_info. */
    policyServed: (version: string) => {
      policyInfo.reset();
      policyInfo.set({ version }, 1);
    },
    upstream: upstreamObserver,
    tokens: { tokenFetched: (outcome: 'ok' | 'failed') => tokenFetches.inc({ outcome }) },
    keys: { jwksFetched: (outcome: 'ok' | 'failed') => jwksFetches.inc({ outcome }) },
    callers: { callerCache: (result: 'hit' | 'miss') => callerCache.inc({ result }) },
    auditEvent: (action: string, outcome: string) => audit.inc({ action, outcome }),
    /** Counts and times every answer once it is sent; the error handler puts the errorCode in res.locals. */
    middleware() {
      return (req: Request, res: Response, next: NextFunction): void => {
        const end = duration.startTimer();
        res.once('finish', () => {
          // The template of the matched route, never the path (ids would make a label per user).
          const route = req.route ? `${req.baseUrl}${String((req.route as { path: unknown }).path)}` : 'unmatched';
          const status = String(res.statusCode);
          const code = typeof res.locals.errorCode === 'string' ? res.locals.errorCode : '';
          requests.inc({ route, method: req.method, status, error_code: code });
          end({ route, method: req.method, status });
          if (res.statusCode === 403 && code) denials.inc({ error_code: code });
        });
        next();
      };
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
