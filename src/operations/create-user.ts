import { writtenPaths } from '../policy/write-check';
import { audited, decideOrThrow, type OperationContext } from './context';

/** POST /users: decide on the body (no target yet; the org forced in for org-scoped creators) -> create -> filter. */
export async function createUser(ctx: OperationContext, body: Record<string, unknown>): Promise<unknown> {
  return audited(ctx, { action: 'create', fields: writtenPaths(body) }, async () => {
    const verdict = decideOrThrow(ctx, 'create', undefined, { body });
    const created = (await ctx.management.createUser(verdict.body, ctx.scope)) as Record<string, unknown>;
    if (verdict.invalidatesTarget && typeof created?.user_id === 'string') await ctx.forgetCaller(created.user_id);
    return ctx.permissions.view('create', created) ?? {};
  });
}
