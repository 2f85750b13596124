import { DEMO_USERS } from '../../dev-tenant';
import { startStack, type Stack } from '../helpers/stack';

describe("usergate's request ids, bounded audit lines, and search whitespace", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.stop());

  const audits = () => stack.logs.filter((l) => l.audit === true);

  it("a caller-chosen x-request-id is never an audit line's id: it is logged as client_request_id", async () => {
    const chosen = `chosen-${Math.random().toString(36).slice(2)}`;
    const res = await stack
      .as(stack.tokenFor(DEMO_USERS.viewer))
      .patch(`/users/${encodeURIComponent(DEMO_USERS.support)}`)
      .set('x-request-id', chosen)
      .send({ blocked: true });
    expect(res.status).toBe(403);
    const own = res.headers['x-request-id'] as string;
    expect(own).not.toBe(chosen);
    expect(audits().some((a) => a.requestId === chosen)).toBe(false);
    expect(audits().filter((a) => a.requestId === own)).toHaveLength(1);
    const completed = stack.logs.find((l) => (l.req as { id?: string } | undefined)?.id === own);
    expect(completed).toEqual(expect.objectContaining({ requestId: own, client_request_id: chosen }));
  });

  it('a refused write of 3,000 keys makes one audit line under 4 KB, naming the first 20 keys and the count', async () => {
    const body = { user_metadata: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}_${'x'.repeat(8)}`, i])) };
    const res = await stack
      .as(stack.tokenFor(DEMO_USERS.viewer))
      .patch(`/users/${encodeURIComponent(DEMO_USERS.support)}`)
      .send(body);
    expect(res.status).toBe(403);
    const line = audits().find((a) => a.requestId === res.headers['x-request-id'])!;
    expect(line).toEqual(expect.objectContaining({ outcome: 'denied', fields_count: 3000 }));
    expect(line.fields).toHaveLength(20);
    expect(Buffer.byteLength(JSON.stringify(line))).toBeLessThan(4096);
  });

  it.each([
    ['name:x\u3000OR\u3000ada*', 'U+3000'],
    ['name:x\u00a0OR\u00a0ada*', 'U+00A0'],
    ['name:x\u2003ada*', 'U+2003'],
    ['name:x\u000bada*', 'U+000B'],
  ])('q=%j (whitespace Auth0 splits on) is 400 invalid_search naming %s', async (q, named) => {
    const res = await stack.as(stack.tokenFor(DEMO_USERS.admin)).get(`/users?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(400);
    expect(res.body.errorCode).toBe('invalid_search');
    expect(res.body.message).toContain(named);
  });

  it('inside a quoted phrase such whitespace is content: the query goes upstream with it', async () => {
    const res = await stack.as(stack.tokenFor(DEMO_USERS.admin)).get(`/users?q=${encodeURIComponent('name:"x\u3000y"')}`);
    expect(res.status).toBe(200);
    expect(String(stack.tenant.requestLog.at(-1)!.query.q)).toContain('x\u3000y');
  });
});
