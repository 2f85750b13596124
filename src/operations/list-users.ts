import { errors } from '../errors';
import { applySelection, type FieldSelection } from '../policy/field-selection';
import { decideOrThrow, type OperationContext } from './context';
import { upstreamFields } from './field-selection';

import { MAX_PER_PAGE, PAGING_CAP } from '../management/auth0-limits';

export { MAX_PER_PAGE, PAGING_CAP };

export interface ListParams {
  q?: string;
  page?: string;
  per_page?: string;
  sort?: string;
  include_totals?: string;
  fields?: string;
  include_fields?: string;
}

/** Filters each user with the roles in scope for it; users no role reaches are dropped. */
function visibleUsers(ctx: OperationContext, users: unknown, selection: FieldSelection | undefined): Record<string, unknown>[] {
  if (!Array.isArray(users)) throw errors.upstreamError('the user list was not an array');
  const out: Record<string, unknown>[] = [];
  for (const user of users) {
    const seen = ctx.permissions.view('list', user);
    if (seen) out.push(applySelection(seen, selection));
  }
  return out;
}

/** GET /users: search, sort and page under the caller's policy. */
export async function listUsers(ctx: OperationContext, params: ListParams): Promise<unknown> {
  const verdict = decideOrThrow(ctx, 'list', undefined, { query: params });
  const { q, sort } = verdict.list!;
  const selection = verdict.selection;
  // Checked by the contract (src/http/contract/users.ts), the paging cap included.
  const perPage = params.per_page === undefined ? 50 : Number(params.per_page);
  const page = params.page === undefined ? 0 : Number(params.page);
  const includeTotals = params.include_totals === 'true';
  const answer = await ctx.management.listUsers(
    {
      search_engine: 'v3',
      q,
      page,
      per_page: perPage,
      sort,
      include_totals: includeTotals,
      ...upstreamFields(selection, ctx.permissions.policy.directory.neededFields),
    },
    ctx.scope,
  );
  if (!includeTotals) return visibleUsers(ctx, answer, selection);
  const body = (answer ?? {}) as Record<string, unknown>;
  const users = visibleUsers(ctx, body.users, selection);
  return { start: body.start, limit: body.limit, length: users.length, total: body.total, users };
}

/** GET /users-by-email: an exact email lookup is a search on `email`, so the caller must read it. */
export async function usersByEmail(
  ctx: OperationContext,
  params: { email: string; fields?: string; include_fields?: string },
): Promise<unknown> {
  const email = params.email;
  const verdict = decideOrThrow(ctx, 'list', undefined, {
    query: { email: email ?? '', fields: params.fields, include_fields: params.include_fields },
  });
  const selection = verdict.selection;
  const answer = await ctx.management.usersByEmail(
    { email, ...upstreamFields(selection, ctx.permissions.policy.directory.neededFields) },
    ctx.scope,
  );
  return visibleUsers(ctx, answer, selection);
}
