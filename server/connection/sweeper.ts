/**
 * Looks at every connection on one timer per server, for what is judged by
 * time: idleness, a login that never comes, a queue that makes no progress.
 * One timer, not one per connection: resetting a timer on every line or
 * write would put a timer call on the hot path, so lines and writes only
 * store the time and the sweeper looks a few times per timeout.
 *
 * @example
 * ```ts
 * import { Sweeper } from "./sweeper.ts";
 * const sweeper = new Sweeper(5_000, () => []);
 * sweeper.stop();
 * ```
 * @module
 */

/** Something that judges itself by the clock. */
export interface Sweepable {
  /** Acts on whatever has timed out as of `now` (`performance.now()`). */
  sweep(now: number): void;
}

/** Sweeps often enough that a timeout is overrun by at most a quarter. */
const SWEEPS_PER_TIMEOUT = 4;

/** Sweeps every connection on a timer until stopped. */
export class Sweeper {
  readonly #timer: ReturnType<typeof setInterval>;

  /**
   * @param shortestTimeoutMs the shortest timeout the connections check
   * @param connections the connections, asked afresh each sweep
   */
  constructor(
    shortestTimeoutMs: number,
    connections: () => Iterable<Sweepable>,
  ) {
    this.#timer = setInterval(() => {
      const now = performance.now();
      for (const connection of connections()) connection.sweep(now);
    }, Math.max(1, Math.floor(shortestTimeoutMs / SWEEPS_PER_TIMEOUT)));
  }

  /** Stops sweeping. */
  stop(): void {
    clearInterval(this.#timer);
  }
}
