import { healthRoutes as contract } from '../http/contract/health';
import { errors } from '../errors';
import type { ReadinessCheck } from '../readiness';
import { routeGroup } from './route-table';

/** Liveness and readiness; no token needed, nothing about the tenant disclosed beyond each check's state. */
export function healthRoutes(readiness: ReadinessCheck) {
  return routeGroup(contract, {
    live: () => ({ status: 'ok' }),
    ready: async () => {
      const result = await readiness();
      if (result.ready) return { status: 'ready', checks: result.checks };
      // The error body of every error, plus the state of each dependency.
      const error = errors.notReady(result.reason ?? 'a check fails');
      error.extra = { checks: result.checks };
      throw error;
    },
  });
}
