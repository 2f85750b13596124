import fc from 'fast-check';
import { validatePolicyDocument } from '../../src/config/policy-file';
import { appMetadataDirectory } from '../../src/directory';
import { ACTIONS, compilePolicy, decide, Permissions, type Policy, type PolicyDocument } from '../../src/policy';

/**
 * Who may manage whom, over random policies, callers, targets and bodies: no caller updates or deletes
 * a target holding a role outside its grant, and no org-scoped role produces an account that reaches
 * another org. Expectations are computed here from the document, not from usergate's policy code.
 */
const NAMES = ['r0', 'r1', 'r2', 'r3'];
const HELD = [...NAMES, 'ghost'];
const ORGS = ['a', 'b'];
const WRITABLE = ['*', 'blocked', 'email', 'name', 'app_metadata', 'app_metadata.roles', 'app_metadata.org', 'user_metadata'];

const subset = <T>(items: T[]) => fc.subarray(items);
const roleDoc = fc.record({
  can: subset([...ACTIONS]),
  scope: fc.constantFrom('all' as const, 'org' as const),
  grant: fc.oneof(fc.constant<string[]>(['*']), subset(NAMES)),
  write: subset(WRITABLE),
  connections: fc.constant<string[]>(['db']),
  read: fc.constant<string[]>(['*']),
});

/** A random policy, made valid the way an author would fix it: org-scoped roles grant only org-scoped roles. */
const policyDoc: fc.Arbitrary<PolicyDocument> = fc.tuple(...NAMES.map(() => roleDoc)).map((docs) => {
  const roles = Object.fromEntries(NAMES.map((n, i) => [n, { ...docs[i]! }]));
  for (const role of Object.values(roles)) {
    if (role.scope === 'org') role.grant = role.grant.filter((g) => g !== '*' && roles[g]?.scope === 'org');
  }
  return { roles };
});

const org = fc.constantFrom<string | undefined>(...ORGS, undefined);
const person = fc.record({ roles: subset(HELD), org });
const body = fc.record(
  {
    blocked: fc.boolean(),
    email: fc.constant('new@x.example'),
    name: fc.constant('N'),
    connection: fc.constant('db'),
    password: fc.constant('Passw0rd!x'),
    user_metadata: fc.constant({ note: 'n' }),
    app_metadata: fc.oneof(fc.constant({}), fc.record({ roles: subset(HELD), org: fc.constantFrom(...ORGS) }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);

function userOf(p: { roles: string[]; org?: string }, id: string): Record<string, unknown> {
  return {
    user_id: id,
    identities: [{ provider: 'auth0', connection: 'db' }],
    app_metadata: { ...(p.roles.length > 0 ? { roles: p.roles } : {}), ...(p.org ? { org: p.org } : {}) },
  };
}

/** app_metadata after Auth0 applies the body: merged one level deep; `{}` clears it. */
function appMetadataAfter(current: Record<string, unknown>, written: unknown): Record<string, unknown> {
  if (written === undefined) return current;
  const w = written as Record<string, unknown>;
  return Object.keys(w).length === 0 ? {} : { ...current, ...w };
}

const grants = (doc: PolicyDocument, roleNames: string[], role: string) =>
  roleNames.some((r) => {
    const g = doc.roles[r]?.grant ?? [];
    return g.includes('*') || g.includes(role);
  });

function setup(doc: PolicyDocument, caller: { roles: string[]; org?: string }): { policy: Policy; p: Permissions } {
  const policy = compilePolicy(validatePolicyDocument(doc, 'random policy'), appMetadataDirectory({ orgPath: 'org', rolesPath: 'roles' }));
  return { policy, p: new Permissions(policy, { sub: 'auth0|caller', ...caller }) };
}

/** The caller's roles that allow the action on the target, judged from the document. */
function actingNames(doc: PolicyDocument, caller: { roles: string[]; org?: string }, action: string, target: { org?: string }): string[] {
  return caller.roles.filter((r) => {
    const role = doc.roles[r];
    if (!role || !role.can.includes(action as never)) return false;
    return role.scope !== 'org' || (caller.org !== undefined && caller.org === target.org);
  });
}

describe('who may manage whom (fast-check)', () => {
  it('every random policy made valid by the start-up rule is accepted', () => {
    fc.assert(
      fc.property(policyDoc, (doc) => {
        expect(() => validatePolicyDocument(doc, 'random policy')).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });

  it('no caller updates or deletes a target holding a role outside its grant', () => {
    fc.assert(
      fc.property(policyDoc, person, person, body, (doc, caller, target, written) => {
        const { p } = setup(doc, caller);
        const user = userOf(target, 'auth0|target');
        for (const action of ['update', 'delete'] as const) {
          const acting = actingNames(doc, caller, action, target);
          const allowed = decide(p, action, user, { id: 'auth0|target', body: action === 'update' ? written : undefined }).allowed;
          if (allowed)
            for (const held of target.roles)
              expect({ action, held, grantable: grants(doc, acting, held) }).toEqual({ action, held, grantable: true });
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('no org-scoped role produces an account that reaches another org, on create or update', () => {
    fc.assert(
      fc.property(policyDoc, person, person, body, (doc, caller, target, written) => {
        const { p } = setup(doc, caller);
        const reachesBeyond = (roles: unknown, orgAfter: unknown, before: string[]) =>
          (Array.isArray(roles) && roles.some((r: string) => !before.includes(r) && doc.roles[r]?.scope !== 'org')) ||
          orgAfter !== caller.org;

        const createActing = actingNames(doc, caller, 'create', { org: caller.org });
        const onlyOrgScopedCreate = caller.roles.every((r) => !doc.roles[r]?.can.includes('create') || doc.roles[r].scope === 'org');
        const created = decide(p, 'create', undefined, { body: written });
        if (created.allowed && onlyOrgScopedCreate) {
          expect(createActing.length).toBeGreaterThan(0);
          const md = (created.body!.app_metadata ?? {}) as Record<string, unknown>;
          expect(reachesBeyond(md.roles, md.org, [])).toBe(false);
        }

        const acting = actingNames(doc, caller, 'update', target);
        const onlyOrgScopedUpdate = acting.every((r) => doc.roles[r]!.scope === 'org');
        const user = userOf(target, 'auth0|target');
        const updated = decide(p, 'update', user, { id: 'auth0|target', body: written });
        if (updated.allowed && onlyOrgScopedUpdate) {
          const md = appMetadataAfter(user.app_metadata as Record<string, unknown>, written.app_metadata);
          expect(reachesBeyond(md.roles ?? [], md.org, target.roles)).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
