import type { HttpError } from '../errors';

/**
 * The rule that refused: the role it belongs to (when one role's setting decided), the policy key
 * (`can`, `scope`, `grant`, `write`, `connections`, `self`, `self.can`, `read`, ...) and the value it
 * was checked for. Enough for a command line to explain a refusal.
 */
export interface Rule {
  role?: string;
  key: string;
  value?: string;
}

/** A refusal on its way out of a rule: the catalogue error and the rule. Caught by `decide`. */
export class Refusal extends Error {
  constructor(
    readonly error: HttpError,
    readonly rule: Rule,
  ) {
    super(error.message);
  }
}

export function refuse(error: HttpError, rule: Rule): never {
  throw new Refusal(error, rule);
}

/** The names of the roles that decided together, for a rule. */
export function roleNames(roles: readonly { name: string }[]): string | undefined {
  return roles.length === 0 ? undefined : roles.map((r) => r.name).join(',');
}
