import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ACTIONS, DESK_ACTIONS, LOG_FIELDS } from '../policy/fixed-fields';
import { FIELD_PATTERN } from '../policy/field-set';
import { directoryFor, type DirectorySettings } from '../directory';
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
    log_fields: z
      .array(z.enum(LOG_FIELDS, { errorMap: () => ({ message: `is not a log event field (${LOG_FIELDS.join(', ')})` }) }))
      .optional(),
  })
  .strict();

const ROLE_NAME_MESSAGE = 'is not a role name (letters, digits, _ . : -)';

const documentSchema = z
  .object({
    roles: z.record(z.string().regex(NAME, ROLE_NAME_MESSAGE), roleSchema),
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

/**
 * Grants never reach beyond the grantor: a `scope: org` role may grant only roles that are `scope: org`
 * themselves (not `*`, not a role the file does not define), or its grants would mint accounts that
 * reach every org.
 */
function checkGrantScopes(doc: PolicyDocument, source: string): void {
  for (const [name, role] of Object.entries(doc.roles)) {
    if (role.scope !== 'org') continue;
    (role.grant ?? []).forEach((granted, i) => {
      const place = `roles.${name}.grant[${i}]`;
      const why =
        granted === '*'
          ? 'grants every role'
          : !Object.hasOwn(doc.roles, granted)
            ? `grants role "${granted}", which the file does not define`
            : doc.roles[granted]!.scope !== 'org'
              ? `grants role "${granted}", whose scope is all`
              : undefined;
      if (why) {
        throw new ConfigError(
          `Invalid policy file ${source}: ${place}: role "${name}" has scope org but ${why}; ` +
            'a scope: org role may grant only scope: org roles',
        );
      }
    });
  }
}

/** Validates a parsed policy document; throws a `ConfigError` naming the place, the value and the problem. */
export function validatePolicyDocument(raw: unknown, source: string): PolicyDocument {
  const parsed = documentSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`Invalid policy file ${source}: ${describe(parsed.error.issues[0]!, raw)}`);
  const doc = parsed.data as PolicyDocument;
  checkGrantScopes(doc, source);
  return doc;
}

/** Loads, validates and compiles the policy file (ACL_FILE) at start-up. */
export function loadPolicyFile(file: string, roles: DirectorySettings): Policy {
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
  return compilePolicy(validatePolicyDocument(raw, file), directoryFor(roles));
}
