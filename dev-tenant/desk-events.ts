import type { NextFunction, Request, Response } from 'express';
import type { DeskStore } from './desk-store';
import type { UserStore } from './user-store';

/**
 * Puts what the users endpoints did into the user's log, as Auth0 would: a password change (`scp`)
 * and a block or unblock by an administrator (`sapi`). Watches successful PATCH /users/{id} answers,
 * so the users endpoints themselves stay unaware of the desk.
 */
export function userEventsLogger(users: UserStore, desk: DeskStore) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const match = req.method === 'PATCH' ? /^\/users\/([^/]+)$/.exec(req.path) : null;
    if (!match) return next();
    const body = (req.body ?? {}) as Record<string, unknown>;
    res.on('finish', () => {
      if (res.statusCode !== 200) return;
      const user = users.get(decodeURIComponent(match[1]!));
      if (!user) return;
      if (typeof body.password === 'string') desk.log(user, { type: 'scp', description: 'Password changed' });
      if (typeof body.blocked === 'boolean')
        desk.log(user, { type: 'sapi', description: body.blocked ? 'User blocked' : 'User unblocked' });
    });
    next();
  };
}
