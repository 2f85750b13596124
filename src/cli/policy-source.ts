import { readPolicyFile, type LoadedPolicy } from '../config/policy-file';

/** The default policy file, as for the service: `ACL_FILE`, else config/acl.yaml. */
export function defaultPolicyFile(env: Record<string, string | undefined>): string {
  const named = env.ACL_FILE?.trim();
  return named ? named : 'config/acl.yaml';
}

const DOT_PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** Where roles and org live in app_metadata (ROLES_PATH, ORG_PATH), as the service reads them; nothing else of its settings. */
export function policyPaths(env: Record<string, string | undefined>): { rolesPath: string; orgPath: string } {
  const path = (name: string, fallback: string): string => {
    const value = env[name]?.trim() || fallback;
    if (!DOT_PATH.test(value)) throw new UsageError(`${name} must be a dot path such as ${fallback}`);
    return value;
  };
  return { rolesPath: path('ROLES_PATH', 'roles'), orgPath: path('ORG_PATH', 'org') };
}

/** Reads the policy a command works on (`--policy FILE`, else the default); a bad file throws the validator's error. */
export function loadCliPolicy(file: string | undefined, env: Record<string, string | undefined>): LoadedPolicy {
  return readPolicyFile(file ?? defaultPolicyFile(env), policyPaths(env));
}

/** A command line the CLI cannot run: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
