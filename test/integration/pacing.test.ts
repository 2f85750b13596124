import { freePort } from '../helpers/cluster';
import { startStack, type Stack } from '../helpers/stack';
import { seedTarget } from '../helpers/targets';

/** One process, no Redis: the same buckets and coalescing, in memory. Roles come from this test's own policy. */
const policy = {
  roles: {
    full: { can: ['list', 'read'], read: ['*'] },
    narrow: { can: ['list', 'read'], read: ['user_id', 'name'] },
  },
};
const ROLES = 'https://usergate.dev/roles';
const usersCalls = (stack: Stack, operation: string) => stack.tenant.requestLog.filter((r) => r.operation === operation).length;

describe('one process without REDIS_URL', () => {
  it('the read budget paces it: over MGMT_RATE_READ and past MGMT_QUEUE_MS it answers 429 rate_limited with Retry-After, and Auth0 sees nothing more', async () => {
    const frozen = Date.now(); // the bucket refills only when this clock moves
    const stack = await startStack({
      policy,
      now: () => frozen,
      env: { ROLES_SOURCE: 'claim', CLAIM_BLOCKED_CHECK: 'false', MGMT_RATE_READ: '3/60', MGMT_QUEUE_MS: '0' },
    });
    try {
      const token = stack.tokenFor('auth0|reader', { claims: { [ROLES]: ['full'] } });
      const statuses: number[] = [];
      for (let page = 0; page < 5; page += 1) {
        const res = await stack.as(token).get(`/users?per_page=1&page=${page}`);
        statuses.push(res.status);
        if (res.status === 429) {
          expect(res.body).toMatchObject({ statusCode: 429, errorCode: 'rate_limited' });
          expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        }
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(usersCalls(stack, 'GET /users')).toBe(3);
    } finally {
      await stack.stop();
    }
  });

  it('a caller over CALLER_RATE is refused before anything reaches Auth0, while another caller goes on', async () => {
    const stack = await startStack({ policy, env: { CALLER_RATE: '2/60' } });
    try {
      const flooder = seedTarget(stack.tenant, { roles: ['full'] });
      const other = seedTarget(stack.tenant, { roles: ['narrow'] });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1)
        statuses.push((await stack.as(stack.tokenFor(flooder.user_id)).get(`/users/${encodeURIComponent(other.user_id)}`)).status);
      expect(statuses).toEqual([200, 200, 429, 429]);
      // One caller lookup and two reads: the refused requests cost nothing upstream.
      expect(usersCalls(stack, 'GET /users/{id}')).toBe(3);
      expect((await stack.as(stack.tokenFor(other.user_id)).get('/users?per_page=1')).status).toBe(200);
    } finally {
      await stack.stop();
    }
  });

  it("identical concurrent GETs share one upstream call, and each answer is filtered under its caller's policy", async () => {
    const stack = await startStack({ policy, env: { ROLES_SOURCE: 'claim', CLAIM_BLOCKED_CHECK: 'false' } });
    try {
      const target = seedTarget(stack.tenant);
      const path = `/users/${encodeURIComponent(target.user_id)}`;
      stack.tenant.faults.inject({ method: 'GET', path: `/api/v2${path}`, kind: 'latency', ms: 300 });
      const full = stack.tokenFor('auth0|full', { claims: { [ROLES]: ['full'] } });
      const narrow = stack.tokenFor('auth0|narrow', { claims: { [ROLES]: ['narrow'] } });
      const [a, b, c] = await Promise.all([stack.as(full).get(path), stack.as(narrow).get(path), stack.as(full).get(path)]);
      expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
      expect(usersCalls(stack, 'GET /users/{id}')).toBe(1);
      expect(a.body.email).toBe(target.email);
      expect(c.body).toEqual(a.body);
      expect(b.body).toEqual({ user_id: target.user_id, name: target.name });
    } finally {
      await stack.stop();
    }
  });

  it('an unreachable REDIS_URL degrades, never fails: requests succeed and /readyz stays ready, saying degraded', async () => {
    const port = await freePort();
    const stack = await startStack({ policy, env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    try {
      const caller = seedTarget(stack.tenant, { roles: ['full'] });
      for (let i = 0; i < 3; i += 1) expect((await stack.as(stack.tokenFor(caller.user_id)).get('/users?per_page=1')).status).toBe(200);
      const ready = await stack.http.get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ready', checks: { redis: { state: 'warning', detail: 'degraded' } } });
    } finally {
      await stack.stop();
    }
  });
});
