import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/env';
import { loadPolicyFile, PolicyFileError, readPolicyFile, validatePolicyDocument } from '../../src/config/policy-file';
import { appMetadataDirectory } from '../../src/directory';
import { compilePolicy } from '../../src/policy/policy';

const paths = { orgPath: 'org', rolesPath: 'roles' };

describe('policy file validation', () => {
  it('accepts the shipped config/acl.yaml', () => {
    const policy = loadPolicyFile('config/acl.yaml', paths);
    expect([...policy.roles.keys()].sort()).toEqual(['admin', 'auditor', 'support', 'viewer']);
    expect(policy.hidden.covers('identities.refresh_token')).toBe(true);
  });

  it.each([
    [{ roles: { a: { can: ['read'], colour: 'red' } } }, /roles\.a: unknown key\(s\) colour/],
    [{ roles: { a: { can: ['destroy'] } } }, /roles\.a\.can\[0\]: "destroy" is not an action/],
    [{ roles: { a: { can: ['read'], read: ['email..x'] } } }, /roles\.a\.read\[0\]: "email\.\.x" is not a field pattern/],
    [{ roles: { a: { can: ['read'], read: ['user metadata'] } } }, /roles\.a\.read\[0\]: "user metadata" is not a field pattern/],
    [
      { roles: { a: { can: ['read'], read: ['user_metadata.*.x'] } } },
      /roles\.a\.read\[0\]: "user_metadata\.\*\.x" is not a field pattern/,
    ],
    [{ roles: { a: { can: ['read'], scope: 'planet' } } }, /roles\.a\.scope: "planet" must be all or org/],
    [{ roles: { a: { can: ['read'], grant: ['bad\trole'] } } }, /roles\.a\.grant\[0\]: "bad\\trole" is not a role name/],
    [{ roles: { a: { can: ['read'], connections: ['bad conn'] } } }, /roles\.a\.connections\[0\]: "bad conn" is not a name/],
    [{ roles: {}, selfish: {} }, /unknown key\(s\) selfish/],
    [{ roles: { a: { can: ['read'] } }, self: { read: ['*'], delete: true } }, /self: unknown key\(s\) delete/],
    [{ roles: { boss: { can: ['read', 'fly'] } } }, /roles\.boss\.can\[1\]: "fly" is not an action \(list, read/],
    [{ roles: { ' padded': { can: ['read'] } } }, /roles\. padded: " padded" is not a role name/],
    [{ roles: { 'zero\u200bwidth': { can: ['read'] } } }, /is not a role name/],
    [{ roles: { '*': { can: ['read'] } } }, /roles\.\*: "\*" is not a role name/],
    [{ roles: { a: { can: ['read'], read: 'email' } } }, /roles\.a\.read: "email" is not an array/],
    [{ roles: { a: { read: ['email'] } } }, /roles\.a\.can: is required/],
    [{}, /roles: is required/],
    ['just text', /the file: "just text" is not an object/],
    [
      { roles: { a: { can: ['read_logs'], log_fields: ['date', 'password'] } } },
      /roles\.a\.log_fields\[1\]: "password" is not a log event field/,
    ],
    [{ roles: { a: { can: ['read_logs'], log_fields: ['*'] } } }, /roles\.a\.log_fields\[0\]: "\*" is not a log event field/],
    [{ roles: { a: { can: ['read'] } }, self: { can: ['delete'] } }, /self\.can\[0\]: "delete" is not a desk action/],
  ])('when the document is %j, then start-up stops naming the role and the problem', (doc, expected) => {
    expect(() => validatePolicyDocument(doc, 'acl.yaml')).toThrow(ConfigError);
    expect(() => validatePolicyDocument(doc, 'acl.yaml')).toThrow(expected);
  });

  it.each([
    [
      { org: { can: ['update'], scope: 'org', grant: ['global'] }, global: { can: ['list'] } },
      /roles\.org\.grant\[0\]: role "org" has scope org but grants role "global", whose scope is all/,
    ],
    [{ org: { can: ['update'], scope: 'org', grant: ['*'] } }, /roles\.org\.grant\[0\]: role "org" has scope org but grants every role/],
    [
      { org: { can: ['update'], scope: 'org', grant: ['ghost'] } },
      /role "org" has scope org but grants role "ghost", which the file does not define/,
    ],
  ])('a scope: org role that grants beyond its org (%j) stops start-up naming both roles', (roles, expected) => {
    expect(() => validatePolicyDocument({ roles }, 'acl.yaml')).toThrow(expected);
  });

  it('a scope: org role may grant scope: org roles, and a scope: all role anything', () => {
    const roles = {
      lead: { can: ['update'], scope: 'org', grant: ['member'] },
      member: { can: ['read'], scope: 'org' },
      root: { can: ['update'], grant: ['*'] },
    };
    expect(() => validatePolicyDocument({ roles }, 'acl.yaml')).not.toThrow();
  });

  it('a grant naming a role the file does not define is a problem, for a scope: all role too; * stays valid', () => {
    const roles = { admin: { can: ['update'], grant: ['admn', 'support', '*'] }, support: { can: ['read'] } };
    expect(() => validatePolicyDocument({ roles }, 'acl.yaml')).toThrow(
      'Invalid policy file acl.yaml: roles.admin.grant[0]: "admn" is not a role the file defines (admin, support)',
    );
    expect(() => validatePolicyDocument({ roles: { admin: { can: ['update'], grant: ['*'] } } }, 'acl.yaml')).not.toThrow();
  });

  it('every problem is named in one message, each with its role, place and value', () => {
    const doc = {
      roles: {
        boss: { can: ['read', 'fly'], read: ['email..x'], grant: ['ghost'] },
        lead: { can: ['update'], scope: 'org', grant: ['boss'] },
        clerk: { can: ['read'], colour: 'red', log_fields: ['password'] },
      },
      self: { delete: true },
      extra: 1,
    };
    let error: unknown;
    try {
      validatePolicyDocument(doc, 'acl.yaml');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PolicyFileError);
    const { policyProblems: problems, message } = error as PolicyFileError;
    expect(message).toMatch(/^Invalid policy file acl\.yaml: 8 problems:\n/);
    expect(problems).toHaveLength(8);
    expect(problems).toEqual(
      expect.arrayContaining([
        'roles.boss.can[1]: "fly" is not an action (list, read, create, update, delete, reset_password, send_verification, unblock, reset_mfa, logout, read_logs, list_members, remove_member, invite, revoke_invitation)',
        'roles.boss.read[0]: "email..x" is not a field pattern (a dot path such as app_metadata.org, or *)',
        'roles.boss.grant[0]: "ghost" is not a role the file defines (boss, clerk, lead)',
        'roles.lead.grant[0]: role "lead" has scope org but grants role "boss", whose scope is all; a scope: org role may grant only scope: org roles',
        'roles.clerk: unknown key(s) colour',
        expect.stringMatching(/^roles\.clerk\.log_fields\[0\]: "password" is not a log event field/),
        'self: unknown key(s) delete',
        'the file: unknown key(s) extra',
      ]),
    );
    for (const problem of problems) expect(message).toContain(`  - ${problem}`);
  });

  it('a file whose grants are wrong and whose schema is wrong names both kinds at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acl-'));
    const file = join(dir, 'acl.yaml');
    writeFileSync(file, 'roles:\n  admin:\n    can: [read, fly]\n    grant: [admn]\n');
    expect(() => loadPolicyFile(file, paths)).toThrow(
      /2 problems:\n {2}- roles\.admin\.can\[1\]: "fly".*\n {2}- roles\.admin\.grant\[0\]: "admn"/,
    );
  });

  it('log_fields are none by default and exactly what is named; self.can allows nothing by default', () => {
    const doc = validatePolicyDocument(
      { roles: { a: { can: ['read_logs'] }, b: { can: ['read_logs'], log_fields: ['date', 'ip'] } } },
      'acl.yaml',
    );
    const policy = compilePolicy(doc, appMetadataDirectory(paths));
    expect([...policy.roles.get('a')!.logFields]).toEqual([]);
    expect([...policy.roles.get('b')!.logFields]).toEqual(['date', 'ip']);
    expect(policy.self.can.size).toBe(0);
  });

  it('role names may be any Auth0 role name: quoted YAML keys with spaces, granted by that name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acl-'));
    const file = join(dir, 'acl.yaml');
    writeFileSync(file, 'roles:\n  "Tenant Admin":\n    can: [update]\n    grant: ["Help Desk"]\n  "Help Desk":\n    can: [read]\n');
    const policy = loadPolicyFile(file, paths);
    expect([...policy.roles.keys()].sort()).toEqual(['Help Desk', 'Tenant Admin']);
  });

  it('when the file is missing or not YAML, then start-up stops with a clear message', () => {
    expect(() => loadPolicyFile('/nonexistent/acl.yaml', paths)).toThrow(/ACL_FILE cannot be read \(ENOENT/);
    const dir = mkdtempSync(join(tmpdir(), 'acl-'));
    const file = join(dir, 'acl.yaml');
    writeFileSync(file, 'roles: [unclosed');
    expect(() => loadPolicyFile(file, paths)).toThrow(/not valid YAML/);
    writeFileSync(file, 'roles:\n  a:\n    can: [read]\n  a:\n    can: [list]\n');
    expect(() => loadPolicyFile(file, paths)).toThrow(/not valid YAML/);
  });

  it('a policy read from a file carries a version: a short hash of its bytes, which changes with them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acl-'));
    const file = join(dir, 'acl.yaml');
    writeFileSync(file, 'roles:\n  a:\n    can: [read]\n');
    const first = readPolicyFile(file, paths).version;
    expect(first).toMatch(/^[0-9a-f]{12}$/);
    expect(readPolicyFile(file, paths).version).toBe(first);
    writeFileSync(file, 'roles:\n  a:\n    can: [read]   # a comment is a change of bytes\n');
    expect(readPolicyFile(file, paths).version).not.toBe(first);
  });
});
