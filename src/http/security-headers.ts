import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

/** An API that answers JSON only: the strictest CSP, and no framing, whatever a browser makes of it. */
const API_HELMET: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
};

/**
 * helmet's headers for every answer, plus `Cache-Control: no-store`. helmet decides them (its
 * defaults and API_HELMET); they depend on nothing in the request, so helmet runs once, at start,
 * on a response that records what it sets, and each request gets that list in one middleware
 * rather than helmet's chain of a dozen (docs/BENCHMARKS.md).
 */
export function securityHeaders(options: HelmetOptions = API_HELMET) {
  const headers: [string, string][] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      const at = headers.findIndex(([known]) => known.toLowerCase() === name.toLowerCase());
      if (at !== -1) headers.splice(at, 1);
      headers.push([name, Array.isArray(value) ? value.join(', ') : String(value as string | number)]);
    },
    removeHeader(name: string) {
      const at = headers.findIndex(([known]) => known.toLowerCase() === name.toLowerCase());
      if (at !== -1) headers.splice(at, 1);
    },
  };
  let ran = false;
  let failed: unknown;
  void helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    ran = true;
    failed = err;
  });
  // helmet's middlewares are synchronous; one that were not (or that failed) must stop the start.
  if (!ran || failed !== undefined) throw new Error('helmet did not set its headers synchronously at start');
  recorder.setHeader('Cache-Control', 'no-store');
  return (_req: Request, res: Response, next: NextFunction): void => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}
