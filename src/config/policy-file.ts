import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ACTIONS, DESK_ACTIONS, LOG_FIELDS } from '../policy/fixed-fields';
import { FIELD_PATTERN } from '../policy/field-set';
import { directoryFor, type DirectorySettings } from '../directory';
import { compilePolicy, type Policy, type PolicyDocument } from '../policy/policy';
import { isRoleName, ROLE_NAME_RULE } from '../policy/role-name';
import { ConfigError } from './env';

const NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const patterns = z.array(z.string().regex(FIELD_PATTERN, 'is not a field pattern (a dot path such as app_metadata.org, or *)'));
const names = z.array(z.string().refine((n) => n === '*' || NAME.test(n), 'is not a name (letters, digits, _ . : -) or *'));
/** Grants name roles: any Auth0 role name (policy/role-name.ts), or `*`. */
const roleNames = z.array(z.string().refine((n) => n === '*' || isRoleName(n), `is not a role name (${ROLE_NAME_RULE}) or *`));

const roleSchema = z
  .object({
    can: z.array(z.enum(ACTIONS, { errorMap: () => ({ message: `is not an action (${ACTIONS.join(', ')})` }) })),
    read: patterns.optional(),
    write: patterns.optional(),
    grant: roleNames.optional(),
    connections: names.optional(),
    scope: z.enum(['all', 'org'], { errorMap: () => ({ message: 'must be all or org' }) }).optional(),
    log_fields: z
      .array(z.enum(LOG_FIELDS, { errorMap: () => ({ message: `is not a log event field (${LOG_FIELDS.join(', ')})` }) }))
      .optional(),
  })
  .strict();

const ROLE_NAME_MESSAGE = `is not a role name (${ROLE_NAME_RULE})`;

const documentSchema = z
  .object({
    roles: z.record(z.string().refine(isRoleName, ROLE_NAME_MESSAGE), roleSchema),
    self: z
      .object({
        read: patterns.optional(),
        write: patterns.optional(),
        can: z
          .array(z.enum(DESK_ACTIONS, { errorMap: () => ({ message: `is not a desk action (${DESK_ACTIONS.join(', ')})` }) }))
          .optional(),
      })
      .strict()
      .optional(),
    hidden: patterns.optional(),
  })
  .strict();

/** `roles.boss.can[1]`: where a value is in the file. */
function placeOf(path: (string | number)[]): string {
  if (path.length === 0) return 'the file';
  return path.map((step, i) => (typeof step === 'number' ? `[${step}]` : `${i === 0 ? '' : '.'}${step}`)).join('');
}

function valueAt(raw: unknown, path: (string | number)[]): unknown {
  let value = raw;
  for (const step of path) {
    if (!value || typeof value !== 'object' || !Object.hasOwn(value, step)) return undefined;
    value = (value as Record<string | number, unknown>)[step];
  }
  return value;
}

/** A value as the message shows it: JSON, cut short. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** One line naming the place, the offending value and the problem: `roles.boss.can[1]: "fly" is not an action (...)`. */
function describe(issue: z.ZodIssue, raw: unknown): string {
  const place = placeOf(issue.path);
  if (issue.code === 'unrecognized_keys') return `${place}: unknown key(s) ${issue.keys.join(', ')}`;
  if (issue.message === ROLE_NAME_MESSAGE) return `${place}: ${shown(issue.path.at(-1))} ${issue.message}`;
  const value = valueAt(raw, issue.path);
  if (value === undefined) return `${place}: is required`;
  if (issue.code === 'invalid_type')
    return `${place}: ${shown(value)} is not ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
  return `${place}: ${shown(value)} ${issue.message}`;
}

/** The roles a raw (perhaps invalid) document defines, and each role's `grant` and `scope` where readable. */
function rolesOf(raw: unknown): Map<string, { grant: unknown[]; scope: unknown }> {
  const out = new Map<string, { grant: unknown[]; scope: unknown }>();
  const roles = raw && typeof raw === 'object' ? (raw as Record<string, unknown>).roles : undefined;
  if (!roles || typeof roles !== 'object' || Array.isArray(roles)) return out;
  for (const [name, role] of Object.entries(roles)) {
    const r = role && typeof role === 'object' ? (role as Record<string, unknown>) : {};
    out.set(name, { grant: Array.isArray(r.grant) ? r.grant : [], scope: r.scope });
  }
  return out;
}

/**
 * Grants name roles the file defines (or `*`), and never reach beyond the grantor: a `scope: org` role
 * may grant only roles that are `scope: org` themselves (not `*`), or its grants would mint accounts that
 * reach every org. Read from the raw document, so these problems are named together with the schema's.
 */
function grantProblems(raw: unknown): string[] {
  const roles = rolesOf(raw);
  const defined = [...roles.keys()].sort();
  const problems: string[] = [];
  for (const [name, role] of roles) {
    role.grant.forEach((granted, i) => {
      if (typeof granted !== 'string') return;
      const place = `roles.${name}.grant[${i}]`;
      if (role.scope === 'org') {
        const why =
          granted === '*'
            ? 'grants every role'
            : !roles.has(granted)
              ? `grants role "${granted}", which the file does not define`
              : roles.get(granted)!.scope !== 'org'
                ? `grants role "${granted}", whose scope is all`
                : undefined;
        if (why) problems.push(`${place}: role "${name}" has scope org but ${why}; a scope: org role may grant only scope: org roles`);
      } else if (granted !== '*' && !roles.has(granted)) {
        problems.push(`${place}: ${shown(granted)} is not a role the file defines (${defined.join(', ')})`);
      }
    });
  }
  return problems;
}

/** A policy file with problems: `policyProblems` names each, with its place and value; the message holds them all. */
export class PolicyFileError extends ConfigError {
  override name = 'PolicyFileError';
  constructor(
    readonly source: string,
    readonly policyProblems: string[],
  ) {
    super(
      policyProblems.length === 1
        ? `Invalid policy file ${source}: ${policyProblems[0]}`
        : `Invalid policy file ${source}: ${policyProblems.length} problems:\n${policyProblems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

/** Every problem of a parsed policy document, each naming its place (role), value and what is wrong; none when valid. */
export function policyProblems(raw: unknown): string[] {
  const parsed = documentSchema.safeParse(raw);
  const schema = parsed.success ? [] : parsed.error.issues.map((issue) => describe(issue, raw));
  return [...new Set([...schema, ...grantProblems(raw)])];
}

/** Validates a parsed policy document; throws a `PolicyFileError` (a `ConfigError`) naming every problem. */
export function validatePolicyDocument(raw: unknown, source: string): PolicyDocument {
  const problems = policyProblems(raw);
  if (problems.length > 0) throw new PolicyFileError(source, problems);
  return documentSchema.parse(raw) as PolicyDocument;
}

/** A policy read from a file: compiled, with the short hash of the file's bytes that names this version. */
export interface LoadedPolicy {
  policy: Policy;
  version: string;
  file: string;
}

/** The version of a policy file: the first 12 hex digits of the SHA-256 of its bytes. */
export function policyVersion(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 12);
}

/** Reads, parses, validates and compiles a policy file; throws a `ConfigError` naming every problem. */
export function readPolicyFile(file: string, roles: DirectorySettings): LoadedPolicy {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new ConfigError(`Invalid configuration: ACL_FILE cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}: ${file})`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(bytes.toString('utf8'), { maxAliasCount: 50, uniqueKeys: true });
  } catch (err) {
    throw new PolicyFileError(file, [`not valid YAML (${(err as Error).message.split('\n')[0]})`]);
  }
  return { policy: compilePolicy(validatePolicyDocument(raw, file), directoryFor(roles)), version: policyVersion(bytes), file };
}

/** Loads, validates and compiles the policy file (ACL_FILE) at start-up. */
export function loadPolicyFile(file: string, roles: DirectorySettings): Policy {
  return readPolicyFile(file, roles).policy;
}
