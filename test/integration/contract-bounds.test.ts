import { openApiDocument } from '../../src/http/contract/document';
import { startStack, type Stack } from '../helpers/stack';
import { seedTarget } from '../helpers/targets';

/**
 * Every numeric and length bound the OpenAPI document states is the bound enforced, over HTTP: for each
 * bound of a parameter or a body field (generated from the document, so a new bound is tested the day
 * it is written), a value at the bound passes validation and one past it is refused with 400 before
 * anything reaches Auth0. "Passes validation" means: the request went on to the policy or upstream
 * (whatever they then answered), never a 400 of usergate's input checks, never a 5xx.
 */
const VALIDATION_CODES = [
  'invalid_query',
  'invalid_body',
  'invalid_search',
  'invalid_paging',
  'invalid_user_id',
  'invalid_path',
  'invalid_org_id',
  'invalid_invitation_id',
];
const ROLES_CLAIM = 'https://usergate.dev/roles';
/** A policy of its own: one role that may do everything, so only input checks can refuse. */
const POLICY = {
  roles: {
    everything: {
      can: [
        'list',
        'read',
        'create',
        'update',
        'delete',
        'reset_password',
        'send_verification',
        'unblock',
        'reset_mfa',
        'logout',
        'read_logs',
        'list_members',
        'remove_member',
        'invite',
        'revoke_invitation',
      ],
      read: ['*'],
      write: ['*'],
      grant: ['*'],
      connections: ['*'],
      log_fields: ['date', 'type'],
    },
  },
  self: { read: ['user_id'], write: [] },
};

/** Query parameters of one route that may not be sent together: each group with no parameter of the others. */
const EXCLUSIVE = [
  ['from', 'take'],
  ['page', 'per_page', 'include_totals'],
];

interface Schema {
  type?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  example?: unknown;
  properties?: Record<string, Schema>;
  $ref?: string;
}
interface Parameter {
  name: string;
  in: 'path' | 'query';
  required?: boolean;
  schema: Schema;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: { 'application/json': { schema: Schema } } };
}
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

const doc = openApiDocument() as unknown as Doc;
const resolve = (schema: Schema): Schema => (schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()!]! : schema);

/** A string of exactly `length` characters that is otherwise valid for the field it is written into. */
function text(name: string, schema: Schema, length: number): string {
  const pad = (prefix: string, suffix = '') => prefix + 'a'.repeat(Math.max(0, length - prefix.length - suffix.length)) + suffix;
  if (schema.format === 'uri') return pad('https://app.example/');
  if (name === 'id' || name === 'user_id') return pad('auth0|');
  if (name === 'org_id') return pad('org_');
  if (name === 'invitation_id') return pad('uinv_');
  if (name === 'email') return pad('', '@acme.example');
  // Spaces around one readable name: the list and the search both trim them.
  if (name === 'fields') return 'user_id' + ' '.repeat(Math.max(0, length - 7));
  if (name === 'q') return 'name:a' + ' '.repeat(Math.max(0, length - 6));
  return 'a'.repeat(length);
}

interface Case {
  name: string;
  method: string;
  /** Path with `{id}` still in it. */
  path: string;
  where: 'path' | 'query' | 'body';
  field: string;
  value: unknown;
  /** The other integer parameters, at their lower bounds, so that a cap across them does not interfere. */
  companions: Record<string, string>;
  required: Record<string, string>;
  /** The body's documented example (a valid body), which a body case changes in one field. */
  body: Record<string, unknown>;
}

function casesOf(): { atBound: Case[]; pastBound: Case[] } {
  const atBound: Case[] = [];
  const pastBound: Case[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      const integers = params.filter((p) => p.in === 'query' && p.schema.type === 'integer' && p.schema.minimum !== undefined);
      const required = Object.fromEntries(
        params
          .filter((p) => p.in === 'query' && p.required)
          .map((p) => [p.name, typeof p.schema.example === 'string' ? p.schema.example : text(p.name, p.schema, p.schema.minLength ?? 1)]),
      );
      const bodySchema = op.requestBody?.content['application/json']?.schema;
      const example = (bodySchema ? resolve(bodySchema).example : undefined) as Record<string, unknown> | undefined;
      const add = (where: Case['where'], field: string, schema: Schema, bound: string, at: unknown, past: unknown) => {
        // Parameters that exclude each other (a members list's checkpoint and offset paging) are no companions.
        const group = EXCLUSIVE.find((g) => g.includes(field));
        const companions = Object.fromEntries(
          integers
            .filter((p) => p.name !== field && !EXCLUSIVE.some((g) => g !== group && group !== undefined && g.includes(p.name)))
            .map((p) => [p.name, String(p.schema.minimum)]),
        );
        const base = { method, path, where, field, companions: where === 'query' ? companions : {}, required, body: example ?? {} };
        atBound.push({ ...base, name: `${method.toUpperCase()} ${path} ${where} ${field} at its ${bound}`, value: at });
        pastBound.push({ ...base, name: `${method.toUpperCase()} ${path} ${where} ${field} past its ${bound}`, value: past });
      };
      const bounds = (where: Case['where'], name: string, schema: Schema, asText: boolean) => {
        const show = (n: number) => (asText ? String(n) : n);
        if (schema.maximum !== undefined)
          add(where, name, schema, `maximum ${schema.maximum}`, show(schema.maximum), show(schema.maximum + 1));
        if (schema.minimum !== undefined)
          add(where, name, schema, `minimum ${schema.minimum}`, show(schema.minimum), show(schema.minimum - 1));
        if (schema.maxLength !== undefined)
          add(
            where,
            name,
            schema,
            `maxLength ${schema.maxLength}`,
            text(name, schema, schema.maxLength),
            text(name, schema, schema.maxLength + 1),
          );
        // An empty path segment is another route; an empty value is the only thing below a minLength of 1.
        if (schema.minLength !== undefined && where !== 'path')
          add(
            where,
            name,
            schema,
            `minLength ${schema.minLength}`,
            text(name, schema, schema.minLength),
            text(name, schema, schema.minLength - 1),
          );
      };
      for (const p of params) bounds(p.in, p.name, p.schema, true);
      for (const [name, schema] of Object.entries(bodySchema ? (resolve(bodySchema).properties ?? {}) : {}))
        bounds('body', name, schema, false);
    }
  }
  return { atBound, pastBound };
}

const { atBound, pastBound } = casesOf();

describe('every documented bound is the bound enforced (generated from the contract, over HTTP)', () => {
  let stack: Stack;
  let token: string;
  let target: string;
  beforeAll(async () => {
    // An Enterprise tenant, so that every desk route (the session list included) is offered.
    stack = await startStack({
      policy: POLICY,
      env: { ROLES_SOURCE: 'claim', CLAIM_BLOCKED_CHECK: 'false', AUTH0_PLAN: 'enterprise', INVITATION_CLIENT_ID: 'bounds-app' },
      tenant: { plan: 'enterprise' },
    });
    token = stack.tokenFor('auth0|bounds-caller', { claims: { [ROLES_CLAIM]: ['everything'] } });
    target = seedTarget(stack.tenant).user_id;
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('the document served is the one the cases come from, and it states bounds to test', async () => {
    expect((await stack.http.get('/openapi.json')).body).toEqual(JSON.parse(JSON.stringify(doc)));
    expect(atBound.length).toBeGreaterThan(20);
  });

  async function send(c: Case) {
    // Each path parameter well-formed (the user one the seeded target), but the one at or past its bound.
    const defaults: Record<string, string> = { id: target, user_id: target, org_id: 'org_bounds0org', invitation_id: 'uinv_bounds0inv' };
    const query = new URLSearchParams({ ...c.required, ...c.companions, ...(c.where === 'query' ? { [c.field]: String(c.value) } : {}) });
    const path = c.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
      encodeURIComponent(c.where === 'path' && c.field === name ? String(c.value) : defaults[name]!),
    );
    const url = `${path}${query.size > 0 ? `?${query.toString()}` : ''}`;
    const before = stack.tenant.requestLog.length;
    const agent = stack.as(token)[c.method as 'get' | 'post' | 'patch' | 'delete'](url);
    // A DELETE sends a body only where its route takes one (DELETE /users/{id}/roles, member roles).
    const res =
      c.method === 'get' || (c.method === 'delete' && Object.keys(c.body).length === 0)
        ? await agent
        : await agent.send(c.where === 'body' ? { ...c.body, [c.field]: c.value } : c.body);
    return { res, forwarded: stack.tenant.requestLog.length > before };
  }

  it.each(atBound.map((c) => [c.name, c]))('%s passes validation', async (_name, c) => {
    const { res, forwarded } = await send(c);
    const refusedAsInput = res.status === 400 && VALIDATION_CODES.includes(res.body.errorCode as string) && !forwarded;
    expect({ status: res.status, errorCode: res.body.errorCode, refusedAsInput }).toEqual(
      expect.objectContaining({ refusedAsInput: false }),
    );
    // This suite runs with ROLES_SOURCE=claim, where the roles routes are 501 by design (a claim cannot be written).
    if (!(c.path === '/users/{id}/roles' && res.body.errorCode === 'not_configured')) expect(res.status).toBeLessThan(500);
  });

  it.each(pastBound.map((c) => [c.name, c]))('%s is 400 before anything is forwarded', async (_name, c) => {
    const { res, forwarded } = await send(c);
    expect({ status: res.status, validation: VALIDATION_CODES.includes(res.body.errorCode as string), forwarded }).toEqual({
      status: 400,
      validation: true,
      forwarded: false,
    });
  });
});
