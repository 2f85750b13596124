import type { Request, Response } from 'express';
import { sendApiError } from './errors';

/** Auth0's list defaults: 50 a page (or a `take`), at most 100 (the OpenAPI document checks the bounds). */
const DEFAULT_PER_PAGE = 50;

/**
 * Offset paging as the Organizations endpoints answer it: `page`/`per_page`, a bare array, or with
 * `include_totals=true` `{<key>, start, limit, total}` (`total` left out where Auth0's answer has none).
 */
export function offsetPage<T>(req: Request, res: Response, key: string, items: T[], withTotal = true): void {
  const perPage = req.query.per_page === undefined ? DEFAULT_PER_PAGE : Number(req.query.per_page);
  const start = Number(req.query.page ?? 0) * perPage;
  const slice = items.slice(start, start + perPage);
  if (req.query.include_totals !== 'true') return void res.json(slice);
  res.json({ [key]: slice, start, limit: perPage, ...(withTotal ? { total: items.length } : {}) });
}

/** Whether a list request asks for checkpoint paging (`from` and/or `take`). */
export function wantsCheckpoint(req: Request): boolean {
  return req.query.from !== undefined || req.query.take !== undefined;
}

/**
 * Checkpoint paging: `take` items after the opaque `from` cursor, answered `{<key>, next}`, `next` the
 * cursor of the following page and absent on the last one. Items are in a stable order; the cursor
 * names the first item of the next page by its key. An unreadable cursor is Auth0's 400.
 */
export function checkpointPage<T>(
  req: Request,
  res: Response,
  key: string,
  items: T[],
  keyOf: (item: T) => string,
  view: (item: T) => unknown = (item) => item,
): void {
  const take = req.query.take === undefined ? DEFAULT_PER_PAGE : Number(req.query.take);
  let start = 0;
  if (typeof req.query.from === 'string' && req.query.from !== '') {
    const after = Buffer.from(req.query.from, 'base64url').toString('utf8');
    if (!/^[\x20-\x7e]+$/.test(after)) return sendApiError(res, 400, 'Invalid value for from parameter', 'invalid_query_string');
    start = items.findIndex((item) => keyOf(item) >= after);
    if (start < 0) start = items.length;
  }
  const slice = items.slice(start, start + take).map(view);
  const following = items[start + take];
  res.json({ [key]: slice, ...(following ? { next: Buffer.from(keyOf(following)).toString('base64url') } : {}) });
}
