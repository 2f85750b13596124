import type { NextFunction, Request, Response } from 'express';

/** A fault to inject on matching requests. */
export interface FaultRule {
  /** HTTP method to match; any method when absent. */
  method?: string;
  /** Exact path, or a prefix when it ends with `*` (e.g. `/api/v2/users*`). */
  path: string;
  /** `status`: answer with `status` (Auth0 body); `latency`: wait `ms`, then serve; `drop`: destroy the socket. */
  kind: 'status' | 'latency' | 'drop';
  status?: number;
  ms?: number;
  /** Seconds to put in `Retry-After` on a 429; absent means no header, as Auth0 sometimes does. */
  retryAfter?: number;
  /** With `status`: Auth0's `errorCode` and `message` to answer (default `injected_fault`, "Injected fault"). */
  errorCode?: string;
  message?: string;
  /** How many matching requests it applies to, default 1; `Infinity` until cleared. */
  times?: number;
}

interface ActiveRule extends FaultRule {
  remaining: number;
}

/** Test knob: injects latency, error statuses and dropped connections on chosen routes. */
export class FaultInjector {
  private rules: ActiveRule[] = [];

  inject(rule: FaultRule): void {
    this.rules.push({ ...rule, remaining: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  private take(method: string, path: string): ActiveRule | undefined {
    const rule = this.rules.find(
      (r) =>
        r.remaining > 0 &&
        (!r.method || r.method === method) &&
        (r.path.endsWith('*') ? path.startsWith(r.path.slice(0, -1)) : path === r.path),
    );
    if (rule) rule.remaining -= 1;
    return rule;
  }

  middleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const rule = this.take(req.method, req.path);
      if (!rule) return next();
      if (rule.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (rule.kind === 'latency') {
        const timer = setTimeout(next, rule.ms ?? 0);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      const status = rule.status ?? 500;
      if (rule.retryAfter !== undefined) res.setHeader('Retry-After', String(rule.retryAfter));
      const message = rule.message ?? (status === 429 ? 'Global limit has been reached' : 'Injected fault');
      res.status(status).json({
        statusCode: status,
        error: status === 429 ? 'Too Many Requests' : 'Injected Fault',
        message,
        errorCode: rule.errorCode ?? (status === 429 ? 'too_many_requests' : 'injected_fault'),
      });
    };
  }
}
