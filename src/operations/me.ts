import { errors, HttpError } from '../errors';
import { checkUserId } from '../management/user-id';
import { filterUser } from '../policy/read-filter';
import { orgOf } from '../policy/user-fields';
import { writtenPaths } from '../policy/write-check';
import { appMetadataAfterWrite } from '../policy/write-preview';
import { roleChange } from '../policy/role-change';
import { audited, fetchTarget, type OperationContext } from './context';
import { checkProviderOwned, checkWritable, requireNonEmpty } from './write-rules';

function ownId(ctx: OperationContext): string {
  try {
    return checkUserId(ctx.permissions.caller.sub);
  } catch (err) {
    if (err instanceof HttpError) throw errors.userNotFound();
    throw err;
  }
}

/** GET /me: the caller's own profile under the `self` policy. */
export async function readMe(ctx: OperationContext): Promise<unknown> {
  const me = await fetchTarget(ctx, ownId(ctx));
  return filterUser(me, ctx.permissions.policy.self.read, ctx.permissions.policy.hidden);
}

/** PATCH /me: only `self.write` fields; never one's own roles or org, whatever `self.write` says. */
export async function updateMe(ctx: OperationContext, body: Record<string, unknown>): Promise<unknown> {
  const id = ownId(ctx);
  return audited(ctx, { action: 'update-self', target: id, fields: writtenPaths(body) }, async () => {
    requireNonEmpty(body);
    const policy = ctx.permissions.policy;
    checkWritable(body, policy.self.write, false);
    const me = await fetchTarget(ctx, id);
    if (roleChange(body, me, policy.rolesPath)) throw errors.selfForbidden('change the roles of');
    const org = appMetadataAfterWrite(body, me, policy.orgPath);
    if (org.touched && org.value !== orgOf(me, policy.orgPath)) throw errors.selfForbidden('change the org of');
    checkProviderOwned(body, me);
    const updated = await ctx.management.updateUser(id, body, ctx.requestId);
    return filterUser(updated, policy.self.read, policy.hidden);
  });
}
