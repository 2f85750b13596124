import type { LoadedPolicy } from '../config/policy-file';
import { ACTIONS } from '../policy/fixed-fields';
import type { Policy, RolePolicy } from '../policy/policy';

const list = (items: Iterable<string>): string => {
  const all = [...items];
  return all.length > 0 ? all.join(', ') : 'none';
};

const READING = new Set<string>(['list', 'read', 'list_members', 'invite', 'revoke_invitation']);

/** Whose holders a role may act on beyond reading: users with no role, and users whose every role it grants. */
export function manageableHolders(role: RolePolicy, policy: Policy): string {
  // Listing, reading and the organization actions that touch no user (member lists, invitations) manage nobody.
  const acts = [...role.can].some((a) => !READING.has(a));
  if (!acts) return `${role.name} acts on no user beyond listing and reading`;
  if (role.grant.all) return `${role.name} may act on users holding: none, any role`;
  const granted = [...policy.roles.keys()].filter((name) => role.grant.has(name)).sort();
  return `${role.name} may act on users holding: ${list(['none', ...granted])}`;
}

/** The effective matrix of one role, as `check` prints it. */
function roleLines(role: RolePolicy, policy: Policy): string[] {
  const actions = ACTIONS.filter((a) => role.can.has(a));
  return [
    `role ${role.name}`,
    `  actions: ${actions.length > 0 ? `${actions.join(', ')} (scope ${role.scope === 'org' ? `org: users whose ${policy.directory.orgField} is the caller's org; in organizations, the caller's own` : 'all: every user, every organization'})` : 'none'}`,
    `  read: ${list(role.read.patterns)}`,
    `  write: ${list(role.write.patterns)}`,
    `  grant: ${list(role.grant.list)}`,
    `  connections: ${list(role.connections.list)}`,
    `  log fields: ${list([...role.logFields].sort())}`,
    `  manages: ${manageableHolders(role, policy)}`,
  ];
}

/** `check` on a valid policy: what it is, then the matrix per role, `self` and the hidden fields. */
export function describePolicy(loaded: LoadedPolicy): string {
  const { policy } = loaded;
  const roles = [...policy.roles.values()].sort((a, b) => a.name.localeCompare(b.name));
  return [
    `${loaded.file}: valid (version ${loaded.version}, ${roles.length} role(s))`,
    '',
    ...roles.flatMap((role) => [...roleLines(role, policy), '']),
    'self (any verified caller, through /me)',
    `  read: ${list(policy.self.read.patterns)}`,
    `  write: ${list(policy.self.write.patterns)}`,
    `  desk actions on itself: ${list([...policy.self.can].sort())}`,
    `hidden from everyone: ${list(policy.hidden.patterns)}`,
  ].join('\n');
}
