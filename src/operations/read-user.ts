import { checkUserId } from '../management/user-id';
import { filterUser } from '../policy/read-filter';
import { fetchTarget, outOfScope, requireAction, type OperationContext } from './context';
import { applySelection, parseFieldSelection } from './field-selection';

/** GET /users/:id: the user, filtered; a user outside the caller's scope is a 404. */
export async function readUser(ctx: OperationContext, id: string, params: { fields?: string; include_fields?: string }): Promise<unknown> {
  requireAction(ctx, 'read');
  checkUserId(id);
  const p = ctx.permissions;
  const selection = parseFieldSelection(params.fields, params.include_fields, p.union('read', p.rolesWithAction('read')), p.policy.hidden);
  const user = await fetchTarget(ctx, id);
  const roles = p.rolesFor('read', user);
  if (roles.length === 0) throw outOfScope(ctx, 'read', user);
  return applySelection(filterUser(user, p.union('read', roles), p.policy.hidden), selection);
}
