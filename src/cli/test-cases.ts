import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ACTIONS } from '../policy/fixed-fields';
import type { DescribedCase } from './decision-adapter';

/** One expectation of a test file: a described case, and the verdict it must get. */
export interface PolicyCase extends DescribedCase {
  name: string;
  expect: 'allow' | 'deny';
  errorCode?: string;
}

const name = z.string().min(1).max(256);
const roleList = z.array(name).max(100);

/** Actions without a target user, actions that take a body, and actions whose body is optional (an invitation's roles). */
const WITHOUT_TARGET = new Set<string>(['list', 'create']);
const WITH_BODY = new Set<string>(['create', 'update']);
const OPTIONAL_BODY = new Set<string>(['invite']);

const caseSchema = z
  .object({
    name,
    caller: z
      .object({
        roles: roleList,
        member_roles: roleList.optional(),
        org: name.optional(),
        sub: name.optional(),
        blocked: z.boolean().optional(),
      })
      .strict(),
    target: z
      .object({
        roles: roleList.optional(),
        org: name.optional(),
        connection: name.optional(),
        sub: name.optional(),
        provider: name.optional(),
      })
      .strict()
      .optional(),
    query: z.record(z.string().max(4000)).optional(),
    action: z.enum(ACTIONS, { errorMap: () => ({ message: `is not an action (${ACTIONS.join(', ')})` }) }),
    body: z.record(z.unknown()).optional(),
    expect: z.enum(['allow', 'deny'], { errorMap: () => ({ message: 'must be allow or deny' }) }),
    errorCode: z
      .string()
      .regex(/^[a-z0-9_]{1,64}$/, 'is not an error code')
      .optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    if (c.expect === 'allow' && c.errorCode !== undefined) problem('errorCode', 'goes only with expect: deny');
    if (WITHOUT_TARGET.has(c.action) && c.target !== undefined) problem('target', `is not used by ${c.action} (it has no target user)`);
    if (WITH_BODY.has(c.action) && c.body === undefined) problem('body', `is required for ${c.action}`);
    if (!WITH_BODY.has(c.action) && !OPTIONAL_BODY.has(c.action) && c.body !== undefined) problem('body', `is not used by ${c.action}`);
    if (c.action !== 'list' && c.query !== undefined) problem('query', 'is used by list only');
  });

const fileSchema = z.object({ cases: z.array(z.unknown()).min(1, 'must hold at least one case') }).strict();

/** A test file that cannot be run: every problem, each with the case (number and name) and the place. */
export class CasesFileError extends Error {
  override name = 'CasesFileError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(
      `Invalid test file ${file}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`}`,
    );
  }
}

const place = (path: (string | number)[]): string =>
  path.map((step, i) => (typeof step === 'number' ? `[${step}]` : `${i === 0 ? '' : '.'}${step}`)).join('') || 'the case';

/** Reads and checks a test file; throws a `CasesFileError` naming every problem (no case runs from a half-valid file). */
export function readCases(file: string): PolicyCase[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CasesFileError(file, [`cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 50, uniqueKeys: true });
  } catch (err) {
    throw new CasesFileError(file, [`not valid YAML (${(err as Error).message.split('\n')[0]})`]);
  }
  const top = fileSchema.safeParse(raw);
  if (!top.success)
    throw new CasesFileError(
      file,
      top.error.issues.map((i) => `${place(i.path) === 'the case' ? 'the file' : place(i.path)}: ${i.message}`),
    );
  const problems: string[] = [];
  const cases: PolicyCase[] = [];
  const seen = new Set<string>();
  top.data.cases.forEach((entry, i) => {
    const label = `cases[${i}]${entry && typeof entry === 'object' && typeof (entry as { name?: unknown }).name === 'string' ? ` ("${(entry as { name: string }).name.slice(0, 80)}")` : ''}`;
    const parsed = caseSchema.safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${label} ${place(issue.path)}: ${issue.message}`);
      return;
    }
    if (seen.has(parsed.data.name)) problems.push(`${label}: the name is used by an earlier case`);
    seen.add(parsed.data.name);
    cases.push(parsed.data as PolicyCase);
  });
  if (problems.length > 0) throw new CasesFileError(file, problems);
  return cases;
}
