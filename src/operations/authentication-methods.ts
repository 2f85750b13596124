import { errors, HttpError } from '../errors';
import type { OperationContext } from './context';
import { listIn, onDeskTarget, pick } from './desk-target';

/** What a support agent needs to see of an enrolled factor; never keys, secrets, phone numbers or emails. */
const METHOD_KEYS = ['id', 'type', 'name', 'confirmed', 'created_at', 'enrolled_at', 'last_auth_at'];

/** GET /users/:id/authentication-methods: the user's enrolled factors, without secrets. */
export async function readAuthenticationMethods(ctx: OperationContext, id: string): Promise<Record<string, unknown>[]> {
  return onDeskTarget(ctx, 'reset_mfa', id, async (target) => {
    const answer = await ctx.management.getAuthenticationMethods(target.id, ctx.scope);
    return listIn(answer, 'authenticators').map((method) => pick(method, METHOD_KEYS));
  });
}

/**
 * DELETE /users/:id/authentication-methods: removes every factor, then forgets the browsers that were
 * remembered for MFA, so the next login must enrol again. Both calls are idempotent: when the second
 * fails, the 502 says so and the whole request can simply be repeated.
 */
export async function resetAuthenticationMethods(ctx: OperationContext, id: string): Promise<void> {
  await onDeskTarget(ctx, 'reset_mfa', id, async (target) => {
    await ctx.management.deleteAuthenticationMethods(target.id, ctx.scope);
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
