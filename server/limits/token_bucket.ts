/**
 * A token bucket: `rate` tokens per second refill it up to `burst`; each
 * event takes one. O(1) per event, no allocation, and the caller passes the
 * clock so one reading can serve a whole chunk of lines.
 *
 * @example
 * ```ts
 * import { TokenBucket } from "./token_bucket.ts";
 * const bucket = new TokenBucket(2, 3, 0); // 2 per second, 3 back to back
 * console.assert([0, 0, 0, 0].map((t) => bucket.take(t)).join() === "true,true,true,false");
 * console.assert(bucket.take(500)); // half a second later: one more
 * ```
 * @module
 */

/** Allows `rate` events per second on average and `burst` back to back. */
export class TokenBucket {
  readonly #perMs: number;
  readonly #burst: number;
  #tokens: number;
  #last: number;

  /**
   * @param rate tokens added per second
   * @param burst the most tokens held (the bucket starts full)
   * @param now the clock in milliseconds (any monotonic origin)
   */
  constructor(rate: number, burst: number, now: number) {
    this.#perMs = rate / 1000;
    this.#burst = burst;
    this.#tokens = burst;
    this.#last = now;
  }

  /** Takes one token if there is one; `now` must not go backwards. */
  take(now: number): boolean {
    let tokens = this.#tokens + (now - this.#last) * this.#perMs;
    if (tokens > this.#burst) tokens = this.#burst;
    this.#last = now;
    if (tokens < 1) {
      this.#tokens = tokens;
      return false;
    }
    this.#tokens = tokens - 1;
    return true;
  }

  /** Milliseconds until the next token, as of the last {@linkcode take}. */
  get waitMs(): number {
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.#perMs);
  }

  /** Whether a token is there at `now`, without taking it. */
  has(now: number): boolean {
    return this.#tokens + (now - this.#last) * this.#perMs >= 1;
  }

  /**
   * Milliseconds from `now` until `count` tokens are there (at most the
   * burst); 0 when they are there already.
   */
  waitFor(count: number, now: number): number {
    const tokens = Math.min(
      this.#burst,
      this.#tokens + (now - this.#last) * this.#perMs,
    );
    const wanted = Math.min(count, this.#burst);
    return tokens >= wanted ? 0 : Math.ceil((wanted - tokens) / this.#perMs);
  }
}
