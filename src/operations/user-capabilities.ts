import { checkUserId } from '../management/user-id';
import { capabilities, type Capabilities } from '../policy/capabilities';
import { decideOrThrow, fetchTarget, type OperationContext } from './context';

/**
 * GET /users/:id/capabilities: the target as a read fetches it (outside the caller's scope: 404, as a
 * read), then the decision for every per-user action on it. Nothing is forwarded besides the read.
 */
export async function readCapabilities(ctx: OperationContext, id: string): Promise<Capabilities> {
  const screened = decideOrThrow(ctx, 'read', undefined, { id });
  checkUserId(id);
  const user = await fetchTarget(ctx, id);
  decideOrThrow(ctx, 'read', user, { id }, screened);
  return capabilities(ctx.permissions, id, user);
}
