import cors from 'cors';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { createAuditLog } from './audit/audit-log';
import { attachCaller } from './routes/attach-caller';
import type { CallerResolver } from './auth/resolve-caller';
import type { RoleIds } from './directory';
import { errorHandler } from './http/error-handler';
import { errors } from './errors';
import { requestLog } from './http/request-log';
import { requestScope } from './http/request-scope';
import { securityHeaders } from './http/security-headers';
import type { ManagementClient } from './management/management-client';
import type { Metrics } from './metrics/metrics';
import type { PolicySource } from './config/live-policy';
import type { ReadinessCheck } from './readiness';
import { capabilitiesRoutes } from './routes/capabilities';
import { deskRoutes } from './routes/desk';
import { docsRoutes } from './routes/docs';
import { healthRoutes } from './routes/health';
import { consoleRoutes, type ConsoleOptions } from './routes/console';
import { meRoutes } from './routes/me';
import { orgsRoutes } from './routes/orgs';
import { contractRoutes } from './routes/route-table';
import { usersRoutes } from './routes/users';

/** Everything the app needs, built by server.ts (or by a test). */
export interface AppDeps {
  logger: Logger;
  /** The policy each request is decided by: the one served when it starts (reloaded on SIGHUP by server.ts). */
  policies: PolicySource;
  /** Verifies the app access token and sets `req.auth` (auth/verify-token.ts). */
  verifyToken: RequestHandler;
  /** Resolves callers (roles, org, blocked) and forgets a cached one after usergate changes it. */
  callers: CallerResolver;
  management: ManagementClient;
  /** ROLES_SOURCE=rbac: role names to Auth0 role ids for the roles routes (cached). */
  roleIds?: RoleIds;
  readiness: ReadinessCheck;
  /** Each caller's share (CALLER_RATE), after token verification and before anything upstream. */
  callerLimit?: RequestHandler;
  /** Browser origins allowed cross-origin (CORS_ORIGINS); none by default. */
  corsOrigins?: string[];
  /** Allowed result_url values of password-change tickets (TICKET_RESULT_URLS); none by default. */
  ticketResultUrls?: string[];
  /** The application a ticket sends the user back to on the New Universal Login (TICKET_CLIENT_ID). */
  ticketClientId?: string;
  /** The application organization invitations are for (INVITATION_CLIENT_ID); without it invitations answer 501. */
  invitationClientId?: string;
  /** The tenant's plan (AUTH0_PLAN): which endpoints sign-out uses; default `standard`. */
  auth0Plan?: 'enterprise' | 'standard';
  /** Serve the API reference page at /docs (DOCS_ENABLED); /openapi.json is always served. */
  docs?: boolean;
  /** Prometheus metrics (METRICS_PORT); none when unset. */
  metrics?: Metrics;
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
  app.use(requestScope());
  if (deps.metrics) app.use(deps.metrics.middleware());
  app.use(requestLog(deps.logger));
  app.use(securityHeaders());
  app.use(contractRoutes(healthRoutes(deps.readiness)));
  app.use(docsRoutes({ docs: deps.docs ?? false }));
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
  const audit = createAuditLog(deps.logger);
  const metrics = deps.metrics;
  const observedAudit: typeof audit = (entry) => {
    audit(entry);
    metrics?.auditEvent(entry.action, entry.outcome);
  };
  if (deps.callerLimit) app.use(deps.callerLimit);
  app.use(attachCaller({ ...deps, audit: metrics ? observedAudit : audit }));
  // The route table (src/routes/route-table.ts), built here once from the contract.
  app.use(
    contractRoutes(
      meRoutes(),
      usersRoutes(),
      deskRoutes({
        ticket: { resultUrls: deps.ticketResultUrls ?? [], clientId: deps.ticketClientId },
        plan: deps.auth0Plan ?? 'standard',
      }),
      capabilitiesRoutes(),
      orgsRoutes({ invitationClientId: deps.invitationClientId }),
    ),
  );
  app.use((req: Request, _res: Response, next: NextFunction) => next(errors.routeNotFound(req.method, req.path)));
  app.use(errorHandler(deps.logger));
  return app;
}
