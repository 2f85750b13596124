import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { ConsoleConfig } from '../config/env';
import { errors } from '../errors';

export interface ConsoleOptions {
  /** The built single-page app (index.html and assets/). */
  dir: string;
  settings: ConsoleConfig;
}

/**
 * The console's CSP: its own scripts and styles only, no inline code; it may call usergate (same
 * origin) and the tenant (the SPA SDK's token endpoint and its silent sign-in frame), and nothing else.
 */
export function consoleCsp(tenantOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${tenantOrigin}`,
    `frame-src ${tenantOrigin}`,
    "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * /console: the reference admin console as static files, and /console/config.json telling it where
 * to sign in. Nothing secret is served: the client id and audience are public values of an SPA.
 * Mounted before token verification; everything else keeps the API's strict CSP.
 */
export function consoleRoutes(options: ConsoleOptions): Router {
  const router = Router();
  const csp = consoleCsp(options.settings.domain);
  router.use('/console', (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Content-Security-Policy', csp);
    next();
  });
  router.get('/console/config.json', (_req, res) => {
    const { domain, clientId, audience, issuer } = options.settings;
    res.json({ domain, clientId, audience, issuer });
  });
  router.use('/console', express.static(options.dir, { index: 'index.html', dotfiles: 'ignore', fallthrough: true }));
  router.use('/console', (req: Request, _res: Response, next: NextFunction) =>
    next(errors.routeNotFound(req.method, req.originalUrl.split('?')[0] ?? '')),
  );
  return router;
}
