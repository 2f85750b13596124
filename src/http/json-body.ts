import express, { type NextFunction, type Request, type Response } from 'express';
import { errors } from '../errors';

/** Bodies larger than this are refused with 413 before they are parsed. */
export const BODY_LIMIT = '100kb';
/** Deeper bodies are refused: no Auth0 user needs them, and they would cost recursion. */
export const MAX_BODY_DEPTH = 16;
/** Keys that could reach an object's prototype if some code ever merged the body naively. */
const POISON_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function inspect(value: unknown, depth: number): void {
  if (depth > MAX_BODY_DEPTH) throw errors.invalidBody(`The request body is nested deeper than ${MAX_BODY_DEPTH} levels.`);
  if (Array.isArray(value)) {
    for (const item of value) inspect(item, depth + 1);
  } else if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (POISON_KEYS.has(key)) throw errors.invalidBody(`The key "${key}" is not allowed in a request body.`);
      inspect((value as Record<string, unknown>)[key], depth + 1);
    }
  }
}

/**
 * JSON bodies, for the routes that take one: application/json only (415 otherwise), 100 kB (413), valid JSON (400), a
 * JSON object at the top, no prototype keys, bounded depth.
 */
export function jsonBody() {
  const parse = express.json({ limit: BODY_LIMIT, strict: true, type: () => true });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!req.is('application/json')) return next(errors.unsupportedMediaType());
    parse(req, res, (err?: unknown) => {
      if (err) return next(err);
      const body: unknown = req.body;
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        return next(errors.invalidBody('The request body must be a JSON object.'));
      }
      try {
        inspect(body, 0);
      } catch (problem) {
        return next(problem);
      }
      next();
    });
  };
}
