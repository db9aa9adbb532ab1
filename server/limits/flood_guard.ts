/**
 * The message rate of one connection: a {@linkcode TokenBucket} for the
 * lines it sends, and a count of refused lines per window that tells a client
 * briefly over the rate (its excess lines are refused) from a flood (it is
 * disconnected).
 *
 * @example
 * ```ts
 * import { FloodGuard, Verdict } from "./flood_guard.ts";
 * const guard = new FloodGuard({ rate: 1, burst: 1, maxRefusals: 1 }, 0);
 * console.assert(guard.check(0) === Verdict.Accept);
 * console.assert(guard.check(0) === Verdict.Refuse);
 * console.assert(guard.check(0) === Verdict.Disconnect);
 * ```
 * @module
 */
import { TokenBucket } from "./token_bucket.ts";

/** How long refusals are counted before the count starts again. */
export const REFUSAL_WINDOW_MS = 10_000;

/** What to do with one line. */
export const Verdict = {
  /** Within the rate: handle it. */
  Accept: 0,
  /** Over the rate: refuse it with the error line. */
  Refuse: 1,
  /** Over the rate for too long: close the connection. */
  Disconnect: 2,
} as const;

/** One of the {@linkcode Verdict} values. */
export type Verdict = typeof Verdict[keyof typeof Verdict];

/** The limits a {@linkcode FloodGuard} enforces. */
export interface FloodLimits {
  /** Lines per second on average. */
  readonly rate: number;
  /** Lines back to back above the rate. */
  readonly burst: number;
  /** Refused lines allowed within {@linkcode REFUSAL_WINDOW_MS}; one more disconnects. */
  readonly maxRefusals: number;
}

/** Judges each line of one connection against its message rate. */
export class FloodGuard {
  readonly #bucket: TokenBucket;
  readonly #maxRefusals: number;
  #windowStart = -Infinity;
  #refusals = 0;

  /** Starts with a full bucket at time `now` (milliseconds). */
  constructor(limits: FloodLimits, now: number) {
    this.#bucket = new TokenBucket(limits.rate, limits.burst, now);
    this.#maxRefusals = limits.maxRefusals;
  }

  /** Lines refused in the current window. */
  get refusals(): number {
    return this.#refusals;
  }

  /** Milliseconds until a line would be accepted again. */
  get waitMs(): number {
    return this.#bucket.waitMs;
  }

  /** Judges one line arriving at `now`; O(1), allocates nothing. */
  check(now: number): Verdict {
    if (this.#bucket.take(now)) return Verdict.Accept;
    if (now - this.#windowStart >= REFUSAL_WINDOW_MS) {
      this.#windowStart = now;
      this.#refusals = 0;
    }
    this.#refusals++;
    return this.#refusals > this.#maxRefusals
      ? Verdict.Disconnect
      : Verdict.Refuse;
  }

  /** True when the last {@linkcode check} refused the first line of a window. */
  get firstRefusalInWindow(): boolean {
    return this.#refusals === 1;
  }
}
