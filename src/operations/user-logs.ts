import { errors } from '../errors';
import type { OperationContext } from './context';
import { listIn, onDeskTarget, pick } from './desk-target';

const SORT = /^([A-Za-z_]{1,32}):(1|-1)$/;

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
  return out;
}

/**
 * GET /users/:id/logs: the user's log events, each cut to the log_fields of the caller's roles that
 * allow read_logs on this user (none by default). Sorting on a field is reading it.
 */
export async function readUserLogs(ctx: OperationContext, id: string, params: LogParams): Promise<unknown> {
  const query = checked(params);
  if (params.sort !== undefined && !SORT.test(params.sort)) throw errors.invalidQuery('sort must be <field>:1 or <field>:-1');
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
