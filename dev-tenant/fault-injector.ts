import type { NextFunction, Request, Response } from 'express';

/** A fault to inject on matching requests. */
export interface FaultRule {
  /** HTTP method to match; any method when absent. */
  method?: string;
  /** Exact path, or a prefix when it ends with `*` (e.g. `/api/v2/users*`). */
  path: string;
  /**
   * `status`: answer with `status` (Auth0 body); `latency`: wait `ms`, then serve; `hold`: serve only
   * when the test calls `release()`; `drop`: destroy the socket. A delayed or held request is served
   * even if its client gave up meanwhile (a write then lands late), as Auth0 does: it does not cancel
   * a request whose connection closed.
   */
  kind: 'status' | 'latency' | 'hold' | 'drop';
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

/** What a test can do with an injected fault. */
export interface InjectedFault {
  /** Resolves when the first matching request arrived. */
  arrived: Promise<void>;
  /** With `hold`: serves every request held so far, and those that arrive later, at once. */
  release(): void;
  /** Resolves when the first delayed or held request was served (its write applied), whether or not its client still waits. */
  served: Promise<void>;
}

interface ActiveRule extends FaultRule {
  remaining: number;
  arrived: () => void;
  served: () => void;
  released: Promise<void>;
}

/** Test knob: injects latency, held requests, error statuses and dropped connections on chosen routes. */
export class FaultInjector {
  private rules: ActiveRule[] = [];
  /** Delayed requests not served yet: dropped (never served) when the tenant stops. */
  private readonly waiting = new Set<NodeJS.Timeout>();
  private stopped = false;

  inject(rule: FaultRule): InjectedFault {
    let arrived!: () => void;
    let served!: () => void;
    let release!: () => void;
    const fault: InjectedFault = {
      arrived: new Promise<void>((resolve) => (arrived = resolve)),
      served: new Promise<void>((resolve) => (served = resolve)),
      release: () => release(),
    };
    const released = new Promise<void>((resolve) => (release = resolve));
    this.rules.push({ ...rule, remaining: rule.times ?? 1, arrived, served, released });
    return fault;
  }

  clear(): void {
    this.rules = [];
  }

  /** The tenant stops: what is still delayed or held is never served. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.waiting) clearTimeout(timer);
    this.waiting.clear();
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
      rule.arrived();
      if (rule.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (rule.kind === 'latency' || rule.kind === 'hold') {
        // Served later whatever the client does (no cancel on close): its body was parsed already.
        const serve = () => {
          if (this.stopped) return;
          const end = res.end.bind(res);
          res.end = ((...args: Parameters<Response['end']>) => {
            rule.served();
            return end(...args);
          }) as Response['end'];
          next();
        };
        if (rule.kind === 'hold') {
          void rule.released.then(serve);
          return;
        }
        const timer = setTimeout(() => {
          this.waiting.delete(timer);
          serve();
        }, rule.ms ?? 0);
        this.waiting.add(timer);
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
