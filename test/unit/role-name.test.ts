import { isRoleName } from '../../src/policy/role-name';

describe('role names: any Auth0 role name, nothing that could pass for another', () => {
  it.each(['admin', 'Tenant Admin', 'Help Desk (EU)', 'support:tier-2', 'Rôle français', 'a'.repeat(64)])('accepts %j', (name) => {
    expect(isRoleName(name)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['every role', '*'],
    ['too long', 'a'.repeat(65)],
    ['a leading space', ' admin'],
    ['a trailing space', 'admin '],
    ['a tab', 'Tenant\tAdmin'],
    ['a newline', 'Tenant\nAdmin'],
    ['a no-break space', 'Tenant\u00a0Admin'],
    ['a zero-width space', 'admin\u200b'],
    ['a right-to-left override', 'admin\u202e'],
    ['a NUL', 'admin\u0000'],
    ['a line separator', 'admin\u2028x'],
  ])('refuses %s', (_why, name) => {
    expect(isRoleName(name)).toBe(false);
  });
});
