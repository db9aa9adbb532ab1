/**
 * A connection's stop for its line rate: when the bucket is empty, reading
 * stops and one wake-up is asked for the moment there are tokens again (on
 * the server's shared wake timer, not a timer per connection).
 *
 * Made once per connection; asked after each line whether reading must stop.
 *
 * @example
 * ```ts
 * import { DEFAULT_LIMITS } from "../../protocol/mod.ts";
 * import { createLogger } from "../logger.ts";
 * import { RateLimits } from "../limits/rate_limits.ts";
 * import { Flow } from "./flow.ts";
 * import { RateStop } from "./rate_stop.ts";
 * const flow = new Flow(DEFAULT_LIMITS, () => []);
 * const who = { serial: 1, remote: "127.0.0.1:5000" };
 * const rate = new RateLimits(DEFAULT_LIMITS, createLogger({ level: "silent" }), who, 0);
 * const stop = new RateStop(rate, flow, { wake() {} });
 * console.assert(!stop.mustStop(0));
 * flow.wakeups.stop();
 * ```
 * @module
 */
import type { RateLimits } from "../limits/rate_limits.ts";
import type { Flow } from "./flow.ts";
import type { Waker } from "./input_gate.ts";

/** Stops reading while the line rate's bucket is empty. */
export class RateStop {
  readonly #rate: RateLimits;
  readonly #flow: Flow;
  readonly #wake: Waker;
  /** Stopped for the line rate, with a wake-up asked for. */
  #waiting = false;

  /** Stops by `rate`; `wake` reads on (the connection's input gate). */
  constructor(rate: RateLimits, flow: Flow, wake: Waker) {
    this.#rate = rate;
    this.#flow = flow;
    this.#wake = wake;
  }

  /** Whether the bucket is empty at `now`; then a wake-up is on its way. */
  mustStop(now: number): boolean {
    const wait = this.#rate.lineWaitMs(now);
    if (wait === 0) return false;
    if (!this.#waiting) {
      this.#waiting = true;
      const flow = this.#flow;
      flow.stats.rateDelays++;
      // The callback is made when a wake-up is asked for, not kept per
      // connection: most connections are never stopped by their rate.
      flow.wakeups.schedule(now + wait, () => this.#woken());
    }
    return true;
  }

  #woken(): void {
    this.#waiting = false;
    this.#wake.wake();
  }
}
