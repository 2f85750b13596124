import { errors, HttpError } from '../errors';
import { checkUserId } from '../management/user-id';
import { writtenPaths } from '../policy/write-check';
import { audited, decideOrThrow, fetchProfile, revokingWrite, type OperationContext } from './context';

function ownId(ctx: OperationContext): string {
  try {
    return checkUserId(ctx.permissions.sub);
  } catch (err) {
    if (err instanceof HttpError) throw errors.userNotFound();
    throw err;
  }
}

/** GET /me: the caller's own profile under the `self` policy. */
export async function readMe(ctx: OperationContext): Promise<unknown> {
  const id = ownId(ctx);
  const me = await fetchProfile(ctx, id);
  decideOrThrow(ctx, 'self_read', me, { id });
  return ctx.permissions.viewSelf(me);
}

/** PATCH /me: decide in `self` terms (only `self.write` fields, never one's own roles or org) -> write -> filter. */
export async function updateMe(ctx: OperationContext, body: Record<string, unknown>): Promise<unknown> {
  const id = ownId(ctx);
  return audited(ctx, { action: 'update-self', target: id, fields: writtenPaths(body) }, async () => {
    const input = { id, body };
    const screened = decideOrThrow(ctx, 'self_update', undefined, input);
    const verdict = decideOrThrow(ctx, 'self_update', await fetchProfile(ctx, id), input, screened);
    const updated = await revokingWrite(ctx, verdict.invalidatesTarget ? id : undefined, () =>
      ctx.management.updateUser(id, verdict.body, ctx.scope),
    );
    return ctx.permissions.viewSelf(updated);
  });
}
