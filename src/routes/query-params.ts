import type { Request } from 'express';
import { errors } from '../errors';

/** The query string as single strings: an unknown or repeated parameter is a 400, never a surprise. */
export function queryParams<K extends string>(req: Request, allowed: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const [key, value] of Object.entries(req.query as Record<string, unknown>)) {
    if (!(allowed as readonly string[]).includes(key)) {
      throw errors.invalidQuery(`unknown query parameter "${key.slice(0, 64)}"; allowed: ${allowed.join(', ')}`);
    }
    if (typeof value !== 'string') throw errors.invalidQuery(`query parameter "${key}" must be given once`);
    out[key as K] = value;
  }
  return out;
}
