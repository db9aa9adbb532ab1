/**
 * The last few minutes of the server's totals, sampled once a second, for
 * rates (`/status`) and the dashboard's charts (`/history`). Sampling reads
 * counters; it costs the hot path nothing.
 *
 * @example
 * ```ts
 * import { RateHistory } from "./rate_history.ts";
 * let n = 0;
 * const history = new RateHistory(() => ({ linesIn: n += 10 }), { intervalMs: 1000 });
 * history.sample(0);
 * history.sample(1000);
 * console.assert(history.rates().linesIn === 10);
 * history.stop();
 * ```
 * @module
 */

/** One sample: a time (ms, `Date.now()` clock) and named values. */
export interface Sample {
  readonly t: number;
  readonly values: Readonly<Record<string, number>>;
}

/** Samples kept by default: 5 minutes at one a second. */
export const DEFAULT_HISTORY_SAMPLES = 300;

/** Samples `read()` on a timer and keeps the latest ones. */
export class RateHistory {
  readonly intervalMs: number;
  readonly #read: () => Record<string, number>;
  readonly #max: number;
  readonly #samples: Sample[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;

  /**
   * Reads `read()` every `intervalMs` (1000 by default) once started with
   * {@linkcode start}, keeping `samples` of them (300 by default).
   */
  constructor(
    read: () => Record<string, number>,
    options: { intervalMs?: number; samples?: number } = {},
  ) {
    this.#read = read;
    this.intervalMs = options.intervalMs ?? 1000;
    this.#max = options.samples ?? DEFAULT_HISTORY_SAMPLES;
  }

  /** Takes a first sample now and one every interval until {@linkcode stop}. */
  start(): void {
    this.sample(Date.now());
    this.#timer = setInterval(() => this.sample(Date.now()), this.intervalMs);
    Deno.unrefTimer(this.#timer as unknown as number);
  }

  /** Takes one sample at time `t`. */
  sample(t: number): void {
    this.#samples.push({ t, values: this.#read() });
    if (this.#samples.length > this.#max) this.#samples.shift();
  }

  /** The samples kept, oldest first. */
  samples(): readonly Sample[] {
    return this.#samples;
  }

  /**
   * Per-second change of each value between the last two samples (0 with
   * fewer than two).
   */
  rates(): Record<string, number> {
    const n = this.#samples.length;
    const out: Record<string, number> = {};
    if (n < 2) {
      for (const key of Object.keys(this.#samples[0]?.values ?? {})) {
        out[key] = 0;
      }
      return out;
    }
    const a = this.#samples[n - 2]!;
    const b = this.#samples[n - 1]!;
    const seconds = Math.max(1e-3, (b.t - a.t) / 1000);
    for (const [key, value] of Object.entries(b.values)) {
      out[key] = (value - (a.values[key] ?? 0)) / seconds;
    }
    return out;
  }

  /** Stops sampling. */
  stop(): void {
    clearInterval(this.#timer);
  }
}
