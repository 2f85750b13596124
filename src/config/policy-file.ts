import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ACTIONS, DESK_ACTIONS, LOG_FIELDS } from '../policy/fixed-fields';
import { FIELD_PATTERN } from '../policy/field-set';
import { compilePolicy, type Policy, type PolicyDocument } from '../policy/policy';
import { ConfigError } from './env';

const NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const patterns = z.array(z.string().regex(FIELD_PATTERN, 'is not a field pattern (a dot path such as app_metadata.org, or *)'));
const names = z.array(z.string().refine((n) => n === '*' || NAME.test(n), 'is not a name (letters, digits, _ . : -) or *'));

const roleSchema = z
  .object({
    can: z.array(z.enum(ACTIONS, { errorMap: () => ({ message: `is not an action (${ACTIONS.join(', ')})` }) })),
    read: patterns.optional(),
    write: patterns.optional(),
    grant: names.optional(),
    connections: names.optional(),
    scope: z.enum(['all', 'org'], { errorMap: () => ({ message: 'must be all or org' }) }).optional(),
    log_fields: z.array(z.enum(LOG_FIELDS, { errorMap: () => ({ message: `is not a log event field (${LOG_FIELDS.join(', ')})` }) })).optional(),
  })
  .strict();

const documentSchema = z
  .object({
    roles: z.record(z.string().regex(NAME, 'role names are letters, digits, _ . : -'), roleSchema),
    self: z
      .object({
        read: patterns.optional(),
        write: patterns.optional(),
        can: z.array(z.enum(DESK_ACTIONS, { errorMap: () => ({ message: `is not a desk action (${DESK_ACTIONS.join(', ')})` }) })).optional(),
      })
      .strict()
      .optional(),
    hidden: patterns.optional(),
  })
  .strict();

function describe(issue: z.ZodIssue): string {
  const [top, role, key, ...rest] = issue.path.map(String);
  const where =
    top === 'roles' && role !== undefined
      ? `role "${role}"${key ? `, ${key}` : ''}${rest.length ? `[${rest.join('.')}]` : ''}`
      : issue.path.join('.') || 'the file';
  if (issue.code === 'unrecognized_keys') return `${where}: unknown key(s) ${issue.keys.join(', ')}`;
  return `${where}: ${issue.message}`;
}

/** Validates a parsed policy document; throws a `ConfigError` naming the role and the problem. */
export function validatePolicyDocument(raw: unknown, source: string): PolicyDocument {
  const parsed = documentSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`Invalid policy file ${source}: ${describe(parsed.error.issues[0]!)}`);
  return parsed.data as PolicyDocument;
}

/** Loads, validates and compiles the policy file (ACL_FILE) at start-up. */
export function loadPolicyFile(file: string, paths: { orgPath: string; rolesPath: string }): Policy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`Invalid configuration: ACL_FILE cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}: ${file})`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 50, uniqueKeys: true });
  } catch (err) {
    throw new ConfigError(`Invalid policy file ${file}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  return compilePolicy(validatePolicyDocument(raw, file), paths);
}
