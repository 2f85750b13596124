import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** What every log line and upstream call of one request carries. */
export interface RequestScope {
  requestId: string;
  /** W3C trace id: 32 lowercase hex digits, the caller's when it sent a valid `traceparent`. */
  traceId: string;
  /** The `traceparent` usergate sends upstream: the same trace, usergate's own span. */
  traceparent: string;
  tracestate?: string;
}

const scopes = new AsyncLocalStorage<RequestScope>();

/** W3C Trace Context level 1: version 00 (or a later one, read as 00), no all-zero ids. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

export function parseTraceparent(header: string | undefined): { traceId: string; flags: string } | undefined {
  const m = header ? TRACEPARENT.exec(header.trim()) : null;
  if (!m) return undefined;
  const [, version, traceId, parentId, flags, rest] = m;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (/^0+$/.test(traceId!) || /^0+$/.test(parentId!)) return undefined;
  return { traceId: traceId!, flags: flags! };
}

/** The scope of the request being handled, if any (logger mixin, upstream headers). */
export function currentScope(): RequestScope | undefined {
  return scopes.getStore();
}

/** Headers that carry the trace to the Management API. */
export function traceHeaders(): Record<string, string> {
  const scope = scopes.getStore();
  if (!scope) return {};
  return scope.tracestate ? { traceparent: scope.traceparent, tracestate: scope.tracestate } : { traceparent: scope.traceparent };
}

/**
 * Keeps an incoming valid `traceparent` (or starts a trace) and runs the rest of the request inside
 * its scope, after the request id is set.
 */
export function traceContext() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const incoming = parseTraceparent(req.get('traceparent'));
    const traceId = incoming?.traceId ?? randomBytes(16).toString('hex');
    const spanId = randomBytes(8).toString('hex');
    const state = incoming ? req.get('tracestate') : undefined;
    const scope: RequestScope = {
      requestId: req.id,
      traceId,
      traceparent: `00-${traceId}-${spanId}-${incoming?.flags ?? '01'}`,
      // Passed on only when it is a sane header value (RFC: at most 32 list members, 512 characters kept).
      tracestate: state && state.length <= 512 && /^[\x20-\x7e]+$/.test(state) ? state : undefined,
    };
    scopes.run(scope, next);
  };
}
