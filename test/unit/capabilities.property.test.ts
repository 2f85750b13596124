import fc from 'fast-check';
import { loadPolicyFile, validatePolicyDocument } from '../../src/config/policy-file';
import { appMetadataDirectory } from '../../src/directory';
import { ACTIONS, capabilities, compilePolicy, decide, DESK_ACTIONS, Permissions, PER_USER_ACTIONS, type Policy } from '../../src/policy';
import type { DecisionInput } from '../../src/policy';

/**
 * Capabilities cannot disagree with the actions: for random callers and targets, over the shipped
 * policy and over random policies with other role names and another ORG_PATH,
 * - an action capabilities allows is not refused by the policy when performed (for update: with a
 *   body made of `writable` paths, roles changed only within `grantable_roles`, the org kept);
 * - an action it refuses is refused with exactly that errorCode, whatever the (well-formed) body.
 * "Performed" is what the operations do: decide before the target is fetched, then on it.
 */
const shipped = loadPolicyFile('config/acl.yaml', { rolesPath: 'roles', orgPath: 'org' });
const SHIPPED_ROLES = [...shipped.roles.keys()];

const NAMES = ['alpha', 'beta', 'gamma', 'delta'];
const WRITABLE = [
  '*',
  'blocked',
  'email',
  'name',
  'password',
  'picture',
  'identities',
  'app_metadata',
  'app_metadata.roles',
  'app_metadata.team',
  'app_metadata.plan',
  'user_metadata',
  'user_metadata.prefs',
];
const subset = <T>(items: readonly T[]) => fc.subarray([...items]);

const roleDoc = fc.record({
  can: subset(ACTIONS),
  scope: fc.constantFrom('all' as const, 'org' as const),
  grant: fc.oneof(fc.constant<string[]>(['*']), subset(NAMES)),
  write: subset(WRITABLE),
  read: fc.constant<string[]>(['*']),
  log_fields: fc.constantFrom<('date' | 'ip')[]>([], ['date'], ['date', 'ip']),
});

/** A random policy with its own role names, made valid as an author would (org-scoped roles grant only org-scoped roles). */
const generated = fc.tuple(fc.tuple(...NAMES.map(() => roleDoc)), subset(DESK_ACTIONS)).map(([docs, selfCan]) => {
  const roles = Object.fromEntries(NAMES.map((n, i) => [n, { ...docs[i]! }]));
  for (const role of Object.values(roles)) {
    if (role.scope === 'org') role.grant = role.grant.filter((g) => g !== '*' && roles[g]?.scope === 'org');
  }
  const doc = validatePolicyDocument({ roles, self: { can: selfCan } }, 'random policy');
  return compilePolicy(doc, appMetadataDirectory({ rolesPath: 'roles', orgPath: 'team' }));
});

const ORGS = ['a', 'b'];
const orgKey = (policy: Policy) => policy.directory.orgField.split('.')[1]!;

interface World {
  policy: Policy;
  caller: { roles: string[]; org?: string; self: boolean };
  target: { roles: string[]; org?: string; provider: 'auth0' | 'google-oauth2' };
}

const worldOf = (policies: fc.Arbitrary<Policy>, names: string[]): fc.Arbitrary<World> =>
  fc.record({
    policy: policies,
    caller: fc.record({ roles: subset([...names, 'ghost']), org: fc.constantFrom(...ORGS, undefined), self: fc.boolean() }),
    target: fc.record({
      roles: subset([...names, 'ghost']),
      org: fc.constantFrom(...ORGS, undefined),
      provider: fc.constantFrom('auth0' as const, 'google-oauth2' as const),
    }),
  });

const TARGET_ID = 'auth0|target';
function setup(world: World) {
  const { policy, caller, target } = world;
  const key = orgKey(policy);
  const sub = caller.self ? TARGET_ID : 'auth0|caller';
  const p = new Permissions(policy, { sub, roles: caller.roles, org: caller.org });
  const user: Record<string, unknown> = {
    user_id: TARGET_ID,
    identities: [{ provider: target.provider, connection: target.provider === 'auth0' ? 'db' : 'google-oauth2' }],
    app_metadata: { ...(target.roles.length > 0 ? { roles: target.roles } : {}), ...(target.org ? { [key]: target.org } : {}) },
  };
  return { p, user, key };
}

/** As an operation performs it: decide before the target, then on it. */
function perform(p: Permissions, action: (typeof PER_USER_ACTIONS)[number], user: Record<string, unknown>, input: DecisionInput) {
  const screened = decide(p, action, undefined, input);
  return screened.allowed ? decide(p, action, user, input, screened) : screened;
}

/** A PATCH body made of writable paths only: roles changed within grantable_roles, the org kept, plain values elsewhere. */
function bodyWithin(
  writable: string[],
  grantable: string[],
  user: Record<string, unknown>,
  policy: Policy,
  pick: { paths: boolean[]; add: boolean[]; remove: boolean[] },
): Record<string, unknown> {
  const chosen = writable.filter((_, i) => pick.paths[i % pick.paths.length]);
  const paths = chosen.length > 0 ? chosen : writable.slice(0, 1);
  const body: Record<string, unknown> = {};
  const current = policy.directory.rolesOf(user);
  const org = policy.directory.orgOf(user);
  const [rolesKey, orgField] = [policy.directory.rolesField.split('.')[1]!, policy.directory.orgField.split('.')[1]!];
  for (const path of paths) {
    const [root, key] = path.split('.') as [string, string | undefined];
    if (root === 'app_metadata' || root === 'user_metadata') {
      const md = (body[root] ?? {}) as Record<string, unknown>;
      const k = key ?? 'plan';
      if (root === 'app_metadata' && k === rolesKey) {
        const next = new Set(current);
        grantable.forEach((r, i) => {
          if (pick.add[i % pick.add.length]) next.add(r);
          else if (pick.remove[i % pick.remove.length]) next.delete(r);
        });
        md[k] = [...next];
      } else if (root === 'app_metadata' && k === orgField) {
        // Kept as it is: the same org, or none (`null` deletes a key that is not there).
        md[k] = org ?? null;
      } else md[k] = 'v';
      body[root] = md;
    } else body[root] = root === 'blocked' || root.endsWith('_verified') ? true : 'x';
  }
  return body;
}

/** Well-formed bodies of every kind, inside or outside what a caller may write. */
const anyBody = (key: string) =>
  fc
    .record(
      {
        blocked: fc.boolean(),
        email: fc.constant('new@x.example'),
        name: fc.constant('N'),
        nickname: fc.constant('n'),
        password: fc.constant('Passw0rd!x'),
        user_metadata: fc.constant({ note: 'n' }),
        app_metadata: fc.oneof(
          fc.constant({}),
          fc.record(
            { roles: subset(['alpha', 'beta', 'admin', 'support', 'viewer', 'ghost']), [key]: fc.constantFrom(...ORGS) },
            { requiredKeys: [] },
          ),
        ),
      },
      { requiredKeys: [] },
    )
    .filter((b) => Object.keys(b).length > 0);

const choices = fc.record({
  paths: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
  add: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
  remove: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
});

const PROVIDER_OWNED = ['email', 'password', 'username'];

function check(world: World, pick: { paths: boolean[]; add: boolean[]; remove: boolean[] }, bodies: Record<string, unknown>[]) {
  const { p, user } = setup(world);
  const caps = capabilities(p, TARGET_ID, user);
  for (const action of PER_USER_ACTIONS) {
    const said = caps.actions[action];
    if (said.allowed) {
      const input: DecisionInput = { id: TARGET_ID };
      if (action === 'update') input.body = bodyWithin(caps.writable, caps.grantable_roles, user, world.policy, pick);
      const done = perform(p, action, user, input);
      expect({ action, body: input.body, outcome: done.allowed ? 'allowed' : done.error.code }).toEqual({
        action,
        body: input.body,
        outcome: 'allowed',
      });
    } else {
      for (const body of action === 'update' ? bodies : [undefined]) {
        // A user with nothing writable but a provider-owned attribute: naming only that one is refused as the provider's.
        if (said.errorCode === 'field_not_writable' && body && Object.keys(body).every((k) => PROVIDER_OWNED.includes(k))) continue;
        const done = perform(p, action, user, { id: TARGET_ID, body });
        expect({ action, body, outcome: done.allowed ? 'allowed' : done.error.code }).toEqual({ action, body, outcome: said.errorCode });
      }
    }
  }
  // Nothing to change: both lists empty.
  if (!caps.actions.update.allowed)
    expect({ writable: caps.writable, grantable: caps.grantable_roles }).toEqual({ writable: [], grantable: [] });
}

describe('capabilities agree with the actions (fast-check)', () => {
  it('over the shipped policy', () => {
    fc.assert(
      fc.property(
        worldOf(fc.constant(shipped), SHIPPED_ROLES),
        choices,
        fc.array(anyBody('org'), { minLength: 1, maxLength: 4 }),
        (world, pick, bodies) => check(world, pick, bodies),
      ),
      { numRuns: 1500 },
    );
  });

  it('over generated policies with other role names and another ORG_PATH', () => {
    fc.assert(
      fc.property(worldOf(generated, NAMES), choices, fc.array(anyBody('team'), { minLength: 1, maxLength: 4 }), (world, pick, bodies) =>
        check(world, pick, bodies),
      ),
      { numRuns: 1500 },
    );
  });

  it('lists every per-user action, and a user out of reach is refused as a read would be', () => {
    const { p, user } = setup({
      policy: shipped,
      caller: { roles: ['support'], org: 'a', self: false },
      target: { roles: [], org: 'b', provider: 'auth0' },
    });
    const caps = capabilities(p, TARGET_ID, user);
    expect(Object.keys(caps.actions).sort()).toEqual([...PER_USER_ACTIONS].sort());
    expect(caps.actions.read).toMatchObject({ allowed: false, errorCode: 'user_not_found' });
  });
});
