import { checkUserId } from '../management/user-id';
import { fetchTarget, requireAction, type OperationContext } from './context';
import { applySelection, parseFieldSelection } from './field-selection';

/** GET /users/:id: the user, filtered; a user outside the caller's scope is a 404. */
export async function readUser(ctx: OperationContext, id: string, params: { fields?: string; include_fields?: string }): Promise<unknown> {
  requireAction(ctx, 'read');
  checkUserId(id);
  const p = ctx.permissions;
  const selection = parseFieldSelection(params.fields, params.include_fields, p.readableBy(p.rolesWithAction('read')), p.hidden);
  const user = await fetchTarget(ctx, id);
  const seen = p.view('read', user);
  if (!seen) throw p.outOfScope('read', user);
  return applySelection(seen, selection);
}
