import cors from 'cors';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { createAuditLog } from './audit/audit-log';
import { attachCaller } from './auth/attach-caller';
import type { CallerResolver } from './auth/resolve-caller';
import { errorHandler } from './http/error-handler';
import { errors } from './errors';
import { requestId } from './http/request-id';
import type { ManagementClient } from './management/management-client';
import type { Policy } from './policy/policy';
import { consoleRoutes, type ConsoleOptions } from './routes/console';
import { healthRoutes, type ReadinessCheck } from './routes/health';
import { meRoutes } from './routes/me';
import { usersRoutes } from './routes/users';

/** Everything the app needs, built by server.ts (or by a test). */
export interface AppDeps {
  logger: Logger;
  policy: Policy;
  /** Verifies the app access token and sets `req.auth` (auth/verify-token.ts). */
  verifyToken: RequestHandler;
  resolveCaller: CallerResolver;
  management: ManagementClient;
  readiness: ReadinessCheck;
  /** Browser origins allowed cross-origin (CORS_ORIGINS); none by default. */
  corsOrigins?: string[];
  /** The reference console at /console (CONSOLE_ENABLED); off when absent. */
  console?: ConsoleOptions;
}

/**
 * Builds the Express app: reads no environment, listens on nothing. The request path reads top to
 * bottom: request id and logging, health, token verification, caller resolution, routes (which
 * parse bodies where they take one, authorise, forward and filter), then the one error handler.
 */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestId());
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req) => (req as Request).id,
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  // An API that answers JSON only: the strictest CSP, and no framing, whatever a browser makes of it.
  app.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } }));
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(healthRoutes(deps.readiness));
  if (deps.console) app.use(consoleRoutes(deps.console));
  if (deps.corsOrigins && deps.corsOrigins.length > 0) {
    // Before token verification: a preflight carries no token. Only listed origins get the headers.
    app.use(
      cors({
        origin: deps.corsOrigins,
        methods: ['GET', 'POST', 'PATCH', 'DELETE'],
        allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
        exposedHeaders: ['X-Request-Id', 'Retry-After', 'WWW-Authenticate'],
        maxAge: 600,
      }),
    );
  }
  app.use(deps.verifyToken);
  app.use(attachCaller({ ...deps, audit: createAuditLog(deps.logger) }));
  app.use(meRoutes());
  app.use(usersRoutes());
  app.use((req: Request, _res: Response, next: NextFunction) => next(errors.routeNotFound(req.method, req.path)));
  app.use(errorHandler(deps.logger));
  return app;
}
