import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { logIds } from '../lib/request-scope';

/** What a log line says of the request: its id, method and path (never the query, headers or body). */
export function requestSummary(req: Request): { id: string; method: string; path: string } {
  const url = req.originalUrl;
  const query = url.indexOf('?');
  return { id: req.id, method: req.method, path: query === -1 ? url : url.slice(0, query) };
}

/**
 * One line per request once it is answered (or abandoned by the client): the request's summary,
 * status, time taken, caller (`res.locals.sub`, set once the caller is resolved), request id and
 * trace id. info below 400, warn for 4xx, error for 5xx. One `logger` call, no child logger per
 * request (what pino-http did; docs/BENCHMARKS.md).
 */
export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    let logged = false;
    const done = (): void => {
      if (logged) return;
      logged = true;
      res.removeListener('close', done);
      const line = {
        req: requestSummary(req),
        res: { statusCode: res.statusCode },
        responseTime: Math.round(performance.now() - started),
        sub: res.locals.sub as string | undefined,
        ...logIds(req.scope),
      };
      if (!res.writableFinished) logger.warn(line, 'request aborted by the client before the answer was sent');
      else if (res.statusCode >= 500) logger.error(line, 'request failed');
      else if (res.statusCode >= 400) logger.warn(line, 'request refused');
      else logger.info(line, 'request completed');
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}
