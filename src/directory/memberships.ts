/**
 * A user's organization memberships as usergate read them (ORG_SOURCE=organizations). They are not
 * part of the profile: the operations read them through the Management API and attach them to the
 * user they decide on under a symbol, never a field, so they can never be answered, serialised or
 * searched (JSON and structured clones drop symbol keys; the property is not even enumerable).
 */
export const MEMBERSHIPS: unique symbol = Symbol('usergate.memberships');

export interface Memberships {
  /** Organization id → the member roles held there (names), or `undefined` where they were not read. */
  orgs: ReadonlyMap<string, readonly unknown[] | undefined>;
  /**
   * Whether `orgs` holds every organization of the user (and each one's member roles, where read). False:
   * the user is a member of more than was read (the bound), and counts as holding roles nobody may grant.
   */
  complete: boolean;
}

/**
 * The name a target's roles carry when usergate could not count them all (a member of more organizations
 * than it reads): no `grant` covers it, not even `*`, so such a target is protected from every action
 * beyond reading. Not a role name the policy can use (it starts with a space).
 */
export const ROLES_NOT_COUNTED = ' (roles in more organizations than usergate counts)';

/**
 * The name a target's membership of an organization other than the caller's carries in target protection
 * (policy/rules/protection.ts): granted by nobody, not even `*`, like ROLES_NOT_COUNTED, so an org-scoped
 * caller never takes over (or deletes, signs out...) a user another organization also relies on. The
 * other organization is not named (its existence is not the caller's to learn).
 */
export const MEMBER_ELSEWHERE = ' (member of another organization)';

/** The user, its memberships attached (the same object, for chaining). */
export function withMemberships<T extends object>(user: T, memberships: Memberships): T {
  Object.defineProperty(user, MEMBERSHIPS, { value: memberships, enumerable: false, configurable: true, writable: false });
  return user;
}

/** The memberships attached to a user; `undefined` when none were read. */
export function membershipsOf(user: unknown): Memberships | undefined {
  if (!user || typeof user !== 'object') return undefined;
  return (user as { [MEMBERSHIPS]?: Memberships })[MEMBERSHIPS];
}
