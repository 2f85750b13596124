import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { randomHex } from '../lib/random-hex';
import type { RequestScope } from '../lib/request-scope';

declare module 'express-serve-static-core' {
  interface Request {
    /** This request's id: echoed as x-request-id, logged on every line, sent upstream. */
    id: string;
    /** This request's id and trace (set first, by requestScope). */
    scope: RequestScope;
  }
}

/** A caller-supplied id is logged (as `client_request_id`) only when it is a short token that cannot inject into logs. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

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

/** A header's value as a string (Node joins a repeated one with ", ", which the checks below refuse). */
const single = (value: string | string[] | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The request's scope, first thing: usergate's own x-request-id (always generated here, answered,
 * logged, written on audit lines and sent upstream, so no caller can choose the id of an audit line or
 * join two callers' requests under one id), the caller's own x-request-id kept for the logs only (when
 * it is a short sane token), and the trace (an incoming valid `traceparent` is continued, with
 * usergate's own span; otherwise a new trace starts).
 */
export function requestScope() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = single(req.headers['x-request-id']);
    const requestId = randomUUID();
    const incoming = parseTraceparent(single(req.headers.traceparent));
    const traceId = incoming?.traceId ?? randomHex(16);
    const state = incoming ? single(req.headers.tracestate) : undefined;
    req.id = requestId;
    req.scope = {
      requestId,
      clientRequestId: given && SANE_ID.test(given) ? given : undefined,
      traceId,
      traceparent: `00-${traceId}-${randomHex(8)}-${incoming?.flags ?? '01'}`,
      // Passed on only when it is a sane header value (RFC: at most 32 list members, 512 characters kept).
      tracestate: state && state.length <= 512 && /^[\x20-\x7e]+$/.test(state) ? state : undefined,
    };
    res.setHeader('x-request-id', requestId);
    next();
  };
}
