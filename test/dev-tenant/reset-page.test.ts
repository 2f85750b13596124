import { startDevTenant, type DevTenant } from '../../dev-tenant';
import { hashPassword } from '../../dev-tenant/user-store';
import { machineToken } from '../helpers/machine-token';
import { seedTarget } from '../helpers/targets';

/** The page a password-change ticket links to: the reset link printed by `npm start` leads somewhere. */
describe('dev tenant: the password-reset page of a ticket', () => {
  let tenant: DevTenant;
  let token: string;
  beforeAll(async () => {
    tenant = await startDevTenant();
    token = await machineToken(tenant);
  });
  afterAll(() => tenant.stop());

  const ticketFor = async (userId: string): Promise<string> => {
    const res = await fetch(`${tenant.url}/api/v2/tickets/password-change`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: userId, mark_email_as_verified: true }),
    });
    return ((await res.json()) as { ticket: string }).ticket;
  };
  const submit = (ticketUrl: string, password: string) =>
    fetch(new URL('/lo/reset', ticketUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ticket: new URL(ticketUrl).searchParams.get('ticket')!, password }),
    });

  it('shows a form naming the user; a weak password is refused; a strong one is set once, and the link then is dead', async () => {
    const user = seedTarget(tenant);
    const link = await ticketFor(user.user_id);
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain(user.email);
    expect(html).toContain('name="password"');

    const weak = await submit(link, 'short');
    expect([weak.status, await weak.text()]).toEqual([400, expect.stringContaining('Password is too weak.')]);
    expect(tenant.store.get(user.user_id)!.password_hash).toBe('x');

    const done = await submit(link, 'Str0ng-enough-pw');
    expect([done.status, await done.text()]).toEqual([200, expect.stringContaining('Your password has been changed.')]);
    expect(tenant.store.get(user.user_id)).toMatchObject({ password_hash: hashPassword('Str0ng-enough-pw'), email_verified: true });

    expect((await fetch(link)).status).toBe(404);
    expect((await submit(link, 'An0ther-strong-pw')).status).toBe(404);
  });

  it('an unknown ticket, or none, is a dead link page, never an error of the server', async () => {
    for (const path of ['/lo/reset', '/lo/reset?ticket=nope', '/lo/reset?ticket=a&ticket=b']) {
      const res = await fetch(`${tenant.url}${path}`);
      expect([path, res.status]).toEqual([path, 404]);
      expect(await res.text()).toContain('This link is not valid');
    }
  });
});
