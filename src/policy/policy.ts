import type { UserDirectory } from '../directory/user-directory';
import { FieldSet } from './field-set';
import { ALWAYS_HIDDEN, type Action, type DeskAction, type LogField } from './fixed-fields';

/** A name list where `*` means any. */
export class NameSet {
  readonly all: boolean;
  readonly names: ReadonlySet<string>;
  constructor(list: readonly string[]) {
    this.all = list.includes('*');
    this.names = new Set(list.filter((n) => n !== '*'));
  }
  has(name: string): boolean {
    return this.all || this.names.has(name);
  }
  get list(): string[] {
    return this.all ? ['*'] : [...this.names].sort();
  }
}

export type Scope = 'all' | 'org';

export interface RolePolicy {
  name: string;
  can: ReadonlySet<Action>;
  read: FieldSet;
  write: FieldSet;
  grant: NameSet;
  connections: NameSet;
  scope: Scope;
  /** The log event fields the role reads through `read_logs`; none by default. */
  logFields: ReadonlySet<LogField>;
}

/** The policy file as validated data (see config/policy-file.ts). */
export interface PolicyDocument {
  roles: Record<
    string,
    {
      can: Action[];
      read?: string[];
      write?: string[];
      grant?: string[];
      connections?: string[];
      scope?: Scope;
      log_fields?: LogField[];
    }
  >;
  self?: { read?: string[]; write?: string[]; can?: DeskAction[] };
  hidden?: string[];
}

/** The compiled policy: field sets built once, at start-up. */
export interface Policy {
  roles: ReadonlyMap<string, RolePolicy>;
  /** `can`: the desk actions a caller may take on its own account (still only with a role that allows them). */
  self: { read: FieldSet; write: FieldSet; can: ReadonlySet<DeskAction> };
  /** Built-in always-hidden fields plus the file's `hidden`. */
  hidden: FieldSet;
  /** Where users' roles and org are read and written (the directory port). */
  directory: UserDirectory;
}

export function compilePolicy(doc: PolicyDocument, directory: UserDirectory): Policy {
  const roles = new Map<string, RolePolicy>();
  for (const [name, role] of Object.entries(doc.roles)) {
    roles.set(name, {
      name,
      can: new Set(role.can),
      read: new FieldSet(role.read ?? []),
      write: new FieldSet(role.write ?? []),
      grant: new NameSet(role.grant ?? []),
      connections: new NameSet(role.connections ?? []),
      scope: role.scope ?? 'all',
      logFields: new Set(role.log_fields ?? []),
    });
  }
  return {
    roles,
    self: { read: new FieldSet(doc.self?.read ?? []), write: new FieldSet(doc.self?.write ?? []), can: new Set(doc.self?.can ?? []) },
    hidden: new FieldSet([...ALWAYS_HIDDEN, ...(doc.hidden ?? [])]),
    directory,
  };
}
