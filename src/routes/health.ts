import { Router } from 'express';
import { errors } from '../errors';

/** `warnings`: what works but is degraded, e.g. Management API scopes an enabled action lacks. */
export type ReadinessCheck = () => Promise<{ ready: true; warnings?: string[] } | { ready: false; reason: string }>;

/** Liveness and readiness; no token needed, nothing about the tenant disclosed beyond the reason. */
export function healthRoutes(readiness: ReadinessCheck): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const result = await readiness();
    if (!result.ready) throw errors.notReady(result.reason);
    res.json(result.warnings ? { status: 'ready', warnings: result.warnings } : { status: 'ready' });
  });
  return router;
}
