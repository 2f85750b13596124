import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { policyCommand } from '../../src/cli/policy-command';

/*
 * The policy commands in-process, as the spawned CLI runs them (test/integration/policy-cli.test.ts runs
 * the real command): what they print and the exit code, on the shipped policy and on this test's own.
 */
const dir = mkdtempSync(join(tmpdir(), 'policy-cli-unit-'));
const fileWith = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const run = (...args: string[]) => policyCommand(args, {});
const explain = async (...args: string[]) => {
  const result = await run('explain', ...args);
  expect(result.code).toBe(0);
  return result.stdout!.split('\n');
};

describe('policy check', () => {
  it('prints self and the hidden fields after the roles', async () => {
    const { code, stdout } = await run('check');
    expect(code).toBe(0);
    expect(stdout).toContain('self (any verified caller, through /me)\n  read: ');
    expect(stdout).toContain('  desk actions on itself: logout');
    expect(stdout).toMatch(/hidden from everyone: .*password.*user_metadata\.security_answers/);
  });

  it('an unreadable file: exit 1 naming it', async () => {
    expect(await run('check', join(dir, 'missing.yaml'))).toEqual({
      code: 1,
      stderr: expect.stringContaining(`ACL_FILE cannot be read (ENOENT: ${join(dir, 'missing.yaml')})`),
    });
  });

  it('ACL_FILE is the default, and ROLES_PATH / ORG_PATH are checked like the service checks them', async () => {
    const own = fileWith('own.yaml', 'roles:\n  clerk:\n    can: [read]\n');
    expect((await policyCommand(['check'], { ACL_FILE: own })).stdout).toContain(`${own}: valid`);
    expect(await policyCommand(['check'], { ORG_PATH: 'a..b' })).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^ORG_PATH must be a dot path/),
    });
  });
});

describe('policy explain on the shipped policy', () => {
  const support = ['--caller-roles', 'support', '--caller-org', 'acme'];

  it.each([
    [[...support, '--action', 'list', '--q', 'name:ja('], 'deny invalid_search', 'rule: built into usergate: invalid_search'],
    [
      [...support, '--action', 'list', '--q', 'last_ip:1'],
      'deny field_not_readable',
      expect.stringMatching(/^rule: role support, read: \[app_metadata\.org, /),
    ],
    [
      [...support, '--action', 'create', '--body', '{"connection":"google-oauth2","email":"a@b.c"}'],
      'deny connection_forbidden',
      'rule: role support, connections: google-oauth2',
    ],
    [
      ['--caller-roles', 'support', '--action', 'create', '--body', '{"connection":"Username-Password-Authentication"}'],
      'deny org_forbidden',
      'rule: role support, scope: org',
    ],
    [
      ['--caller-roles', 'admin', '--target-self', '--action', 'delete'],
      'deny self_forbidden',
      expect.stringMatching(/^rule: built into usergate: nobody updates or deletes itself/),
    ],
    [['--caller-roles', 'admin', '--target-self', '--action', 'reset_mfa'], 'deny self_forbidden', 'rule: self.can: reset_mfa'],
    [
      ['--caller-roles', 'viewer,auditor', '--caller-org', 'acme', '--target-org', 'globex', '--action', 'read'],
      'allow',
      'rule: role auditor, can: read',
    ],
    [['--caller-roles', 'viewer', '--action', 'list'], 'deny action_forbidden', 'rule: role viewer, scope: org'],
    // A role held as an organization member role acts only in that org, even a tenant-wide one.
    [
      ['--caller-roles', '', '--caller-member-roles', 'auditor', '--caller-org', 'acme', '--target-org', 'globex', '--action', 'read'],
      'deny user_not_found',
      'rule: role auditor, scope: org',
    ],
    [
      ['--caller-roles', '', '--caller-member-roles', 'auditor', '--caller-org', 'acme', '--target-org', 'acme', '--action', 'read'],
      'allow',
      'rule: role auditor, can: read',
    ],
    [['--caller-roles', '', '--action', 'read'], 'deny no_role', 'rule: roles: []'],
  ])('%j: %s', async (args, verdict, rule) => {
    const lines = await explain(...args);
    expect(lines[0]).toBe(verdict);
    expect(lines[1]).toEqual(rule);
  });

  it('a list names the search usergate would send upstream', async () => {
    const lines = await explain(...support, '--action', 'list');
    expect(lines).toEqual(['allow', 'rule: role support, can: list', 'upstream q: app_metadata.org:"acme"']);
  });
});

describe('policy test', () => {
  const cases = (body: string) => fileWith(`cases-${Math.random().toString(36).slice(2)}.yaml`, body);

  it('a case file that cannot run names every problem: targets and bodies where the action takes none, bodies missing, duplicate names', async () => {
    const file = cases(`cases:
  - name: a
    caller: { roles: [admin] }
    target: { roles: [viewer] }
    action: list
    expect: allow
  - name: a
    caller: { roles: [admin] }
    target: { roles: [viewer] }
    action: update
    expect: allow
    errorCode: nope
  - name: c
    caller: { roles: [admin] }
    target: { roles: [viewer] }
    query: { q: x }
    action: read
    body: { name: x }
    expect: deny
`);
    const { code, stderr } = await run('test', file);
    expect(code).toBe(1);
    expect(stderr!.split('\n').slice(1)).toEqual([
      '  - cases[0] ("a") target: is not used by list (it has no target user)',
      '  - cases[1] ("a") errorCode: goes only with expect: deny',
      '  - cases[1] ("a") body: is required for update',
      '  - cases[2] ("c") body: is not used by read',
      '  - cases[2] ("c") query: is used by list only',
    ]);
    expect(await run('test', cases('cases: []\n'))).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('cases: must hold at least one case'),
    });
    expect(await run('test', cases('cases: [\n'))).toMatchObject({ code: 1, stderr: expect.stringContaining('not valid YAML') });
    expect(await run('test', join(dir, 'none.yaml'))).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('cannot be read (ENOENT)'),
    });
  });

  it('the shipped cases hold for the shipped policy; a wrong expectation is named with what it got', async () => {
    expect(await run('test')).toEqual({
      code: 0,
      stdout: expect.stringMatching(/^config\/acl\.test\.yaml against config\/acl\.yaml .*: (\d+) of \1 case\(s\) hold$/),
    });
    const wrong = cases(`cases:
  - name: viewer deletes (wrong)
    caller: { roles: [viewer], org: acme }
    target: { org: acme }
    action: delete
    expect: deny
    errorCode: target_protected
`);
    expect(await run('test', wrong)).toEqual({
      code: 1,
      stdout: expect.stringMatching(
        /^FAIL viewer deletes \(wrong\): expected deny target_protected, got deny action_forbidden \(rule: role viewer, can: delete; Your roles do not allow the action "delete"\.\)\n.*: 0 of 1 case\(s\) hold, 1 fail$/,
      ),
    });
  });

  it('member_roles: a caller role held as an organization member role acts only in its org', async () => {
    const file = cases(`cases:
  - name: member auditor reads in its org
    caller: { roles: [], member_roles: [auditor], org: acme }
    target: { org: acme }
    action: read
    expect: allow
  - name: member auditor reads nobody elsewhere
    caller: { roles: [], member_roles: [auditor], org: acme }
    target: { org: globex }
    action: read
    expect: deny
    errorCode: user_not_found
  - name: tenant auditor reads everywhere
    caller: { roles: [auditor], member_roles: [auditor], org: acme }
    target: { org: globex }
    action: read
    expect: allow
`);
    expect(await run('test', file)).toEqual({ code: 0, stdout: expect.stringMatching(/: 3 of 3 case\(s\) hold$/) });
  });

  it('two cases with one name: the second is named', async () => {
    const one = '  - name: same\n    caller: { roles: [admin] }\n    action: list\n    expect: allow\n';
    const file = cases(`cases:\n${one}${one}`);
    const { stderr } = await run('test', file);
    expect(stderr).toBe(`Invalid test file ${file}: cases[1] ("same"): the name is used by an earlier case`);
  });
});

describe('the command line', () => {
  it.each([
    [[], 2, /^usage: policy <command>/, 'stdout'],
    [['help'], 0, /^usage: policy <command>/, 'stdout'],
    [['fly'], 2, /^unknown command "fly"\nusage/, 'stderr'],
    [['check', 'a.yaml', 'b.yaml'], 2, /^check takes at most one FILE/, 'stderr'],
    [['check', '--colour'], 2, /^Unknown option '--colour'/, 'stderr'],
    [['explain', '--action', 'read'], 2, /^--caller-roles is required/, 'stderr'],
    [['explain', '--caller-roles', 'admin'], 2, /^--action is required/, 'stderr'],
    [['explain', '--caller-roles', 'admin', '--action', 'update'], 2, /^--body is required for update/, 'stderr'],
    [['explain', '--caller-roles', 'admin', '--action', 'create', '--body', '[1]'], 2, /^--body must be a JSON object/, 'stderr'],
    [
      ['explain', '--caller-roles', 'admin', '--action', 'read', '--target-self', '--target-sub', 'auth0|x'],
      2,
      /^--target-self and --target-sub exclude each other/,
      'stderr',
    ],
    [['explain', 'extra', '--caller-roles', 'admin', '--action', 'read'], 2, /^explain takes no positional argument/, 'stderr'],
    [['explain', '--caller-roles', 'admin', '--action', 'read', '--q', 'x'], 2, /^--q is used by list only/, 'stderr'],
    [['explain', '--caller-roles', 'admin', '--action', 'read', '--body', '{}'], 2, /^--body is not used by read/, 'stderr'],
    [['test', 'a.yaml', 'b.yaml'], 2, /^test takes at most one CASES file/, 'stderr'],
  ])('%j: exit %i', async (args, code, text, stream) => {
    const result = await run(...args);
    expect(result.code).toBe(code);
    expect(result[stream as 'stdout' | 'stderr']).toMatch(text);
  });
});
