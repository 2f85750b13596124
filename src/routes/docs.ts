import path from 'node:path';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { errors } from '../errors';
import { openApiDocument } from '../http/contract/document';

/**
 * The reference page may run the kept swagger-ui bundle (from node_modules, nothing fetched at run
 * time): scripts and styles from this origin only; every other path keeps the API's `default-src 'none'`.
 */
const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>usergate API</title><link rel="stylesheet" href="./swagger-ui.css"></head>
<body><div id="reference"></div><script src="./swagger-ui-bundle.js"></script><script src="./init.js"></script></body>
</html>
`;

// Relative to /docs/, so that the page works behind a path prefix too.
const INIT = `window.ui = SwaggerUIBundle({ url: '../openapi.json', dom_id: '#reference', deepLinking: true, tryItOutEnabled: false });\n`;

/** GET /openapi.json, always; GET /docs/ (the API reference page) when enabled. No token needed. */
export function docsRoutes(options: { docs: boolean }): Router {
  const router = Router();
  const body = JSON.stringify(openApiDocument());
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(body);
  });
  if (!options.docs) {
    // Off: a plain 404, before the token check (a disabled page is not a protected one).
    router.use('/docs', (req, _res, next) => next(errors.routeNotFound(req.method, req.originalUrl.split('?')[0]!)));
    return router;
  }
  const assets = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const csp = (_req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('Content-Security-Policy', DOCS_CSP);
    next();
  };
  router.get('/docs', (req, res, next) => (req.path === '/docs' ? res.status(301).location('docs/').end() : next()));
  router.get('/docs/', csp, (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get('/docs/init.js', csp, (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  for (const file of ['swagger-ui.css', 'swagger-ui-bundle.js']) {
    router.get(`/docs/${file}`, csp, (_req, res, next) => res.sendFile(path.join(assets, file), (err) => err && next(err)));
  }
  return router;
}
