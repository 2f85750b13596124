import pino, { type Logger } from 'pino';

/** Paths whose values never reach a log line: credentials, tokens, passwords, secrets. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'client_secret',
  '*.client_secret',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'token',
  '*.token',
  // Password-change tickets are bearer links: never logged, even if some line ever carried one.
  'ticket',
  '*.ticket',
];

/** Log lines are written to stdout in batches of about this many bytes (one write per ~10 request lines). */
const LOG_BATCH_BYTES = 4096;
/** The longest a line waits in the batch before it is written, in ms. */
const LOG_FLUSH_MS = 1000;
/** From this level up (warn, error, fatal) a line is written at once, with whatever waits before it. */
const FLUSH_AT_ONCE_LEVEL = 40;

/**
 * stdout, written asynchronously in batches: one write per line costs a thread-pool round trip per
 * request (docs/BENCHMARKS.md). Warnings, errors and audit lines (audit/audit-log.ts) are flushed at
 * once; the rest within LOG_FLUSH_MS; pino flushes what is left synchronously when the process exits.
 */
function batchedStdout(): pino.DestinationStream {
  const stream = pino.destination({ dest: 1, sync: false, minLength: LOG_BATCH_BYTES });
  setInterval(() => {
    try {
      stream.flush();
    } catch {
      // Ended (the process is exiting): nothing left to write.
    }
  }, LOG_FLUSH_MS).unref();
  return stream;
}

/** The process logger; tests pass a destination stream to read what was logged. */
export function createLogger(level: string, destination: pino.DestinationStream = batchedStdout()): Logger {
  return pino(
    {
      level,
      hooks: {
        logMethod(args, method, lineLevel) {
          method.apply(this, args);
          if (lineLevel >= FLUSH_AT_ONCE_LEVEL) this.flush();
        },
      },
      base: { service: 'usergate' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export type { Logger };
