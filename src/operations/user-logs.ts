import { errors } from '../errors';
import type { OperationContext } from './context';
import { listIn, onDeskTarget, pick } from './desk-target';
import { LOG_SORT_FIELDS, PAGING_CAP } from '../management/auth0-limits';

const SORT = new RegExp(`^(${LOG_SORT_FIELDS.join('|')}):(1|-1)$`);
/** Auth0's page size of logs when `per_page` is not given. */
const DEFAULT_PER_PAGE = 50;

export interface LogParams {
  page?: string;
  per_page?: string;
  sort?: string;
  include_totals?: string;
}

function checked(params: LogParams): { page?: number; per_page?: number; include_totals?: boolean } {
  const out: { page?: number; per_page?: number; include_totals?: boolean } = {};
  if (params.page !== undefined) {
    if (!/^\d{1,3}$/.test(params.page)) throw errors.invalidQuery('page must be a whole number from 0 to 999');
    out.page = Number(params.page);
  }
  if (params.per_page !== undefined) {
    if (!/^(100|[1-9]\d?)$/.test(params.per_page)) throw errors.invalidQuery('per_page must be a whole number from 1 to 100');
    out.per_page = Number(params.per_page);
  }
  if (params.include_totals !== undefined) {
    if (params.include_totals !== 'true' && params.include_totals !== 'false')
      throw errors.invalidQuery('include_totals must be true or false');
    out.include_totals = params.include_totals === 'true';
  }
  // Auth0 serves the first 1000 events only: a page ending past them is refused before any call.
  const perPage = out.per_page ?? DEFAULT_PER_PAGE;
  if ((out.page ?? 0) * perPage + perPage > PAGING_CAP)
    throw errors.invalidPaging(
      `Auth0 serves only the first ${PAGING_CAP} log events of a user: page*per_page + per_page must not pass ${PAGING_CAP} (per_page is ${DEFAULT_PER_PAGE} when not given).`,
    );
  return out;
}

/**
 * GET /users/:id/logs: the user's log events, each cut to the log_fields of the caller's roles that
 * allow read_logs on this user (none by default). Sorting on a field is reading it.
 */
export async function readUserLogs(ctx: OperationContext, id: string, params: LogParams): Promise<unknown> {
  const query = checked(params);
  const sort = params.sort === undefined ? undefined : SORT.exec(params.sort);
  if (params.sort !== undefined && !sort)
    throw errors.invalidQuery(`sort must be <field>:1 or <field>:-1 with a field Auth0 sorts logs by: ${LOG_SORT_FIELDS.join(', ')}`);
  return onDeskTarget(
    ctx,
    'read_logs',
    id,
    async (target) => {
      const fields = target.logFields;
      const answer = await ctx.management.getUserLogs(target.id, { ...query, sort: params.sort }, ctx.scope);
      const logs = listIn(answer, 'logs').map((event) => pick(event, fields));
      if (Array.isArray(answer)) return logs;
      const page = answer as Record<string, unknown>;
      return { ...pick(page, ['start', 'limit', 'length', 'total']), logs };
    },
    { query: { sort: params.sort } },
  );
}
