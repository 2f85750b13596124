import { Router } from 'express';
import { errors } from '../errors';
import type { ReadinessCheck } from '../readiness';

/** Liveness and readiness; no token needed, nothing about the tenant disclosed beyond each check's state. */
export function healthRoutes(readiness: ReadinessCheck): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const result = await readiness();
    if (result.ready) {
      res.json({ status: 'ready', checks: result.checks });
      return;
    }
    // The error body of every error, plus the state of each dependency.
    const error = errors.notReady(result.reason ?? 'a check fails');
    error.extra = { checks: result.checks };
    throw error;
  });
  return router;
}
