/** Auth0 pages through the first 1000 results only; usergate answers that before calling upstream. */
export const PAGING_CAP = 1000;
/** The largest `per_page` Auth0 accepts on its list endpoints. */
export const MAX_PER_PAGE = 100;

/** The fields Auth0 sorts a user's log events by (its contract's pattern); any other is refused before the call. */
export const LOG_SORT_FIELDS = [
  'date',
  'connection',
  'client_id',
  'client_name',
  'ip',
  'user_id',
  'user_name',
  'description',
  'user_agent',
  'type',
  'details',
  'strategy',
  'strategy_type',
] as const;
