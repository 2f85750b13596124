import { Router } from 'express';
import { errors, reasonPhrase } from '../errors';
import type { ReadinessCheck } from '../readiness';

/** Liveness and readiness; no token needed, nothing about the tenant disclosed beyond each check's state. */
export function healthRoutes(readiness: ReadinessCheck): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    const result = await readiness();
    if (result.ready) {
      res.json({ status: 'ready', checks: result.checks });
      return;
    }
    // The error body of every error, plus the state of each dependency.
    const error = errors.notReady(result.reason ?? 'a check fails');
    res.locals.errorCode = error.code;
    res.status(error.status).json({
      statusCode: error.status,
      error: reasonPhrase(error.status),
      message: error.message,
      errorCode: error.code,
      requestId: req.id,
      checks: result.checks,
    });
  });
  return router;
}
