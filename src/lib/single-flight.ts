/**
 * Concurrent calls for one key share one call of `fn`; once it settles (resolved or rejected) the next
 * call starts a new one. Nothing is cached beyond the flight: a failure is not remembered.
 */
export class SingleFlight<K, V> {
  private readonly flights = new Map<K, Promise<V>>();

  run(key: K, fn: () => Promise<V>): Promise<V> {
    let flight = this.flights.get(key);
    if (!flight) {
      flight = fn().finally(() => this.flights.delete(key));
      this.flights.set(key, flight);
    }
    return flight;
  }

  /** Whether a call for `key` is in flight. */
  has(key: K): boolean {
    return this.flights.has(key);
  }
}

/** A single-flight wrapper of a function without arguments. */
export function singleFlight<V>(fn: () => Promise<V>): () => Promise<V> {
  const flight = new SingleFlight<true, V>();
  return () => flight.run(true, fn);
}
