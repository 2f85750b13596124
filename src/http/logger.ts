import pino, { type Logger } from 'pino';
import { currentScope } from './trace-context';

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

/** The process logger; tests pass a destination stream to read what was logged. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'usergate' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Every line logged while a request is handled carries its request id and trace id.
      mixin: () => {
        const scope = currentScope();
        return scope ? { requestId: scope.requestId, traceId: scope.traceId } : {};
      },
    },
    destination,
  );
}

export type { Logger };
