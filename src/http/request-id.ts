import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** A caller-supplied id is kept only when it is a short token that cannot inject into logs or headers. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

declare module 'express-serve-static-core' {
  interface Request {
    /** This request's id: echoed as x-request-id, logged on every line, sent upstream. */
    id: string;
  }
}

export function requestId() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = req.get('x-request-id');
    req.id = given && SANE_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', req.id);
    next();
  };
}
