/** The current time, in ms since the epoch. Every time-dependent piece takes one, so tests control time. */
export type Now = () => number;

/** Time and waiting, injectable: production uses `systemClock`, tests pass their own. */
export interface Clock {
  now: Now;
  sleep: (ms: number) => Promise<void>;
}

export const systemClock: Clock = {
  now: Date.now,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
