import { errors, HttpError } from '../errors';
import type { OperationContext } from './context';
import { listIn, onDeskTarget, pick } from './desk-target';

/** What a support agent needs to see of an enrolled factor; never keys, secrets, phone numbers or emails. */
const METHOD_KEYS = ['id', 'type', 'name', 'confirmed', 'created_at', 'enrolled_at', 'last_auth_at'];

/**
 * The authentication-method types an MFA reset removes: the second factors. `password` and `passkey`
 * are primary credentials (removing them would lock the user out), and a type not listed here (one
 * Auth0 adds later, `email-verification`) is left alone too.
 */
export const MFA_TYPES: readonly string[] = [
  'totp',
  'phone',
  'email',
  'push',
  'guardian',
  'webauthn-roaming',
  'webauthn-platform',
  'recovery-code',
];
const PAGE = 100;
const MAX_PAGES = 10;

/** Every enrolled method of the user (Auth0 pages the list), as Auth0 answers them. */
async function allMethods(ctx: OperationContext, userId: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await ctx.management.getAuthenticationMethods(userId, { page, per_page: PAGE, include_totals: true }, ctx.scope);
    const items = listIn(answer, 'authenticators') as Record<string, unknown>[];
    out.push(...items);
    const total = (answer as { total?: unknown }).total;
    if (items.length < PAGE || (typeof total === 'number' && out.length >= total)) break;
  }
  return out;
}

/** GET /users/:id/authentication-methods: the user's enrolled factors, without secrets. */
export async function readAuthenticationMethods(ctx: OperationContext, id: string): Promise<Record<string, unknown>[]> {
  return onDeskTarget(ctx, 'reset_mfa', id, async (target) => {
    // Every page, so the agent sees what a reset would remove.
    return (await allMethods(ctx, target.id)).map((method) => pick(method, METHOD_KEYS));
  });
}

/**
 * DELETE /users/:id/authentication-methods: removes each MFA factor (MFA_TYPES) one by one, leaving
 * the password and passkeys (Auth0's delete-all would remove those too), then forgets the browsers
 * remembered for MFA, so the next login must enrol again. Every call is idempotent: when one fails,
 * the error says what was done and the whole request can simply be repeated.
 */
export async function resetAuthenticationMethods(ctx: OperationContext, id: string): Promise<void> {
  await onDeskTarget(ctx, 'reset_mfa', id, async (target) => {
    const factors = (await allMethods(ctx, target.id)).filter(
      (m) => typeof m.id === 'string' && typeof m.type === 'string' && MFA_TYPES.includes(m.type),
    );
    let removed = 0;
    for (const factor of factors) {
      try {
        await ctx.management.deleteAuthenticationMethod(target.id, String(factor.id), ctx.scope);
      } catch (err) {
        // Removed meanwhile: nothing left to do for it.
        if (err instanceof HttpError && err.code === errors.upstreamNotFound.code) continue;
        throw err instanceof HttpError
          ? err.explained(`${removed} of ${factors.length} MFA factor(s) were removed before this stopped; repeat the request.`)
          : errors.internal();
      }
      removed += 1;
    }
    try {
      await ctx.management.invalidateRememberBrowser(target.id, ctx.scope);
    } catch (err) {
      if (err instanceof HttpError && err.status >= 500) {
        throw err.explained('The factors were removed, but remembered browsers were not forgotten; repeat the request.');
      }
      throw err instanceof HttpError ? err : errors.internal();
    }
  });
}
