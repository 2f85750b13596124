import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { errors, HttpError, reasonPhrase } from '../errors';

/** Errors thrown by Express's own body parser carry a `type`. */
interface ParserError {
  type?: string;
  status?: number;
  limit?: number;
}

function fromParser(err: ParserError): HttpError | undefined {
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

/** Turns anything thrown into the JSON error body of DESIGN.md. 4xx log at info, 5xx at error. */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const known = err instanceof HttpError ? err : fromParser(err as ParserError);
    const error = known ?? errors.internal();
    const log = req.log ?? logger;
    if (error.status >= 500) log.error({ err, code: error.code }, 'request failed');
    else log.info({ code: error.code, status: error.status }, error.message);
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
    });
  };
}
