/** The longest chain of causes told in a log line. */
const MAX_DEPTH = 5;

/**
 * What lies under an error, one entry per cause, outermost first: the system or library code when
 * there is one (`ECONNRESET`, `ECONNREFUSED`, `ETIMEDOUT`, `ENOTFOUND`, `UND_ERR_SOCKET`, a TLS code such as
 * `CERT_HAS_EXPIRED`) and the message. For the error log line of a 5xx; never sent to a caller.
 */
export function causeChain(error: unknown): string[] {
  const chain: string[] = [];
  let cause = (error as { cause?: unknown } | undefined)?.cause;
  while (cause !== undefined && cause !== null && chain.length < MAX_DEPTH) {
    // Duck-typed: errors of another realm (Node's own fetch, a vm context) are not `instanceof Error` here.
    if (typeof cause === 'object' && typeof (cause as Error).message === 'string') {
      const { code, name, message } = cause as Error & { code?: unknown };
      chain.push(`${typeof code === 'string' || typeof code === 'number' ? String(code) : name}: ${message.slice(0, 300)}`);
      cause = (cause as Error).cause;
    } else {
      chain.push(typeof cause === 'object' ? JSON.stringify(cause).slice(0, 300) : String(cause as string | number).slice(0, 300));
      break;
    }
  }
  return chain;
}
