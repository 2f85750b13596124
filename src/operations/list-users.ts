import { errors } from '../errors';
import { guardSearch, guardSort } from '../policy/search-query';
import { requireAction, type OperationContext } from './context';
import { applySelection, parseFieldSelection, upstreamFields, type FieldSelection } from './field-selection';

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
  requireAction(ctx, 'list');
  const { searchable, narrowTo } = ctx.permissions.listing();
  // Checked by the contract (src/http/contract/users.ts), the paging cap included.
  const perPage = params.per_page === undefined ? 50 : Number(params.per_page);
  const page = params.page === undefined ? 0 : Number(params.page);
  const includeTotals = params.include_totals === 'true';
  const hidden = ctx.permissions.hidden;
  const search = guardSearch(params.q, searchable, hidden, narrowTo, ctx.searchAnalyses);
  const sort = guardSort(params.sort, searchable, hidden);
  const selection = parseFieldSelection(params.fields, params.include_fields, searchable, hidden);
  const answer = await ctx.management.listUsers(
    { search_engine: 'v3', q: search.q, page, per_page: perPage, sort, include_totals: includeTotals, ...upstreamFields(selection) },
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
  requireAction(ctx, 'list');
  const { searchable } = ctx.permissions.listing();
  const email = params.email;
  if (!searchable.covers('email')) throw errors.fieldsNotReadable('email', ['email']);
  const selection = parseFieldSelection(params.fields, params.include_fields, searchable, ctx.permissions.hidden);
  const answer = await ctx.management.usersByEmail({ email, ...upstreamFields(selection) }, ctx.scope);
  return visibleUsers(ctx, answer, selection);
}
