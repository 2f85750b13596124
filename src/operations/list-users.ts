import { organizationIdsOf, PAGE, pageOf, withMemberships } from '../directory';
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
  const { q, sort, listing } = verdict.list!;
  const selection = verdict.selection;
  // Checked by the contract (src/http/contract/users.ts), the paging cap included.
  const perPage = params.per_page === undefined ? 50 : Number(params.per_page);
  const page = params.page === undefined ? 0 : Number(params.page);
  const includeTotals = params.include_totals === 'true';
  if (listing.membersOf !== undefined) return listMembers(ctx, listing.membersOf, { page, perPage, includeTotals }, selection);
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

/** What an organization member answer holds of a user (Auth0 adds `roles` only when asked; usergate never asks). */
const MEMBER_ATTRIBUTES = ['user_id', 'email', 'name', 'picture'] as const;

/** A member of `org` as the members list answers it: its user attributes, known to be a member (for the scope check). */
function asMember(member: Record<string, unknown>, org: string): Record<string, unknown> {
  const user: Record<string, unknown> = {};
  for (const key of MEMBER_ATTRIBUTES) if (Object.hasOwn(member, key)) user[key] = member[key];
  return withMemberships(user, { orgs: new Map([[org, undefined]]), complete: false });
}

/**
 * GET /users of a caller whose list roles are all org-scoped, where organizations live apart: a page of
 * its organization's members (`GET /organizations/{org}/members`), in the users-list shape, each member
 * cut to what the caller may read of it.
 */
async function listMembers(
  ctx: OperationContext,
  org: string,
  paging: { page: number; perPage: number; includeTotals: boolean },
  selection: FieldSelection | undefined,
): Promise<unknown> {
  const answer = await ctx.management.listOrganizationMembers(
    org,
    { page: paging.page, per_page: paging.perPage, include_totals: paging.includeTotals },
    ctx.scope,
  );
  const { items } = pageOf(answer, 'members');
  const users = visibleUsers(
    ctx,
    items.map((m) => asMember(m, org)),
    selection,
  );
  if (!paging.includeTotals) return users;
  const body = (answer ?? {}) as Record<string, unknown>;
  const start = typeof body.start === 'number' ? body.start : paging.page * paging.perPage;
  const limit = typeof body.limit === 'number' ? body.limit : paging.perPage;
  return { start, limit, length: users.length, total: typeof body.total === 'number' ? body.total : users.length, users };
}

/**
 * Most users of one email whose membership is checked for an org-scoped caller: one upstream call each
 * (one page of its organizations), so one lookup costs at most 1 + MAX_EMAIL_MATCHES calls.
 */
const MAX_EMAIL_MATCHES = 10;

/**
 * Only the users that are members of `org` now, each checked on the first page of its organizations.
 * A membership that cannot be decided within that bound (more matches than MAX_EMAIL_MATCHES, or a user
 * with more organizations than one page holds, `org` not among them) fails closed: 400
 * org_search_unavailable saying so, rather than an answer that silently leaves someone out.
 */
async function membersAmong(ctx: OperationContext, users: unknown[], org: string): Promise<Record<string, unknown>[]> {
  if (users.length > MAX_EMAIL_MATCHES) throw errors.orgSearchUnavailable(EMAIL_LOOKUP_TOO_BROAD);
  const members: Record<string, unknown>[] = [];
  for (const user of users) {
    const id = (user as { user_id?: unknown } | null)?.user_id;
    if (typeof id !== 'string') continue;
    const { ids, complete } = await organizationIdsOf(ctx.management, id, { max: PAGE, maxPages: 1, until: org, scope: ctx.scope });
    if (!ids.includes(org)) {
      if (!complete) throw errors.orgSearchUnavailable(EMAIL_LOOKUP_TOO_BROAD);
      continue;
    }
    members.push(withMemberships({ ...(user as Record<string, unknown>) }, { orgs: new Map([[org, undefined]]), complete: false }));
  }
  return members;
}

const EMAIL_LOOKUP_TOO_BROAD =
  `Your roles are limited to your organization, and whether the users with this email are its members cannot be checked ` +
  `within usergate's bound (at most ${MAX_EMAIL_MATCHES} accounts, each in at most ${PAGE} organizations): ` +
  `page through the organization's members with GET /users instead.`;

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
  const org = verdict.list!.listing.membersOf;
  if (org === undefined) return visibleUsers(ctx, answer, selection);
  // An org-scoped caller, organizations apart: only the users who are members of its organization now.
  if (!Array.isArray(answer)) throw errors.upstreamError('the user list was not an array');
  return visibleUsers(ctx, await membersAmong(ctx, answer as unknown[], org), selection);
}
