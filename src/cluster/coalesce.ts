/**
 * In-process coalescing: identical concurrent calls (same key, e.g. the GET's full URL) share one
 * upstream call. Those who joined get their own copy of the answer, so each caller's answer can be
 * filtered under its own policy without touching another's.
 */
export class Coalescer {
  private readonly inflight = new Map<string, Promise<unknown>>();

  async run<T>(key: string, call: () => Promise<T>): Promise<T> {
    const pending = this.inflight.get(key) as Promise<T> | undefined;
    if (pending) return structuredClone(await pending);
    const started = call().finally(() => this.inflight.delete(key));
    this.inflight.set(key, started);
    return started;
  }
}
