/**
 * A latency histogram in microseconds: log-linear buckets (16 per power of
 * two, so about 6% resolution), fixed size, mergeable across workers.
 *
 * @example
 * ```ts
 * import { Histogram } from "./histogram.ts";
 * const h = new Histogram();
 * for (let us = 1; us <= 1000; us++) h.record(us);
 * console.assert(Math.abs(h.percentile(50) - 500) < 40);
 * ```
 * @module
 */

const SUB_BUCKETS = 16;
const MAX_POWER = 40; // 2^40 µs ≈ 12 days: nothing real is slower
const SIZE = (MAX_POWER + 1) * SUB_BUCKETS;

function bucketOf(us: number): number {
  if (us < SUB_BUCKETS) return Math.max(0, Math.floor(us));
  const power = Math.floor(Math.log2(us));
  const sub = Math.floor((us / 2 ** power - 1) * SUB_BUCKETS);
  return Math.min(SIZE - 1, (power - 3) * SUB_BUCKETS + sub);
}

function lowerBound(bucket: number): number {
  if (bucket < SUB_BUCKETS) return bucket;
  const power = Math.floor(bucket / SUB_BUCKETS) + 3;
  return 2 ** power * (1 + (bucket % SUB_BUCKETS) / SUB_BUCKETS);
}

/** Counts of latencies, by bucket. */
export class Histogram {
  /** Bucket counts; plain numbers so they can be posted between workers. */
  readonly counts: Float64Array;
  /** Number of samples. */
  total = 0;
  /** Largest sample, exact. */
  max = 0;

  /** An empty histogram, or one over `counts` received from a worker. */
  constructor(counts?: Float64Array) {
    this.counts = counts ?? new Float64Array(SIZE);
    if (counts) { for (const c of counts) this.total += c; }
  }

  /** Adds one latency in microseconds. */
  record(us: number): void {
    this.counts[bucketOf(us)]! += 1;
    this.total++;
    if (us > this.max) this.max = us;
  }

  /** Adds every sample of `other`. */
  merge(other: Histogram): void {
    for (let i = 0; i < SIZE; i++) this.counts[i]! += other.counts[i]!;
    this.total += other.total;
    this.max = Math.max(this.max, other.max);
  }

  /** The latency (µs) under which `p` percent of samples fall; 0 when empty. */
  percentile(p: number): number {
    if (this.total === 0) return 0;
    const rank = Math.ceil((p / 100) * this.total);
    let seen = 0;
    for (let i = 0; i < SIZE; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.max, lowerBound(i + 1));
    }
    return this.max;
  }
}
