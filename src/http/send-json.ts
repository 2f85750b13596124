import type { Response } from 'express';

/**
 * Sends a JSON answer with headers and body in one socket write. Express's `res.json` turns a body
 * over 1000 characters into a Buffer (so headers and body leave as a writev) and re-parses its own
 * content type to add the charset; the read routes skip that work (docs/BENCHMARKS.md).
 * Node sets Content-Length itself, as the whole body is given to `end`.
 */
export function sendJson(res: Response, body: unknown): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}
