import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

/** One upstream answer: status, headers (lowercase names) and the whole body as text. */
export interface Exchanged {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface ExchangeRequest {
  origin: string;
  /** Path and query, already encoded. */
  path: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
}

export interface ExchangeLimits {
  /** The whole exchange, waiting for a pooled connection included, in ms. */
  timeoutMs: number;
  /** The longest answer body read, in bytes; a longer one fails the exchange. */
  maxBytes: number;
}

/** The exchange took longer than `timeoutMs`. */
export class ExchangeTimeout extends Error {
  readonly code = 'ETIMEDOUT';
  constructor() {
    super('the upstream exchange timed out');
  }
}

/** An answer that is a failure: its status and the start of its body, kept as the cause of the error answered (for the log). */
export class UpstreamStatus extends Error {
  override name = 'UpstreamStatus';
  readonly code: string;
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(`the upstream answered ${status}: ${body.slice(0, 200)}`);
    this.code = `HTTP_${status}`;
  }
}

/** The answer was longer than `maxBytes`. */
export class AnswerTooLarge extends Error {
  constructor(maxBytes: number) {
    super(`the upstream answer is longer than ${maxBytes} bytes`);
  }
}

/**
 * One HTTP exchange on an undici dispatcher (its keep-alive pool), the answer collected as text.
 * undici's `dispatch` with a handler of ours, rather than its `request`, whose body stream, async
 * resource and abort signal cost every call more than the rest of the exchange (docs/BENCHMARKS.md).
 * Bounded in time and size; settles exactly once; a network failure rejects with undici's error.
 */
export function exchange(dispatcher: Dispatcher, request: ExchangeRequest, limits: ExchangeLimits): Promise<Exchanged> {
  return new Promise<Exchanged>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    let chunks: Buffer[] = [];
    let size = 0;
    const settle = (error: Error | undefined, answer?: Exchanged): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(answer!);
    };
    const fail = (error: Error): void => {
      settle(error);
      if (controller && !controller.aborted) controller.abort(error);
    };
    const timer = setTimeout(() => fail(new ExchangeTimeout()), limits.timeoutMs);
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(started) {
        controller = started;
        // Timed out while waiting for a connection: never sent.
        if (settled) started.abort(new ExchangeTimeout());
        // undici may send it again (a pipelined request whose connection failed): start afresh.
        chunks = [];
        size = 0;
      },
      onResponseStart(_controller, statusCode, responseHeaders) {
        status = statusCode;
        headers = responseHeaders;
      },
      onResponseData(_controller, chunk) {
        size += chunk.length;
        if (size > limits.maxBytes) fail(new AnswerTooLarge(limits.maxBytes));
        else chunks.push(chunk);
      },
      onResponseEnd() {
        settle(undefined, { status, headers, text: Buffer.concat(chunks, size).toString('utf8') });
      },
      onResponseError(_controller, error) {
        settle(error);
      },
    };
    try {
      dispatcher.dispatch(
        { origin: request.origin, path: request.path, method: request.method, headers: request.headers, body: request.body ?? null },
        handler,
      );
    } catch (err) {
      settle(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
