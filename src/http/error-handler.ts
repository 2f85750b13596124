import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { errors, HttpError, reasonPhrase } from '../errors';
import { requestSummary } from './request-log';
import { causeChain } from '../lib/cause-chain';
import { logIds } from '../lib/request-scope';

/** Errors thrown by Express's body parser carry a `type`; those of its router and other libraries a `status`. */
interface LibraryError {
  type?: string;
  status?: unknown;
  statusCode?: unknown;
}

/**
 * What a library's error means for the caller: a 4xx it raised is the caller's input (a URIError from
 * decoding a path parameter, a body the parser refused), so it is answered as such; 500 stays for bugs.
 */
function fromLibrary(err: unknown): HttpError | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const known = fromParser(err as LibraryError);
  if (known) return known;
  if (err instanceof URIError) return errors.invalidPath();
  const { status, statusCode } = err as LibraryError;
  const code = typeof status === 'number' ? status : statusCode;
  return typeof code === 'number' && code >= 400 && code < 500 ? errors.badRequest() : undefined;
}

function fromParser(err: LibraryError): HttpError | undefined {
  switch (err.type) {
    case 'entity.too.large':
      return errors.bodyTooLarge('100 kB');
    case 'entity.parse.failed':
      return errors.invalidJson();
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return errors.unsupportedMediaType();
    case 'request.aborted':
    case 'request.size.invalid':
      return errors.invalidBody('The request body was incomplete.');
    default:
      return undefined;
  }
}

/** Turns anything thrown into the JSON error body (docs/api.md). 4xx log at info, 5xx at error. */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const known = err instanceof HttpError ? err : fromLibrary(err);
    const error = known ?? errors.internal();
    const about = { req: requestSummary(req), sub: res.locals.sub as string | undefined, ...logIds(req.scope) };
    // A 5xx names what lay underneath (a reset, a refused connection, a timeout, a TLS or DNS failure, an upstream status).
    if (error.status >= 500) logger.error({ ...about, err, code: error.code, cause: causeChain(err) }, 'request failed');
    else logger.info({ ...about, code: error.code, status: error.status }, error.message);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.locals.errorCode = error.code;
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    res.status(error.status).json({
      statusCode: error.status,
      error: reasonPhrase(error.status),
      message: error.message,
      errorCode: error.code,
      requestId: req.id,
      ...error.extra,
    });
  };
}
