import { errors } from '../errors';
import { checkUserId } from '../management/user-id';
import { decideWrite, screenWrite } from '../policy/write-decision';
import { writtenPaths } from '../policy/write-check';
import { audited, fetchTarget, revokingWrite, type OperationContext } from './context';

/**
 * PATCH /users/:id: what can be refused without the target is refused first; then the target is read
 * and the one write decision says whether this caller may write this body to it. Nothing is sent
 * upstream unless it allows; a change of the target's roles, org or `blocked` binds at once.
 */
export async function updateUser(ctx: OperationContext, id: string, body: Record<string, unknown>): Promise<unknown> {
  return audited(ctx, { action: 'update', target: id.slice(0, 512), fields: writtenPaths(body) }, async () => {
    const p = ctx.permissions;
    const early = screenWrite(p, 'update', body);
    if (early) throw early;
    checkUserId(id);
    if (id === p.sub) throw errors.selfForbidden('change');
    const verdict = decideWrite(p, 'update', body, await fetchTarget(ctx, id));
    if (!verdict.allowed) throw verdict.refusal;
    const updated = await revokingWrite(ctx, verdict.rebindsTarget ? id : undefined, () =>
      ctx.management.updateUser(id, verdict.body, ctx.scope),
    );
    return p.view('update', updated) ?? {};
  });
}
