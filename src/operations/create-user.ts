import { decideWrite } from '../policy/write-decision';
import { writtenPaths } from '../policy/write-check';
import { audited, type OperationContext } from './context';

/** POST /users: the write decision on the body (no target yet); the org forced in for org-scoped creators. */
export async function createUser(ctx: OperationContext, body: Record<string, unknown>): Promise<unknown> {
  return audited(ctx, { action: 'create', fields: writtenPaths(body) }, async () => {
    const p = ctx.permissions;
    const verdict = decideWrite(p, 'create', body, {});
    if (!verdict.allowed) throw verdict.refusal;
    const created = (await ctx.management.createUser(verdict.body, ctx.scope)) as Record<string, unknown>;
    if (verdict.rebindsTarget && typeof created?.user_id === 'string') await ctx.forgetCaller(created.user_id);
    return p.view('create', created) ?? {};
  });
}
