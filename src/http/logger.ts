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
 * A file descriptor (stdout by default) written asynchronously in batches: one write per line cost a
 * thread-pool round trip per request (docs/BENCHMARKS.md). Lines wait until LOG_BATCH_BYTES gather
 * or LOG_FLUSH_MS pass (sonic-boom's periodic flush); pino flushes what is left synchronously when the
 * process exits. `flush()` (pino's `logger.flush()`: warnings, errors and audit lines) writes what
 * waits at once, or, when a write is under way, as soon as it ends: sonic-boom's own flush would do
 * nothing then (the rest waiting for the next batch), and with pino's callback it would add
 * listeners and an fsync per call.
 */
export function batchedDestination(fd = 1): pino.DestinationStream & { flush(callback?: () => void): void; end(): void } {
  const stream = pino.destination({ dest: fd, sync: false, minLength: LOG_BATCH_BYTES, periodicFlush: LOG_FLUSH_MS });
  let wanted = false;
  const flush = (): void => {
    try {
      stream.flush();
    } catch {
      // Ended (the process is exiting): pino's exit handler has written what was left.
    }
  };
  // A write ended with less than a batch left: write it now if a flush was asked for meanwhile.
  stream.on('drain', () => {
    if (!wanted) return;
    wanted = false;
    flush();
  });
  return {
    write: (line: string) => stream.write(line),
    flush(callback) {
      wanted = true;
      flush();
      callback?.();
    },
    /** Writes what is left, stops the periodic flush and closes the descriptor. */
    end: () => stream.end(),
  };
}

/** The process logger; tests pass a destination stream to read what was logged. */
export function createLogger(level: string, destination: pino.DestinationStream = batchedDestination()): Logger {
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
