import type { OperationContext } from './context';
import { listIn, onDeskTarget, pick } from './desk-target';

export interface LogParams {
  page?: string;
  per_page?: string;
  sort?: string;
  include_totals?: string;
}

/** The upstream query, from parameters the contract checked (src/http/contract/desk.ts). */
function upstreamQuery(params: LogParams): { page?: number; per_page?: number; include_totals?: boolean } {
  const out: { page?: number; per_page?: number; include_totals?: boolean } = {};
  if (params.page !== undefined) out.page = Number(params.page);
  if (params.per_page !== undefined) out.per_page = Number(params.per_page);
  if (params.include_totals !== undefined) out.include_totals = params.include_totals === 'true';
  return out;
}

/**
 * GET /users/:id/logs: the user's log events, each cut to the log_fields of the caller's roles that
 * allow read_logs on this user (none by default). Sorting on a field is reading it.
 */
export async function readUserLogs(ctx: OperationContext, id: string, params: LogParams): Promise<unknown> {
  const query = upstreamQuery(params);
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
