import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';
import { openApiDocument } from '../../src/http/contract/document';

/**
 * Checks an answer usergate gave against its own OpenAPI document (GET /openapi.json): the path and
 * method must be described (else the answer must be the documented 404 route_not_found or 405
 * method_not_allowed), the status must be one the operation lists, and the body must match its schema.
 * The integration suites run every response through this (test/helpers/stack.ts), so an answer the
 * document does not describe fails a test.
 */
interface Operation {
  responses: Record<string, { content?: Record<string, unknown> }>;
}
type Document = { paths: Record<string, Record<string, Operation>> };

const doc = openApiDocument() as unknown as Document;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(doc as object, 'usergate');

const templates = Object.keys(doc.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

const pointer = (...parts: string[]): string => parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
const compiled = new Map<string, ValidateFunction>();
function validator(ref: string): ValidateFunction {
  let fn = compiled.get(ref);
  if (!fn) {
    fn = ajv.compile({ $ref: `usergate#/${ref}` });
    compiled.set(ref, fn);
  }
  return fn;
}

function fail(method: string, path: string, res: Response, why: string): never {
  throw new Error(`${method.toUpperCase()} ${path} -> ${res.status}: ${why}\nbody: ${JSON.stringify(res.body).slice(0, 800)}`);
}

function checkBody(method: string, path: string, res: Response, ref: string): void {
  const check = validator(ref);
  if (!check(res.body))
    fail(method, path, res, `the body does not match the document: ${ajv.errorsText(check.errors, { separator: '; ' })}`);
}

/** Throws, naming what is wrong, when `res` is not an answer the document describes. */
export function checkResponse(methodName: string, url: string, res: Response): void {
  const method = methodName.toLowerCase();
  // As sent, not normalised: /users/%2e%2e reaches usergate as such.
  const path = url.startsWith('/') ? url.split(/[?#]/)[0]! : new URL(url).pathname;
  const match = templates.find((t) => t.pattern.test(path));
  const isError = (code: string) => (res.body as { errorCode?: unknown })?.errorCode === code;
  if (!match) {
    if (method === 'options' && res.status === 204) return; // a CORS preflight (see README: CORS_ORIGINS)
    // The console's own static files (scripts, styles), described as a whole by /console/.
    if (method === 'get' && path.startsWith('/console/assets/') && res.status === 200) return;
    if (res.status !== 404 || !isError('route_not_found'))
      fail(method, path, res, 'no such path in the document, and not a 404 route_not_found');
    return checkBody(method, path, res, 'components/schemas/Error');
  }
  const operation = doc.paths[match.template]![method === 'head' ? 'get' : method];
  if (!operation) {
    if (method === 'options' && res.status === 204) return;
    // The token is checked before the method: another method on an authenticated path may meet its 401 first.
    const unauthorized = Object.entries(doc.paths[match.template]!).find(([, op]) => op.responses['401'])?.[0];
    if (res.status === 401 && unauthorized) {
      return checkBody(
        method,
        path,
        res,
        pointer('paths', match.template, unauthorized, 'responses', '401', 'content', 'application/json', 'schema'),
      );
    }
    if (res.status !== 405 || !isError('method_not_allowed'))
      fail(
        method,
        path,
        res,
        `${method.toUpperCase()} is not in the document for ${match.template}, and the answer is not a 405 method_not_allowed`,
      );
    return checkBody(method, path, res, 'components/schemas/Error');
  }
  const response = operation.responses[String(res.status)];
  if (!response)
    fail(
      method,
      path,
      res,
      `status ${res.status} is not listed for ${method.toUpperCase()} ${match.template} (listed: ${Object.keys(operation.responses).join(', ')})`,
    );
  if (method === 'head') return;
  if (!response.content) {
    if (res.text) fail(method, path, res, 'the document lists no body for this status, but one was sent');
    return;
  }
  const type = String(res.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim();
  if (!(type in response.content))
    fail(method, path, res, `content type "${type}" is not listed (listed: ${Object.keys(response.content).join(', ')})`);
  if (type === 'application/json')
    checkBody(method, path, res, pointer('paths', match.template, method, 'responses', String(res.status), 'content', type, 'schema'));
}

type Method = 'get' | 'post' | 'patch' | 'delete' | 'put' | 'options' | 'head';
const METHODS: Method[] = ['get', 'post', 'patch', 'delete', 'put', 'options', 'head'];

/** A supertest agent whose every answer is checked against the document before the test sees it. */
export function validatingAgent(agent: import('supertest').Agent | ReturnType<typeof import('supertest')>) {
  const wrap = (method: Method) => (path: string) => agent[method](path).expect((res: Response) => checkResponse(method, path, res));
  return Object.fromEntries(METHODS.map((m) => [m, wrap(m)])) as { [M in Method]: ReturnType<typeof wrap> };
}
