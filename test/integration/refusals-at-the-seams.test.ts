import { DEMO_USERS } from '../../dev-tenant';
import { auth0Refusal } from '../../src/errors';
import { startStack, type Stack } from '../helpers/stack';
import { seedTarget } from '../helpers/targets';

/**
 * Where two of usergate's layers meet: Auth0 refusing usergate's own work (the caller's lookup, a list),
 * the order of a desk action's checks, and the audit's reading of who refused. Over real HTTP against
 * the dev tenant; every answer is also checked against the OpenAPI document (undeclared codes fail).
 */
let stack: Stack;
let org: string;
const support = () => stack.as(stack.tokenFor(DEMO_USERS.support));
const viewer = () => stack.as(stack.tokenFor(DEMO_USERS.viewer));
const admin = () => stack.as(stack.tokenFor(DEMO_USERS.admin));
const userPath = (id: string) => `/api/v2/users/${encodeURIComponent(id)}`;

beforeAll(async () => {
  stack = await startStack({ env: { TICKET_RESULT_URLS: 'https://app.example/done', ROLES_CACHE_TTL_S: '0' } });
  org = stack.tenant.store.get(DEMO_USERS.support)!.app_metadata!.org as string;
});
afterAll(async () => {
  await stack.stop();
});
afterEach(() => stack.tenant.faults.clear());

describe("Auth0 refusing usergate's own work", () => {
  it("a refused lookup of the caller's own profile is usergate's upstream trouble (502), not a refusal of the request", async () => {
    stack.tenant.faults.inject({ method: 'GET', path: userPath(DEMO_USERS.support), kind: 'status', status: 403, errorCode: 'forbidden' });
    const res = await support().get('/me/permissions');
    expect([res.status, res.body.errorCode]).toEqual([502, 'upstream_error']);
  });

  it('an Auth0 404 on a list is upstream_not_found, never user_not_found (no target user is named)', async () => {
    stack.tenant.faults.inject({ method: 'GET', path: '/api/v2/users', kind: 'status', status: 404, errorCode: 'not_found' });
    const res = await admin().get('/users').query({ q: 'email:"nobody@example.com"' });
    expect([res.status, res.body.errorCode]).toEqual([404, 'upstream_not_found']);
  });

  it('an Auth0 404 on the target user is user_not_found, audited as a failure of Auth0, not a policy denial', async () => {
    const target = seedTarget(stack.tenant, { org });
    // The target is read first (found), then the ticket call meets Auth0's 404 (the user was deleted meanwhile).
    stack.tenant.faults.inject({
      method: 'POST',
      path: '/api/v2/tickets/password-change',
      kind: 'status',
      status: 404,
      errorCode: 'inexistent_user',
    });
    const res = await support()
      .post(`/users/${encodeURIComponent(target.user_id)}/password-change-ticket`)
      .send({});
    expect([res.status, res.body.errorCode]).toEqual([404, 'user_not_found']);
    const line = stack.logs.find((l) => l.audit === true && l.action === 'reset_password' && l.target === target.user_id);
    expect(line).toMatchObject({ outcome: 'failed', reason: 'user_not_found' });
  });
});

describe('a desk action decides before it judges its input against configuration', () => {
  it('a caller without reset_password gets 403 for a ticket, whatever result_url it names, and an audit line', async () => {
    const target = seedTarget(stack.tenant, { org });
    const res = await viewer()
      .post(`/users/${encodeURIComponent(target.user_id)}/password-change-ticket`)
      .send({ result_url: 'https://phish.example/' });
    expect([res.status, res.body.errorCode]).toEqual([403, 'action_forbidden']);
  });

  it('support on a user outside its org gets 404, not result_url_not_allowed (existence is never confirmed)', async () => {
    const other = seedTarget(stack.tenant, { org: `${org}-other` });
    const res = await support()
      .post(`/users/${encodeURIComponent(other.user_id)}/password-change-ticket`)
      .send({ result_url: 'https://phish.example/' });
    expect([res.status, res.body.errorCode]).toEqual([404, 'user_not_found']);
  });

  it('a result_url outside TICKET_RESULT_URLS is refused on a user the caller may act on, before any ticket is made', async () => {
    const target = seedTarget(stack.tenant, { org });
    const before = stack.tenant.requestLog.filter((r) => r.operation === 'POST /tickets/password-change').length;
    const res = await support()
      .post(`/users/${encodeURIComponent(target.user_id)}/password-change-ticket`)
      .send({ result_url: 'https://phish.example/' });
    expect([res.status, res.body.errorCode]).toEqual([400, 'result_url_not_allowed']);
    expect(stack.tenant.requestLog.filter((r) => r.operation === 'POST /tickets/password-change')).toHaveLength(before);
  });
});

describe('ids', () => {
  it('capabilities answers an over-long user id as invalid_user_id, like every user route', async () => {
    const res = await admin().get(`/users/auth0|${'x'.repeat(600)}/capabilities`);
    expect([res.status, res.body.errorCode]).toEqual([400, 'invalid_user_id']);
  });
});

describe("Auth0's pass-through codes", () => {
  it('a listed code passes only on the status it is listed with; elsewhere it is upstream_rejected', () => {
    expect(auth0Refusal(409, 'auth0_idp_error', 'exists').code).toBe('auth0_idp_error');
    expect(auth0Refusal(400, 'auth0_idp_error', 'odd').code).toBe('upstream_rejected');
    expect(auth0Refusal(409, 'invalid_body', 'odd').code).toBe('upstream_rejected');
  });
});
