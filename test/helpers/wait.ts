/**
 * Polls `probe` until it gives a value, or fails naming `what` after `ms`. For state another process
 * holds (a child's output, a server's log): there is no clock to inject there.
 */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
