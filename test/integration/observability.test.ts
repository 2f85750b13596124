import { DEMO_USERS } from '../../dev-tenant';
import { startStack, type Stack } from '../helpers/stack';

/** Prometheus text exposition, parsed strictly: every sample line must be `name{labels} value`. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|Nan|\+Inf|-Inf)$/.exec(
      line,
    );
    if (!m) throw new Error(`not Prometheus text: ${line}`);
    samples.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  return samples;
}

describe('metrics on their own listener', () => {
  let stack: Stack;
  const scrape = async () => {
    const res = await fetch(stack.metricsUrl!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    return { text, samples: parseMetrics(text) };
  };
  beforeAll(async () => {
    stack = await startStack({ env: { METRICS_PORT: '0' } });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('is off when METRICS_PORT is unset', async () => {
    const plain = await startStack({ existingTenant: stack.tenant });
    try {
      expect(plain.metricsUrl).toBeUndefined();
      expect(plain.deps.metrics).toBeUndefined();
    } finally {
      await plain.stop();
    }
  });

  it('serves only GET /metrics, and nothing of the API', async () => {
    const base = stack.metricsUrl!.replace(/\/metrics$/, '');
    expect((await fetch(`${base}/users`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(404);
  });

  it('counts requests by route template, status and errorCode, denials by code, and upstream calls by operation', async () => {
    const before = (await scrape()).samples;
    const admin = stack.tokenFor(DEMO_USERS.admin);
    const viewer = stack.tokenFor(DEMO_USERS.viewer);
    expect((await stack.as(admin).get(`/users/${encodeURIComponent(DEMO_USERS.viewer)}`)).status).toBe(200);
    expect((await stack.as(viewer).delete(`/users/${encodeURIComponent(DEMO_USERS.admin)}`)).status).toBe(403);
    expect((await stack.as(viewer).get('/nowhere')).status).toBe(404);
    const { text, samples } = await scrape();
    const delta = (key: string) => (samples.get(key) ?? 0) - (before.get(key) ?? 0);
    expect(delta('usergate_http_requests_total{route="/users/:id",method="GET",status="200",error_code=""}')).toBe(1);
    expect(delta('usergate_http_requests_total{route="/users/:id",method="DELETE",status="403",error_code="action_forbidden"}')).toBe(1);
    expect(delta('usergate_http_requests_total{route="unmatched",method="GET",status="404",error_code="route_not_found"}')).toBe(1);
    expect(delta('usergate_policy_denials_total{error_code="action_forbidden"}')).toBe(1);
    expect(delta('usergate_http_request_duration_seconds_count{route="/users/:id",method="GET",status="200"}')).toBe(1);
    expect(delta('usergate_upstream_requests_total{operation="GET users/{id}",status="200"}')).toBeGreaterThanOrEqual(1);
    expect(samples.get('usergate_upstream_ratelimit_remaining{operation="GET users/{id}"}')).toBeGreaterThan(0);
    expect(samples.get('usergate_machine_token_fetches_total{outcome="ok"}')).toBe(1);
    expect(samples.get('usergate_jwks_fetches_total{outcome="ok"}')).toBeGreaterThanOrEqual(1);
    expect(samples.get('usergate_caller_cache_lookups_total{result="miss"}')).toBeGreaterThanOrEqual(2);
    expect(samples.get('usergate_process_resident_memory_bytes')).toBeGreaterThan(0);
    // No user id, email or token in any label.
    for (const sub of Object.values(DEMO_USERS)) {
      expect(text).not.toContain(sub);
      expect(text).not.toContain(encodeURIComponent(sub));
    }
    expect(text).not.toMatch(/@|eyJ/);
  });

  it('counts audit events by action and outcome, and 429s and retries from Auth0', async () => {
    const admin = stack.tokenFor(DEMO_USERS.admin);
    const before = (await scrape()).samples;
    stack.tenant.faults.inject({ method: 'GET', path: '/api/v2/users', kind: 'status', status: 429, retryAfter: 1 });
    expect((await stack.as(admin).get('/users')).status).toBe(200);
    expect((await stack.as(admin).delete(`/users/${encodeURIComponent(DEMO_USERS.admin)}`)).status).toBe(403);
    const { samples } = await scrape();
    const delta = (key: string) => (samples.get(key) ?? 0) - (before.get(key) ?? 0);
    expect(delta('usergate_upstream_rate_limited_total{operation="GET users"}')).toBe(1);
    expect(delta('usergate_upstream_requests_total{operation="GET users",status="429"}')).toBe(1);
    expect(delta('usergate_upstream_retries_total{operation="GET users",reason="rate-limited"}')).toBe(1);
    expect(delta('usergate_audit_events_total{action="delete",outcome="denied"}')).toBe(1);
  });
});

describe('trace context', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';

  it("keeps an incoming traceparent: the dev tenant receives the same trace id with usergate's own span", async () => {
    const admin = stack.tokenFor(DEMO_USERS.admin);
    const from = stack.tenant.requestLog.length;
    const res = await stack
      .as(admin)
      .get(`/users/${encodeURIComponent(DEMO_USERS.viewer)}`)
      .set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`)
      .set('tracestate', 'vendor=abc')
      .set('x-request-id', 'trace-test-1');
    expect(res.status).toBe(200);
    const upstream = stack.tenant.requestLog.slice(from);
    expect(upstream.length).toBeGreaterThan(0);
    for (const call of upstream) {
      expect(call.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      expect(call.traceparent).not.toContain('00f067aa0ba902b7');
    }
    const own = res.headers['x-request-id'] as string;
    const lines = stack.logs.filter((l) => l.requestId === own || (l.req as { id?: string } | undefined)?.id === own);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.traceId).toBe(traceId);
      expect(line.requestId).toBe(own);
    }
  });

  it('starts a trace when none (or a malformed one) is sent, and logs that trace id on every line of the request', async () => {
    const admin = stack.tokenFor(DEMO_USERS.admin);
    for (const sent of [undefined, 'garbage', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, `ff-${traceId}-00f067aa0ba902b7-01`]) {
      const from = stack.tenant.requestLog.length;
      const id = `trace-new-${Math.random().toString(36).slice(2)}`;
      const req = stack
        .as(admin)
        .patch(`/users/${encodeURIComponent(DEMO_USERS.viewer)}`)
        .set('x-request-id', id)
        .send({ user_metadata: { n: 1 } });
      const res = await (sent ? req.set('traceparent', sent) : req);
      expect(res.status).toBe(200);
      const started = /^00-([0-9a-f]{32})-[0-9a-f]{16}-01$/.exec(stack.tenant.requestLog[from]!.traceparent ?? '')?.[1];
      expect(started).toBeDefined();
      expect(started).not.toBe(traceId);
      const lines = stack.logs.filter((l) => l.requestId === res.headers['x-request-id']);
      expect(lines.some((l) => l.audit === true)).toBe(true);
      for (const line of lines) expect(line.traceId).toBe(started);
    }
  });
});
