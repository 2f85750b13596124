import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/env';
import { loadPolicyFile, validatePolicyDocument } from '../../src/config/policy-file';
import { compilePolicy } from '../../src/policy/policy';

const paths = { orgPath: 'org', rolesPath: 'roles' };

describe('policy file validation', () => {
  it('accepts the shipped config/acl.yaml', () => {
    const policy = loadPolicyFile('config/acl.yaml', paths);
    expect([...policy.roles.keys()].sort()).toEqual(['admin', 'auditor', 'support', 'viewer']);
    expect(policy.hidden.covers('identities.refresh_token')).toBe(true);
  });

  it.each([
    [{ roles: { a: { can: ['read'], colour: 'red' } } }, /role "a": unknown key\(s\) colour/],
    [{ roles: { a: { can: ['destroy'] } } }, /role "a", can\[0\]: is not an action/],
    [{ roles: { a: { can: ['read'], read: ['email..x'] } } }, /role "a", read\[0\]: is not a field pattern/],
    [{ roles: { a: { can: ['read'], read: ['user metadata'] } } }, /role "a", read\[0\]: is not a field pattern/],
    [{ roles: { a: { can: ['read'], read: ['user_metadata.*.x'] } } }, /role "a", read\[0\]: is not a field pattern/],
    [{ roles: { a: { can: ['read'], scope: 'planet' } } }, /role "a", scope: must be all or org/],
    [{ roles: { a: { can: ['read'], grant: ['bad role'] } } }, /role "a", grant\[0\]: is not a name/],
    [{ roles: {}, selfish: {} }, /unknown key\(s\) selfish/],
    [{ roles: { a: { can: ['read'] } }, self: { read: ['*'], delete: true } }, /self: unknown key\(s\) delete/],
    [{ roles: { a: { read: ['email'] } } }, /role "a", can: Required/],
    [{ roles: { a: { can: ['read_logs'], log_fields: ['date', 'password'] } } }, /role "a", log_fields\[1\]: is not a log event field/],
    [{ roles: { a: { can: ['read_logs'], log_fields: ['*'] } } }, /role "a", log_fields\[0\]: is not a log event field/],
    [{ roles: { a: { can: ['read'] } }, self: { can: ['delete'] } }, /self.can.0: is not a desk action/],
    [{}, /roles: Required/],
    ['just text', /the file: Expected object/],
  ])('when the document is %j, then start-up stops naming the role and the problem', (doc, expected) => {
    expect(() => validatePolicyDocument(doc, 'acl.yaml')).toThrow(ConfigError);
    expect(() => validatePolicyDocument(doc, 'acl.yaml')).toThrow(expected);
  });

  it('log_fields are none by default and exactly what is named; self.can allows nothing by default', () => {
    const doc = validatePolicyDocument({ roles: { a: { can: ['read_logs'] }, b: { can: ['read_logs'], log_fields: ['date', 'ip'] } } }, 'acl.yaml');
    const policy = compilePolicy(doc, paths);
    expect([...policy.roles.get('a')!.logFields]).toEqual([]);
    expect([...policy.roles.get('b')!.logFields]).toEqual(['date', 'ip']);
    expect(policy.self.can.size).toBe(0);
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
});
