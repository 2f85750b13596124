import { Router } from 'express';
import { errors } from '../errors';
import type { ReadinessCheck } from '../readiness';

/** Liveness and readiness; no token needed, nothing about the tenant disclosed beyond the reason. */
export function healthRoutes(readiness: ReadinessCheck): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const result = await readiness();
    if (!result.ready) throw errors.notReady(result.reason);
    res.json({ status: 'ready', ...(result.warnings ? { warnings: result.warnings } : {}), ...result.details });
  });
  return router;
}
