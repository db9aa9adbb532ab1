/**
 * A fixed-bucket histogram, as Prometheus has them: counts per upper bound,
 * a sum and a count. Observing allocates nothing.
 *
 * @example
 * ```ts
 * import { Histogram } from "./histogram.ts";
 * const h = new Histogram([0.001, 0.01, 0.1]);
 * h.observe(0.005);
 * console.assert(h.count === 1 && h.cumulative()[1] === 1);
 * ```
 * @module
 */

/** Counts of observed values by bucket. */
export class Histogram {
  /** Upper bounds, ascending; a last bucket (`+Inf`) is implied. */
  readonly bounds: readonly number[];
  readonly #counts: Float64Array;
  /** Sum of every observed value. */
  sum = 0;
  /** Number of observations. */
  count = 0;

  /**
   * @param bounds upper bounds of the buckets, ascending and finite
   * @throws {RangeError} when they are not
   */
  constructor(bounds: readonly number[]) {
    for (let i = 0; i < bounds.length; i++) {
      if (
        !Number.isFinite(bounds[i]!) || (i > 0 && bounds[i]! <= bounds[i - 1]!)
      ) {
        throw new RangeError("histogram bounds must be finite and ascending");
      }
    }
    this.bounds = [...bounds];
    this.#counts = new Float64Array(bounds.length + 1);
  }

  /** Counts one value. */
  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.#counts[i]!++;
    this.sum += value;
    this.count++;
  }

  /** Observations at or below each bound, then the total (`+Inf`). */
  cumulative(): number[] {
    const out: number[] = [];
    let running = 0;
    for (const n of this.#counts) out.push(running += n);
    return out;
  }
}
