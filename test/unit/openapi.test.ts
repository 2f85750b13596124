import { openApiDocument } from '../../src/http/contract/document';
import type { Response } from 'supertest';
import { ERROR_STATUS } from '../../src/errors';
import { checkResponse } from '../helpers/openapi';

const answer = (status: number, body: unknown, type = 'application/json'): Response =>
  ({ status, body, text: body === undefined ? '' : JSON.stringify(body), headers: { 'content-type': type } }) as unknown as Response;
/** A /me/permissions answer with every key the document declares. */
const permissions = {
  sub: 'auth0|1',
  roles: ['support'],
  knownRoles: ['support'],
  org: 'acme',
  actions: ['list'],
  scope: { list: 'org' },
  read: ['user_id'],
  write: [],
  grant: [],
  connections: [],
  self: { read: ['user_id'], write: [], can: [] },
  log_fields: [],
  user_roles: { source: 'app_metadata', field: 'app_metadata.roles', read: false, change: false, grant: [] },
  org_member_roles: { read: false, change: false, grant: [] },
};
const error = (status: number, errorCode: string) => ({ statusCode: status, error: 'x', message: 'x', errorCode, requestId: 'r' });

describe('the contract and the error catalogue', () => {
  const document = JSON.stringify(openApiDocument());
  it.each(Object.keys(ERROR_STATUS))('catalogue code %s is an answer of at least one route in the document', (code) => {
    // As an errorCode value ("code") or in a response's description (`code`).
    expect({ code, named: document.includes(`"${code}"`) || document.includes(`\`${code}\``) }).toEqual({ code, named: true });
  });
});

describe('the response check of the integration suites', () => {
  it('accepts a described answer', () => {
    expect(() => checkResponse('get', '/me/permissions', answer(200, permissions))).not.toThrow();
    expect(() => checkResponse('get', '/users/auth0%7C1', answer(200, { user_id: 'auth0|1', email: 'a@b.example' }))).not.toThrow();
    expect(() => checkResponse('get', '/users?q=x', answer(403, error(403, 'field_not_readable')))).not.toThrow();
    expect(() => checkResponse('delete', '/users/auth0%7C1', answer(204, undefined, ''))).not.toThrow();
  });

  it.each([
    ['a status the operation does not list', 'get', '/me/permissions', answer(418, error(418, 'teapot'))],
    ['an errorCode not listed for the status', 'get', '/users', answer(403, error(403, 'org_forbidden'))],
    ['a body of the wrong shape', 'get', '/users/auth0%7C1', answer(200, { user_id: 42 })],
    [
      'an error body without requestId',
      'get',
      '/me',
      answer(404, { statusCode: 404, error: 'x', message: 'x', errorCode: 'user_not_found' }),
    ],
    ['an undescribed path answered other than 404 route_not_found', 'get', '/nowhere', answer(200, {})],
    ['an undescribed method answered other than 405', 'put', '/users', answer(200, {})],
    ['a body where the document lists none', 'delete', '/users/auth0%7C1', answer(204, { ok: true })],
    ["a key usergate's own object does not declare", 'get', '/me/permissions', answer(200, { ...permissions, surprise: true })],
    [
      "a key inside usergate's own object that is not declared",
      'get',
      '/me/permissions',
      answer(200, { ...permissions, self: { ...permissions.self, extra: [] } }),
    ],
    ['a key the error body does not declare', 'get', '/me', answer(404, { ...error(404, 'user_not_found'), detail: 'x' })],
  ])('refuses %s', (_why, method, path, res) => {
    expect(() => checkResponse(method, path, res)).toThrow();
  });
});
