import { errors, HttpError } from '../errors';
import { checkUserId } from '../management/user-id';
import { decideWrite, screenWrite } from '../policy/write-decision';
import { writtenPaths } from '../policy/write-check';
import { audited, fetchTarget, revokingWrite, type OperationContext } from './context';

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
  return ctx.permissions.viewSelf(await fetchTarget(ctx, ownId(ctx)));
}

/** PATCH /me: the write decision in `self` mode: only `self.write` fields, never one's own roles or org. */
export async function updateMe(ctx: OperationContext, body: Record<string, unknown>): Promise<unknown> {
  const id = ownId(ctx);
  return audited(ctx, { action: 'update-self', target: id, fields: writtenPaths(body) }, async () => {
    const p = ctx.permissions;
    const early = screenWrite(p, 'self', body);
    if (early) throw early;
    const verdict = decideWrite(p, 'self', body, await fetchTarget(ctx, id));
    if (!verdict.allowed) throw verdict.refusal;
    const updated = await revokingWrite(ctx, verdict.rebindsTarget ? id : undefined, () =>
      ctx.management.updateUser(id, verdict.body, ctx.scope),
    );
    return p.viewSelf(updated);
  });
}
