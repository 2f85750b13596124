import { startStack, type Stack } from '../helpers/stack';
import { seedTarget } from '../helpers/targets';

/**
 * GET /users/:id/refresh-tokens on an Enterprise tenant, over HTTP against the dev tenant: the dates
 * and session of each token for every role with `logout`; where the token was used only as the
 * caller's `log_fields` allow (IPs with `ip`, user agents with `user_agent`, ASNs never), the same
 * cut as the user's sessions.
 */
const ROLES = {
  plain: [],
  ips: ['ip'],
  agents: ['user_agent'],
  both: ['ip', 'user_agent', 'date'],
} as const;

const AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('refresh tokens on an Enterprise tenant: dates for every role, the device as log_fields allow', () => {
  let stack: Stack;
  const callers: Record<string, string> = {};
  beforeAll(async () => {
    stack = await startStack({
      env: { AUTH0_PLAN: 'enterprise' },
      tenant: { plan: 'enterprise' },
      policy: {
        roles: Object.fromEntries(Object.entries(ROLES).map(([name, logFields]) => [name, { can: ['logout'], log_fields: logFields }])),
      },
    });
    for (const role of Object.keys(ROLES)) callers[role] = stack.tokenFor(seedTarget(stack.tenant, { roles: [role] }).user_id);
  });
  afterAll(async () => {
    expect(stack.tenant.invalidRequests()).toEqual([]);
    await stack.stop();
  });

  it.each(Object.entries(ROLES))('%s (log_fields %j)', async (role, logFields) => {
    const target = seedTarget(stack.tenant);
    stack.tenant.desk.addSession(target, { ip: '203.0.113.50', agent: AGENT, refreshToken: true });
    stack.tenant.desk.addSession(target, { ip: '203.0.113.51', agent: AGENT, refreshToken: true });
    const stored = stack.tenant.desk.deviceCredentials.get(target.user_id)!;
    const path = `/users/${encodeURIComponent(target.user_id)}`;

    const res = await stack.as(callers[role]!).get(`${path}/refresh-tokens`);
    expect(res.status).toBe(200);
    const device = (ip: string) => ({
      ...(logFields.includes('ip' as never) ? { initial_ip: ip, last_ip: ip } : {}),
      ...(logFields.includes('user_agent' as never) ? { initial_user_agent: AGENT, last_user_agent: AGENT } : {}),
    });
    expect(res.body).toEqual({
      refresh_tokens: stored.map((t) => ({
        id: t.id,
        type: 'refresh_token',
        client_id: t.client_id,
        session_id: t.session_id,
        created_at: t.created_at,
        last_exchanged_at: t.last_exchanged_at,
        idle_expires_at: t.idle_expires_at,
        expires_at: t.expires_at,
        ...(Object.keys(device('x')).length > 0 ? { device: device(t.device!.last_ip) } : {}),
      })),
    });
    // Auth0 also names the network (ASN): never passed on.
    expect(JSON.stringify(res.body)).not.toContain(stored[0]!.device!.last_asn);

    // The user's sessions are cut by the same rule.
    const sessions = await stack.as(callers[role]!).get(`${path}/sessions`);
    expect(sessions.body.sessions.map((s: { device?: unknown }) => s.device)).toEqual(
      res.body.refresh_tokens.map((t: { device?: unknown }) => t.device),
    );
  });
});
