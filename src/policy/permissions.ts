import type { Caller } from './caller';
import { FieldSet } from './field-set';
import type { Action, LogField } from './fixed-fields';
import { rolesOfCaller } from './member-roles';
import type { Policy, RolePolicy, Scope } from './policy';
import { filterUser } from './read-filter';
import { rolesInScope } from './rules/scope';

/**
 * What one caller may do, derived from the policy: the union over its known roles, default deny.
 * A role with `scope: org` applies only to users of the caller's org, so every decision about a
 * target user takes the roles that are in scope for that user.
 */
export class Permissions {
  readonly roles: RolePolicy[];
  private readonly unions = new Map<string, FieldSet>();

  constructor(
    readonly policy: Policy,
    readonly caller: Caller,
  ) {
    this.roles = rolesOfCaller(policy, caller.roles, caller.memberRoles);
  }

  /** The caller's subject (its user id, for a user). */
  get sub(): string {
    return this.caller.sub;
  }

  get org(): string | undefined {
    return this.caller.org;
  }

  /** Always-hidden fields: never in an answer, never searchable. */
  get hidden(): FieldSet {
    return this.policy.hidden;
  }

  get hasRole(): boolean {
    return this.roles.some((r) => r.can.size > 0);
  }

  /** Whether some role allows the action on some user. */
  can(action: Action): boolean {
    return this.roles.some((r) => r.can.has(action));
  }

  /** The roles that allow the action on some user, whatever their scope (checks made before the target is known). */
  rolesWithAction(action: Action): RolePolicy[] {
    return this.roles.filter((r) => r.can.has(action));
  }

  /** The roles that allow the action on this target (the scope rule, policy/rules/scope.ts). */
  rolesFor(action: Action, target: unknown): RolePolicy[] {
    return rolesInScope(this, action, target);
  }

  /** The roles that allow the action on users of any org: when none, lists and creates are narrowed to the caller's org. */
  unscopedRolesFor(action: Action): RolePolicy[] {
    return this.roles.filter((r) => r.can.has(action) && r.scope === 'all');
  }

  /** What the caller may read of a target it reaches through `action`. */
  readable(action: Action, target: unknown): FieldSet {
    return this.readableBy(this.rolesFor(action, target));
  }

  writable(action: Action, target: unknown): FieldSet {
    return this.writableBy(this.rolesFor(action, target));
  }

  /** The fields any of these roles may read. */
  readableBy(roles: readonly RolePolicy[]): FieldSet {
    return this.fieldsOf('read', roles);
  }

  /** The fields any of these roles may write. */
  writableBy(roles: readonly RolePolicy[]): FieldSet {
    return this.fieldsOf('write', roles);
  }

  private fieldsOf(kind: 'read' | 'write', roles: readonly RolePolicy[]): FieldSet {
    if (roles.length === 1) return roles[0]![kind];
    const key = `${kind}:${roles.map((r) => r.name).join(',')}`;
    let set = this.unions.get(key);
    if (!set) this.unions.set(key, (set = FieldSet.union(roles.map((r) => r[kind]))));
    return set;
  }

  /**
   * What the caller sees of a user it reaches through `action`: the fields its roles in scope for that
   * user may read, never an always-hidden one; `undefined` when no role of the caller reaches the user.
   */
  view(action: Action, user: unknown): Record<string, unknown> | undefined {
    const roles = this.rolesFor(action, user);
    return roles.length === 0 ? undefined : filterUser(user, this.readableBy(roles), this.policy.hidden);
  }

  /** What the caller sees of its own profile (the `self` policy). */
  viewSelf(user: unknown): Record<string, unknown> {
    return filterUser(user, this.policy.self.read, this.policy.hidden);
  }

  /** The log event fields the roles read together (read_logs). */
  logFields(roles: readonly RolePolicy[]): LogField[] {
    return [...new Set(roles.flatMap((r) => [...r.logFields]))].sort();
  }

  /** The answer of GET /me/permissions: enough for a frontend to hide what the caller cannot do. */
  summary(): Record<string, unknown> {
    const actions = [...new Set(this.roles.flatMap((r) => [...r.can]))].sort();
    const scopeOf = (action: Action): Scope => (this.unscopedRolesFor(action).length > 0 ? 'all' : 'org');
    const names = (list: string[][]): string[] => (list.some((l) => l.includes('*')) ? ['*'] : [...new Set(list.flat())].sort());
    return {
      sub: this.caller.sub,
      roles: this.caller.roles,
      ...(this.caller.memberRoles ? { memberRoles: this.caller.memberRoles } : {}),
      knownRoles: this.roles.map((r) => r.name),
      org: this.caller.org ?? null,
      actions,
      scope: Object.fromEntries(actions.map((a) => [a, scopeOf(a)])),
      read: names(this.roles.map((r) => [...r.read.patterns])),
      write: names(this.roles.map((r) => [...r.write.patterns])),
      grant: names(this.roles.map((r) => r.grant.list)),
      connections: names(this.roles.map((r) => r.connections.list)),
      self: { read: this.policy.self.read.patterns, write: this.policy.self.write.patterns, can: [...this.policy.self.can].sort() },
      log_fields: this.logFields(this.rolesWithAction('read_logs')),
      user_roles: this.userRoles(names),
    };
  }

  /**
   * What the caller may do through /users/:id/roles, on some user: read the roles where a role with
   * `read` reads the roles field; change them with a role reaching every org that allows `update` and
   * grants something. Never with `claim` (501).
   */
  private userRoles(names: (list: string[][]) => string[]): Record<string, unknown> {
    const directory = this.policy.directory;
    const usable = directory.source !== 'claim';
    const changers = usable ? this.unscopedRolesFor('update').filter((r) => r.grant.list.length > 0) : [];
    return {
      source: directory.source,
      field: directory.rolesField,
      read: usable && this.rolesWithAction('read').some((r) => r.read.covers(directory.rolesField)),
      change: changers.length > 0,
      grant: names(changers.map((r) => r.grant.list)),
    };
  }
}
