import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LivePolicy } from '../../src/config/live-policy';
import { readPolicyFile } from '../../src/config/policy-file';

const paths = { orgPath: 'org', rolesPath: 'roles' };

function policyFile(text: string): { file: string; write: (t: string) => void } {
  const file = join(mkdtempSync(join(tmpdir(), 'live-policy-')), 'acl.yaml');
  writeFileSync(file, text);
  return { file, write: (t) => writeFileSync(file, t) };
}

describe('the served policy and its reloads', () => {
  let clock = 0;
  const now = () => clock;
  const start = (text: string) => {
    const { file, write } = policyFile(text);
    const read = () => readPolicyFile(file, paths);
    return { live: new LivePolicy(read(), read, now), write };
  };

  it('a valid file serves after reload, with a new version, load time and caches of its own', () => {
    clock = Date.parse('2026-01-01T00:00:00Z');
    const { live, write } = start('roles:\n  clerk:\n    can: [read]\n');
    const before = live.current();
    expect(live.status()).toEqual({
      state: 'ok',
      detail: '1 role(s) loaded',
      version: before.version,
      loaded_at: '2026-01-01T00:00:00.000Z',
    });
    write('roles:\n  clerk:\n    can: [read, list]\n  lead:\n    can: [read]\n');
    clock += 5000;
    const outcome = live.reload();
    const after = live.current();
    expect(outcome).toEqual({ ok: true, version: after.version, previous: before.version });
    expect(after.version).not.toBe(before.version);
    expect([...after.policy.roles.get('clerk')!.can]).toEqual(['read', 'list']);
    expect(after.searchAnalyses).not.toBe(before.searchAnalyses);
    expect(live.status()).toMatchObject({ state: 'ok', detail: '2 role(s) loaded', loaded_at: '2026-01-01T00:00:05.000Z' });
  });

  it('an invalid file is refused: the last good policy serves, and the status names every problem until a good reload', () => {
    const { live, write } = start('roles:\n  clerk:\n    can: [read]\n');
    const good = live.current();
    write('roles:\n  clerk:\n    can: [read, fly]\n    grant: [admn]\n');
    const outcome = live.reload();
    expect(outcome).toEqual({
      ok: false,
      version: good.version,
      problems: [expect.stringContaining('roles.clerk.can[1]: "fly"'), expect.stringContaining('roles.clerk.grant[0]: "admn"')],
    });
    expect(live.current()).toBe(good);
    const status = live.status();
    expect(status).toMatchObject({ state: 'warning', version: good.version });
    expect(status.error).toContain('"fly" is not an action');
    expect(status.error).toContain('"admn" is not a role the file defines');
    write('roles: [unclosed');
    expect(live.reload()).toMatchObject({ ok: false, problems: [expect.stringMatching(/^not valid YAML/)] });
    write('roles:\n  clerk:\n    can: [list]\n');
    expect(live.reload().ok).toBe(true);
    expect(live.status().state).toBe('ok');
    expect(live.status().error).toBeUndefined();
  });

  it('listeners hear the served version at once and after each successful reload only', () => {
    const { live, write } = start('roles:\n  clerk:\n    can: [read]\n');
    const heard: string[] = [];
    live.onServe((served) => heard.push(served.version));
    write('roles: {}\nbogus: 1\n');
    live.reload();
    write('roles: {}\n');
    live.reload();
    expect(heard).toHaveLength(2);
    expect(heard[1]).toBe(live.current().version);
  });
});
