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

/** The rule each thrown refusal came from, so a caller of the operations (the policy CLI) can name it. */
const decidedBy = new WeakMap<HttpError, Rule>();

/** Remembers the rule of a refusal that leaves `decide` as a thrown error. */
export function tagRule(error: HttpError, rule: Rule): HttpError {
  decidedBy.set(error, rule);
  return error;
}

/** The rule that refused, when the error came out of `decide`. */
export function ruleOf(error: HttpError): Rule | undefined {
  return decidedBy.get(error);
}

export function refuse(error: HttpError, rule: Rule): never {
  throw new Refusal(error, rule);
}

/** The names of the roles that decided together, for a rule. */
export function roleNames(roles: readonly { name: string }[]): string | undefined {
  return roles.length === 0 ? undefined : roles.map((r) => r.name).join(',');
}
