/**
 * Closes connections that have sent no line for a while. One timer per
 * server, not one per connection: resetting a timer on every line would put
 * a timer call on the hot path, so each line only stores the time and the
 * sweeper looks a few times per timeout.
 *
 * @example
 * ```ts
 * import { IdleSweeper } from "./idle_sweeper.ts";
 * const sweeper = new IdleSweeper(60_000, () => []);
 * sweeper.stop();
 * ```
 * @module
 */

/** Something that may be closed for idleness. */
export interface Expirable {
  /** Closes itself if idle for `idleMs` as of `now` (`performance.now()`). */
  expireIfIdle(now: number, idleMs: number): boolean;
}

/** Sweeps often enough that a connection idles at most a quarter longer. */
const SWEEPS_PER_TIMEOUT = 4;

/** Checks every connection for idleness on a timer until stopped. */
export class IdleSweeper {
  readonly #timer: ReturnType<typeof setInterval>;

  /**
   * @param idleMs how long without a line closes a connection
   * @param connections the connections to check, asked afresh each sweep
   */
  constructor(idleMs: number, connections: () => Iterable<Expirable>) {
    this.#timer = setInterval(() => {
      const now = performance.now();
      for (const connection of connections()) {
        connection.expireIfIdle(now, idleMs);
      }
    }, Math.max(1, Math.floor(idleMs / SWEEPS_PER_TIMEOUT)));
  }

  /** Stops sweeping. */
  stop(): void {
    clearInterval(this.#timer);
  }
}
