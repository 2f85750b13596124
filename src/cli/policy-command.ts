import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { ConfigError } from '../config/env';
import { describePolicy } from './check';
import { decideCase } from './decision-adapter';
import { caseFromOptions, explainJson, explainText } from './explain';
import { loadCliPolicy, UsageError } from './policy-source';
import { runCases } from './run-cases';
import { CasesFileError, readCases } from './test-cases';

export const USAGE = `usage: policy <command> [options]   (npm run policy -- ..., or node dist/cli.js policy ...)
  check [FILE]                        validate a policy and print what each role may do
  explain [--policy FILE] --caller-roles a,b [--caller-member-roles c] [--caller-org O] [--caller-sub S] [--caller-blocked]
          [--target-roles c] [--target-org O] [--target-connection C] [--target-sub S | --target-self]
          --action ACTION [--body JSON] [--q QUERY] [--json]
                                      one decision: "allow" or "deny <errorCode>", then the rule that decided
  test [CASES] [--policy FILE]        run a file of expectations (default config/acl.test.yaml)
The policy is --policy FILE (or check's FILE), else ACL_FILE, else config/acl.yaml.
Exit codes: 0 done (explain: whatever the verdict), 1 invalid policy or test file, or a case failed, 2 bad command line.`;

/** What a command prints and the exit code it ends with. */
export interface CommandResult {
  code: number;
  stdout?: string;
  stderr?: string;
}

const DEFAULT_CASES = 'config/acl.test.yaml';

function parse<O extends ParseArgsOptionsConfig>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

const POLICY = { policy: { type: 'string' } } as const;

function check(args: string[], env: Record<string, string | undefined>): Promise<CommandResult> {
  const { values, positionals } = parse(args, POLICY);
  if (positionals.length > 1) throw new UsageError('check takes at most one FILE');
  const file = positionals[0] ?? values.policy;
  return Promise.resolve({ code: 0, stdout: describePolicy(loadCliPolicy(file, env)) });
}

async function explain(args: string[], env: Record<string, string | undefined>): Promise<CommandResult> {
  const { values, positionals } = parse(args, {
    ...POLICY,
    'caller-roles': { type: 'string' },
    'caller-member-roles': { type: 'string' },
    'caller-org': { type: 'string' },
    'caller-sub': { type: 'string' },
    'caller-blocked': { type: 'boolean' },
    'target-roles': { type: 'string' },
    'target-org': { type: 'string' },
    'target-connection': { type: 'string' },
    'target-sub': { type: 'string' },
    'target-self': { type: 'boolean' },
    action: { type: 'string' },
    body: { type: 'string' },
    q: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`explain takes no positional argument (got "${positionals[0]}")`);
  if (values['target-self'] && values['target-sub'] !== undefined)
    throw new UsageError('--target-self and --target-sub exclude each other');
  const described = caseFromOptions(values);
  const { policy } = loadCliPolicy(values.policy, env);
  const decision = await decideCase(policy, described);
  return { code: 0, stdout: values.json ? explainJson(decision) : explainText(decision) };
}

async function test(args: string[], env: Record<string, string | undefined>): Promise<CommandResult> {
  const { values, positionals } = parse(args, POLICY);
  if (positionals.length > 1) throw new UsageError('test takes at most one CASES file');
  const file = positionals[0] ?? DEFAULT_CASES;
  const loaded = loadCliPolicy(values.policy, env);
  const cases = readCases(file);
  const { passed, failures } = await runCases(loaded.policy, cases);
  const summary = `${file} against ${loaded.file} (version ${loaded.version}): ${passed} of ${cases.length} case(s) hold${failures.length > 0 ? `, ${failures.length} fail` : ''}`;
  return failures.length > 0 ? { code: 1, stdout: [...failures, summary].join('\n') } : { code: 0, stdout: summary };
}

const COMMANDS: Record<string, (args: string[], env: Record<string, string | undefined>) => Promise<CommandResult>> = {
  check,
  explain,
  test,
};

/** `policy <command> ...`: runs one command; problems become messages and exit codes, never stack traces. */
export async function policyCommand(args: string[], env: Record<string, string | undefined>): Promise<CommandResult> {
  const [name, ...rest] = args;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h')
    return { code: name === undefined ? 2 : 0, stdout: USAGE };
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) return { code: 2, stderr: `unknown command "${name.slice(0, 64)}"\n${USAGE}` };
  try {
    return await command(rest, env);
  } catch (err) {
    if (err instanceof UsageError) return { code: 2, stderr: `${err.message}\n${USAGE}` };
    if (err instanceof ConfigError || err instanceof CasesFileError) return { code: 1, stderr: err.message };
    throw err;
  }
}
