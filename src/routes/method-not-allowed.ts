import type { Router } from 'express';
import { errors } from '../errors';

/** Answers any other method on a known path with 405 and an Allow header (HEAD comes with GET). */
export function allowOnly(router: Router, path: string, methods: string[]): void {
  router.all(path, (req, _res, next) => next(errors.methodNotAllowed(req.method, methods)));
}
