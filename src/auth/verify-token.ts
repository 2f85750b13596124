import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { extractBearer } from './bearer';
import { TokenVerifier, type TokenVerifierOptions } from './token-verifier';

export type VerifyTokenOptions = TokenVerifierOptions;

/**
 * The thin Express adapter: the bearer token of the request (bearer.ts), verified (token-verifier.ts);
 * on success `req.auth` holds the claims, otherwise the error goes to the error handler.
 */
export function verifyToken(options: VerifyTokenOptions): RequestHandler {
  const verifier = new TokenVerifier(options);
  return (req: Request, _res: Response, next: NextFunction): void => {
    let token: string;
    try {
      token = extractBearer(req.headers.authorization);
    } catch (err) {
      return next(err);
    }
    verifier.verify(token).then((claims) => {
      req.auth = claims;
      next();
    }, next);
  };
}
