import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * The policy CLI as a user runs it, spawned (`npm run policy -- ...` and `node dist/cli.js policy ...`),
 * its exit code and output read.
 * Policies and cases other than the shipped ones are this test's own files.
 */
const dir = mkdtempSync(join(tmpdir(), 'policy-cli-'));
const fileWith = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

/** The environment of a fresh shell: no ACL_FILE unless a test sets one, no Auth0 settings. */
const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const { ACL_FILE: _acl, AUTH0_DOMAIN: _domain, ...rest } = process.env;
  return { ...rest, ...extra };
};

type Run = { code: number | null; stdout: string; stderr: string };
const result = (run: ReturnType<typeof spawnSync>): Run => ({ code: run.status, stdout: String(run.stdout), stderr: String(run.stderr) });

/** `npm run policy -- ...`, as in a checkout. */
function npmPolicy(args: string[], extra: Record<string, string> = {}): Run {
  return result(spawnSync('npm', ['run', '-s', 'policy', '--', ...args], { env: env(extra), encoding: 'utf8', timeout: 60_000 }));
}

/** `node dist/cli.js policy ...`: the same command as built for the image (jest's global setup builds it; it starts faster). */
function policy(args: string[], extra: Record<string, string> = {}): Run {
  return result(spawnSync(process.execPath, ['dist/cli.js', 'policy', ...args], { env: env(extra), encoding: 'utf8', timeout: 60_000 }));
}

const OWN_POLICY = `
roles:
  lead:
    can: [list, read, update, unblock]
    read: [user_id, name, blocked]
    write: [blocked, app_metadata.roles]
    grant: [crew]
    scope: org
  crew:
    can: [read]
    read: [user_id, name]
    scope: org
`;

describe('npm run policy -- check', () => {
  it('a valid policy (config/acl.yaml by default): exit 0, and each role with its actions, fields, grants and whom it may manage', () => {
    const { code, stdout } = npmPolicy(['check']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^config\/acl\.yaml: valid \(version [0-9a-f]{12}, 4 role\(s\)\)$/m);
    expect(stdout).toContain('role support\n  actions: list, read, create, update, reset_password');
    expect(stdout).toContain(
      '  grant: viewer\n  connections: Username-Password-Authentication\n  log fields: client_name, connection, date, description, type',
    );
    expect(stdout).toContain('  manages: support may act on users holding: none, viewer');
    expect(stdout).toContain('  manages: admin may act on users holding: none, any role');
    expect(stdout).toContain('  manages: viewer acts on no user beyond listing and reading');
  }, 60_000);

  it('the policy comes from FILE, else ACL_FILE', () => {
    const own = fileWith('own.yaml', OWN_POLICY);
    for (const run of [policy(['check', own]), policy(['check'], { ACL_FILE: own })]) {
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`${own}: valid`);
      expect(run.stdout).toContain('role lead\n  actions: list, read, update, unblock (scope org');
      expect(run.stdout).toContain('lead may act on users holding: none, crew');
    }
  }, 60_000);

  it('a file with several problems: exit 1, every problem named with its role, place and value', () => {
    const bad = fileWith(
      'bad.yaml',
      'roles:\n  admin:\n    can: [read, fly]\n    grant: [admn, "*"]\n  desk:\n    can: [update]\n    scope: org\n    grant: [admin]\n    read: ["a..b"]\n',
    );
    const { code, stdout, stderr } = policy(['check', bad]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([
      `Invalid policy file ${bad}: 4 problems:`,
      expect.stringMatching(/^ {2}- roles\.admin\.can\[1\]: "fly" is not an action/),
      expect.stringMatching(/^ {2}- roles\.desk\.read\[0\]: "a\.\.b" is not a field pattern/),
      '  - roles.admin.grant[0]: "admn" is not a role the file defines (admin, desk)',
      '  - roles.desk.grant[0]: role "desk" has scope org but grants role "admin", whose scope is all; a scope: org role may grant only scope: org roles',
    ]);
  }, 60_000);
});

describe('npm run policy -- explain', () => {
  const own = fileWith('explain.yaml', OWN_POLICY);
  const explain = (...args: string[]) => policy(['explain', '--policy', own, ...args]);

  it.each([
    [
      ['--caller-roles', 'lead', '--caller-org', 'acme', '--target-roles', 'crew', '--target-org', 'acme', '--action', 'unblock'],
      'allow',
      'rule: role lead, can: unblock',
    ],
    [
      ['--caller-roles', 'lead', '--caller-org', 'acme', '--target-roles', 'lead', '--target-org', 'acme', '--action', 'unblock'],
      'deny target_protected',
      'rule: role lead, grant: lead',
    ],
    [
      ['--caller-roles', 'lead', '--caller-org', 'acme', '--target-org', 'globex', '--action', 'read'],
      'deny user_not_found',
      'rule: role lead, scope: org',
    ],
    [
      ['--caller-roles', 'crew', '--caller-org', 'acme', '--target-org', 'acme', '--action', 'update', '--body', '{"blocked":true}'],
      'deny action_forbidden',
      'rule: role crew, can: update',
    ],
    [
      [
        '--caller-roles',
        'lead',
        '--caller-org',
        'acme',
        '--target-org',
        'acme',
        '--action',
        'update',
        '--body',
        '{"app_metadata":{"roles":["lead"]}}',
      ],
      'deny role_not_grantable',
      'rule: role lead, grant: lead',
    ],
    [
      ['--caller-roles', 'lead', '--caller-org', 'acme', '--target-org', 'acme', '--action', 'update', '--body', '{"name":"x"}'],
      'deny field_not_writable',
      'rule: role lead, write: name',
    ],
    [
      ['--caller-roles', 'lead', '--caller-org', 'acme', '--caller-blocked', '--action', 'list'],
      'deny caller_blocked',
      'rule: blocked: true',
    ],
    [['--caller-roles', 'boss', '--action', 'list'], 'deny no_role', 'rule: roles: [boss]'],
    [
      ['--caller-roles', 'lead', '--caller-org', 'acme', '--target-self', '--action', 'unblock'],
      'deny self_forbidden',
      'rule: self.can: unblock',
    ],
  ])(
    '%j: first line %s, then the rule',
    (args, verdict, rule) => {
      const { code, stdout } = explain(...args);
      expect(code).toBe(0);
      const lines = stdout.trim().split('\n');
      expect(lines[0]).toBe(verdict);
      expect(lines[1]).toBe(rule);
    },
    60_000,
  );

  it('--json answers the same decision for tools, with the search usergate would send for a list', () => {
    const { code, stdout } = explain('--caller-roles', 'lead', '--caller-org', 'acme', '--action', 'list', '--q', 'name:jane', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      decision: 'allow',
      allowed: true,
      rule: { role: 'lead', key: 'can', value: 'list' },
      upstreamQuery: '(name:jane) AND app_metadata.org:"acme"',
    });
  }, 60_000);

  it('a bad command line: exit 2 with what is wrong and the usage', () => {
    const { code, stderr } = explain('--caller-roles', 'lead', '--action', 'fly');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^--action "fly" is not an action \(list, read/);
    expect(stderr).toContain('usage: policy <command>');
    expect(explain('--caller-roles', 'lead', '--action', 'update', '--body', '{not json').stderr).toMatch(/^--body is not JSON/);
  }, 60_000);
});

describe('npm run policy -- test', () => {
  it('the shipped expectations hold for the shipped policy (the default files)', () => {
    const { code, stdout } = npmPolicy(['test']);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(
      /^config\/acl\.test\.yaml against config\/acl\.yaml \(version [0-9a-f]{12}\): (\d+) of \1 case\(s\) hold$/,
    );
  }, 60_000);

  const own = fileWith('team.yaml', OWN_POLICY);
  const cases = (body: string) => fileWith(`cases-${Math.random().toString(36).slice(2)}.yaml`, `cases:\n${body}`);

  it('a file whose expectations hold: exit 0; one wrong expectation: exit 1, the case named with what it got', () => {
    const passing = cases(`
  - name: lead unblocks crew of its org
    caller: { roles: [lead], org: acme }
    target: { roles: [crew], org: acme }
    action: unblock
    expect: allow
  - name: lists are narrowed for lead
    caller: { roles: [lead], org: acme }
    query: { q: 'name:jane' }
    action: list
    expect: allow
  - name: lead cannot change its own roles
    caller: { roles: [lead], org: acme, sub: 'auth0|me' }
    target: { sub: 'auth0|me' }
    action: update
    body: { app_metadata: { roles: [lead, crew] } }
    expect: deny
    errorCode: self_forbidden
`);
    const ok = policy(['test', passing, '--policy', own]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('3 of 3 case(s) hold');

    const wrong = cases(`
  - name: lead unblocks crew of its org
    caller: { roles: [lead], org: acme }
    target: { roles: [crew], org: acme }
    action: unblock
    expect: allow
  - name: lead may unblock another lead (wrong)
    caller: { roles: [lead], org: acme }
    target: { roles: [lead], org: acme }
    action: unblock
    expect: allow
  - name: crew is refused with the wrong code (wrong)
    caller: { roles: [crew], org: acme }
    action: list
    expect: deny
    errorCode: no_role
`);
    const failed = policy(['test', wrong, '--policy', own]);
    expect(failed.code).toBe(1);
    expect(failed.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^FAIL lead may unblock another lead \(wrong\): expected allow, got deny target_protected \(rule: role lead, grant: lead; /,
      ),
      expect.stringMatching(
        /^FAIL crew is refused with the wrong code \(wrong\): expected deny no_role, got deny action_forbidden \(rule: role crew, can: list; /,
      ),
      expect.stringMatching(/: 1 of 3 case\(s\) hold, 2 fail$/),
    ]);
  }, 60_000);

  it('a test file that cannot be run: exit 1 naming every problem, no case run', () => {
    const broken = cases(`
  - name: no action
    caller: { roles: [lead] }
    expect: allow
  - name: bad verdict
    caller: { roles: [lead] }
    action: list
    expect: maybe
  - caller: { roles: [lead], colour: red }
    action: fly
    expect: allow
`);
    const { code, stderr } = policy(['test', broken, '--policy', own]);
    expect(code).toBe(1);
    expect(stderr).toContain(`Invalid test file ${broken}: 5 problems:`);
    expect(stderr).toContain('  - cases[0] ("no action") action: is not an action');
    expect(stderr).toContain('  - cases[1] ("bad verdict") expect: must be allow or deny');
    expect(stderr).toContain('  - cases[2] name: Required');
    expect(stderr).toContain("  - cases[2] caller: Unrecognized key(s) in object: 'colour'");
    expect(stderr).toContain('  - cases[2] action: is not an action');
  }, 60_000);
});

describe('the production form', () => {
  it('node dist/cli.js policy check needs no network and no Auth0 settings, even with NODE_ENV=production', () => {
    const run = spawnSync(process.execPath, ['dist/cli.js', 'policy', 'check'], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production' },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('support may act on users holding: none, viewer');
  });
});

describe('.env, as the service reads it', () => {
  it('reads ACL_FILE from .env in the working directory, so check judges the file the service would load; the environment wins', () => {
    const work = mkdtempSync(join(tmpdir(), 'policy-cli-dotenv-'));
    writeFileSync(join(work, 'broken.yaml'), 'roles:\n  boss:\n    can: [fly]\n');
    writeFileSync(join(work, '.env'), 'ACL_FILE=broken.yaml\n');
    const cli = join(process.cwd(), 'dist/cli.js');
    const fromFile = spawnSync(process.execPath, [cli, 'policy', 'check'], { cwd: work, env: env(), encoding: 'utf8' });
    expect(fromFile.status).toBe(1);
    expect(fromFile.stderr).toContain('broken.yaml');
    expect(fromFile.stderr).toContain('"fly" is not an action');
    const shipped = join(process.cwd(), 'config/acl.yaml');
    const envWins = spawnSync(process.execPath, [cli, 'policy', 'check'], { cwd: work, env: env({ ACL_FILE: shipped }), encoding: 'utf8' });
    expect(envWins.status).toBe(0);
  });
});
