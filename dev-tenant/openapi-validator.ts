import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import spec from './management-api-users.openapi.json';
import { ORGANIZATION_NAME } from './organizations';
import { isUserId } from './user-id-format';

/** The official OpenAPI document of the users endpoints, as published by Auth0 (source: docs/auth0-contract.md). */
export const OPENAPI_SPEC = spec as unknown as OpenApiDocument;

interface OpenApiParameter {
  in: string;
  name: string;
  required?: boolean;
  schema: Record<string, unknown> & { type?: string | string[] };
}
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, unknown> };
}

const ANSWERS_ID = 'https://auth0.invalid/answers.json';

export type ValidationResult = { ok: true } | { ok: false; message: string; errorCode: string };

interface CompiledOperation {
  params: OpenApiParameter[];
  query: ValidateFunction;
  body?: ValidateFunction;
  scopes: string[];
}

function describe(errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (!first) return 'invalid';
  if (first.keyword === 'additionalProperties') {
    return `Additional properties not allowed: ${String((first.params as { additionalProperty: string }).additionalProperty)}`;
  }
  if (first.keyword === 'required') {
    return `Missing required property: ${String((first.params as { missingProperty: string }).missingProperty)}`;
  }
  const where = first.instancePath ? ` on property ${first.instancePath.slice(1).replace(/\//g, '.')}` : '';
  return `${first.message ?? 'invalid'}${where}`;
}

/**
 * Checks each request against the operation's parameters and body schema, so that a request Auth0
 * would reject with 400 is rejected here too.
 */
export class OpenApiValidator {
  private readonly operations = new Map<string, CompiledOperation>();
  private readonly answers = new Map<string, ValidateFunction>();
  private readonly ajv: Ajv2020;

  constructor(private readonly doc: OpenApiDocument = OPENAPI_SPEC) {
    // unicodeRegExp off: the document's patterns use escapes such as `\:` that the u flag rejects.
    const ajv = new Ajv2020({ strict: false, allErrors: false, unicodeRegExp: false });
    this.ajv = ajv;
    addFormats(ajv);
    // The document's non-standard formats: absolute http(s) URLs, Auth0 ids and names.
    ajv.addFormat('strict-uri', (value: string) => /^https?:\/\/[^\s]+$/i.test(value));
    ajv.addFormat('strict-https-uri-or-null', (value: string) => /^https:\/\/[^\s]+$/i.test(value));
    ajv.addFormat('strict-https-uri', (value: string) => /^https:\/\/[^\s]+$/i.test(value));
    ajv.addFormat('url', (value: string) => /^https?:\/\/[^\s]+$/i.test(value));
    ajv.addFormat('html-color', /^#[0-9a-fA-F]{3,8}$/);
    ajv.addFormat('user-id', (value: string) => isUserId(value));
    ajv.addFormat('user-id-with-max-length', (value: string) => isUserId(value));
    // Auth0's rule for an organization's name (lowercase letters, digits, `-`, `_`).
    ajv.addFormat('organization-name', ORGANIZATION_NAME);
    for (const name of ['client-id', 'organization-id', 'authenticator-id', 'connection-id', 'role-id', 'ticket-id', 'user-invitation-id'])
      ajv.addFormat(name, /^\S+$/);
    ajv.addSchema({ $id: 'https://auth0.invalid/openapi.json', components: doc.components });
    // Answers: the document's list shapes are `oneOf` alternatives that overlap (a last checkpoint page
    // `{members}` fits the offset shape too), so a real answer matches several; checked as `anyOf`.
    ajv.addSchema({ $id: ANSWERS_ID, components: JSON.parse(JSON.stringify(doc.components).replace(/"oneOf":/g, '"anyOf":')) as unknown });
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const params = (op.parameters ?? []).filter((p) => p.in === 'query');
        const query = ajv.compile({
          type: 'object',
          properties: Object.fromEntries(params.map((p) => [p.name, this.rebase(p.schema)])),
          required: params.filter((p) => p.required).map((p) => p.name),
          additionalProperties: false,
        });
        const bodySchema = op.requestBody?.content['application/json']?.schema;
        const body = bodySchema ? ajv.compile(this.rebase(bodySchema)) : undefined;
        const scopes = (op.security ?? []).flatMap((s) => s.oAuth2ClientCredentials ?? []);
        this.operations.set(`${method.toUpperCase()} ${path}`, { params, query, body, scopes });
      }
    }
  }

  /**
   * The scopes an operation accepts, any one of them (its `security`, OAuth2 client credentials);
   * undefined for an operation the document does not have.
   */
  scopesFor(method: string, path: string): readonly string[] | undefined {
    return this.operations.get(`${method} ${path}`)?.scopes;
  }

  /**
   * Checks an answer's body against the schema the document gives the operation's status (for a 2xx the
   * document does not list, its listed 2xx: it says 200 where Auth0 answers 201 to some creations).
   * A test's check that the tenant answers in Auth0's shapes.
   */
  validateAnswer(method: string, path: string, status: number, body: unknown): ValidationResult {
    const responses = this.doc.paths[path]?.[method.toLowerCase()]?.responses;
    if (!responses) return { ok: false, message: `No operation ${method} ${path}`, errorCode: 'invalid_uri' };
    const code = responses[String(status)]
      ? String(status)
      : status < 300
        ? Object.keys(responses).find((c) => c.startsWith('2'))
        : undefined;
    const schema = code ? responses[code]?.content?.['application/json']?.schema : undefined;
    if (!schema) return { ok: true };
    const key = `${method} ${path} ${code}`;
    let check = this.answers.get(key);
    if (!check) {
      check = this.ajv.compile(this.rebase(JSON.parse(JSON.stringify(schema).replace(/"oneOf":/g, '"anyOf":')), ANSWERS_ID));
      this.answers.set(key, check);
    }
    return check(body)
      ? { ok: true }
      : { ok: false, message: `Answer validation error: '${describe(check.errors)}'.`, errorCode: 'invalid_answer' };
  }

  /** Points the document's local `$ref`s at the registered components. */
  private rebase(schema: unknown, id = 'https://auth0.invalid/openapi.json'): Record<string, unknown> {
    return JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, `"${id}#/components/`)) as Record<string, unknown>;
  }

  validate(method: string, path: string, rawQuery: Record<string, unknown>, body?: unknown): ValidationResult {
    const op = this.operations.get(`${method} ${path}`);
    if (!op) return { ok: false, message: `No operation ${method} ${path}`, errorCode: 'invalid_uri' };
    const query: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(rawQuery)) {
      const param = op.params.find((p) => p.name === name);
      query[name] = param && typeof value === 'string' ? coerce(value, param.schema.type) : value;
    }
    if (!op.query(query)) {
      return { ok: false, message: `Query validation error: '${describe(op.query.errors)}'.`, errorCode: 'invalid_query_string' };
    }
    if (op.body && !op.body(body)) {
      return { ok: false, message: `Payload validation error: '${describe(op.body.errors)}'.`, errorCode: 'invalid_body' };
    }
    return { ok: true };
  }
}

function coerce(value: string, type: string | string[] | undefined): unknown {
  if (type === 'integer' && /^-?\d+$/.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}
