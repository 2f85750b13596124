import { withMemberships } from '../directory';
import { errors, HttpError } from '../errors';
import { writtenPaths } from '../policy/write-check';
import { audited, decideOrThrow, type OperationContext } from './context';

/** POST /users: decide on the body (no target yet; the org forced in for org-scoped creators) -> create -> filter. */
export async function createUser(ctx: OperationContext, body: Record<string, unknown>): Promise<unknown> {
  return audited(ctx, { action: 'create', fields: writtenPaths(body) }, async () => {
    const verdict = decideOrThrow(ctx, 'create', undefined, { body });
    let created = (await ctx.management.createUser(verdict.body, ctx.scope)) as Record<string, unknown>;
    if (verdict.invalidatesTarget && typeof created?.user_id === 'string') await ctx.forgetCaller(created.user_id);
    if (verdict.joinOrg !== undefined) created = await joinOrRollBack(ctx, created, verdict.joinOrg);
    return ctx.permissions.view('create', created) ?? {};
  });
}

/**
 * ORG_SOURCE=organizations, an org-scoped creator: the new user joins the creator's organization. If
 * that fails, the user is deleted again and the failure answered: nothing is left half written. If the
 * delete fails too, the answer (a 502, logged at error level with both causes) says so and names the user.
 */
async function joinOrRollBack(ctx: OperationContext, created: Record<string, unknown>, org: string): Promise<Record<string, unknown>> {
  const id = created?.user_id;
  if (typeof id !== 'string') throw errors.upstreamError('the created user has no user_id, so it could not be added to your organization');
  try {
    await ctx.management.addOrganizationMembers(org, [id], ctx.scope);
  } catch (joinError) {
    try {
      await ctx.management.deleteUser(id, ctx.scope);
    } catch (deleteError) {
      const code = (err: unknown): string => (err instanceof HttpError ? err.code : 'internal_error');
      throw errors
        .upstreamError(
          `user ${id} was created but could not be added to your organization (${code(joinError)}), and deleting it again failed too (${code(deleteError)}): it exists outside your organization; delete it or add it to the organization`,
        )
        .causedBy(deleteError);
    }
    throw joinError;
  }
  // The creator sees the new user as a member of its organization (what its scope reaches).
  return withMemberships({ ...created }, { orgs: new Map([[org, undefined]]), complete: false });
}
