/** What every typed call answers on success (a non-2xx has already rejected with UsergateError). */
export async function data<T>(call: Promise<{ data?: T }>): Promise<T> {
  return (await call).data as T;
}

/**
 * Where a page starts, how long it may be and how many there are in all, whatever shape usergate
 * answered: a bare array (shown as one page) or include_totals' `{start, limit, total, ...}`.
 */
export function pageFrame(
  answer: readonly unknown[] | { start?: number; limit?: number; total?: number },
  count: number,
  page: number,
  perPage: number,
): { start: number; limit: number; total: number } {
  const totals = Array.isArray(answer) ? {} : (answer as { start?: number; limit?: number; total?: number });
  return { start: totals.start ?? page * perPage, limit: totals.limit ?? perPage, total: totals.total ?? count };
}
