import { withDotenv } from './config/dotenv';
import { policyCommand, USAGE } from './cli/policy-command';

/**
 * usergate's command line: `node dist/cli.js policy check|explain|test ...` (`npm run policy -- ...` in
 * a checkout). It reads files only: no network, no Auth0 settings. Like the service, it reads `.env` in
 * the working directory under the process environment (which wins), so ACL_FILE, ROLES_PATH and
 * ORG_PATH mean the same to both.
 */
export async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const [group, ...rest] = argv;
  if (group !== 'policy') {
    process.stderr.write(`${group === undefined ? 'a command is required' : `unknown command "${group.slice(0, 64)}"`}\n${USAGE}\n`);
    return 2;
  }
  const result = await policyCommand(rest, env);
  if (result.stdout) process.stdout.write(`${result.stdout}\n`);
  if (result.stderr) process.stderr.write(`${result.stderr}\n`);
  return result.code;
}

if (require.main === module) {
  Promise.resolve()
    .then(() => main(process.argv.slice(2), withDotenv(process.env).env))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (err: unknown) => {
        process.stderr.write(`policy: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
      },
    );
}
