import { Router } from 'express';
import { errors } from '../errors';

export type ReadinessCheck = () => Promise<({ ready: true } | { ready: false; reason: string }) & { details?: Record<string, string> }>;

/** Liveness and readiness; no token needed, nothing about the tenant disclosed beyond the reason. */
export function healthRoutes(readiness: ReadinessCheck): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const result = await readiness();
    if (!result.ready) throw errors.notReady(result.reason);
    res.json({ status: 'ready', ...result.details });
  });
  return router;
}
