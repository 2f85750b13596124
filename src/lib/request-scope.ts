/**
 * What every log line and upstream call of one request carries. It travels explicitly (req.scope,
 * the operation context, the Management API client's calls), not in AsyncLocalStorage, whose
 * promise hooks cost every request about 15% of usergate's CPU (docs/BENCHMARKS.md).
 * http/request-scope.ts makes one per request.
 */
export interface RequestScope {
  /** usergate's own id of the request (never the caller's). */
  requestId: string;
  /** The caller's own x-request-id, when it sent a sane one: logged as `client_request_id`, nothing else. */
  clientRequestId?: string;
  /** W3C trace id: 32 lowercase hex digits, the caller's when it sent a valid `traceparent`. */
  traceId: string;
  /** The `traceparent` usergate sends upstream: the same trace, usergate's own span. */
  traceparent: string;
  tracestate?: string;
}

/** The ids a log line of this request carries. */
export function logIds(scope: RequestScope | undefined): { requestId?: string; client_request_id?: string; traceId?: string } {
  if (!scope) return {};
  return scope.clientRequestId === undefined
    ? { requestId: scope.requestId, traceId: scope.traceId }
    : { requestId: scope.requestId, client_request_id: scope.clientRequestId, traceId: scope.traceId };
}

/** Adds the headers that carry the request id and the trace to the Management API. */
export function addUpstreamHeaders(scope: RequestScope | undefined, headers: Record<string, string>): void {
  if (!scope) return;
  headers['x-request-id'] = scope.requestId;
  headers.traceparent = scope.traceparent;
  if (scope.tracestate) headers.tracestate = scope.tracestate;
}
