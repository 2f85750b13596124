import { checkUserId } from '../management/user-id';
import { applySelection } from '../policy/field-selection';
import { filterUser } from '../policy/read-filter';
import { decideOrThrow, fetchTarget, type OperationContext } from './context';

/** GET /users/:id: decide (the `fields` asked; then scope: outside it, 404) -> fetch -> filter as the verdict says. */
export async function readUser(ctx: OperationContext, id: string, params: { fields?: string; include_fields?: string }): Promise<unknown> {
  const input = { id, query: params };
  const screened = decideOrThrow(ctx, 'read', undefined, input);
  checkUserId(id);
  const user = await fetchTarget(ctx, id, false);
  const verdict = decideOrThrow(ctx, 'read', user, input, screened);
  const p = ctx.permissions;
  return applySelection(filterUser(user, p.readableBy(verdict.acting), p.hidden), verdict.selection);
}
