/**
 * Event-loop delay: a timer that should fire every `intervalMs` measures
 * how late it fires. A busy loop (a long synchronous task, a flood of
 * callbacks) shows as lateness. (`node:perf_hooks`' `monitorEventLoopDelay`
 * exists in Deno but did not see a 100 ms block when tried, so this is
 * measured by hand.)
 *
 * @example
 * ```ts
 * import { EventLoopMonitor } from "./event_loop_monitor.ts";
 * const monitor = new EventLoopMonitor({ intervalMs: 10 });
 * await new Promise((resolve) => setTimeout(resolve, 50));
 * monitor.stop();
 * console.assert(monitor.delay.count > 0);
 * ```
 * @module
 */
import { Histogram } from "./histogram.ts";

/** Upper bounds (seconds) of the event-loop delay histogram. */
export const EVENT_LOOP_DELAY_BOUNDS = [
  0.001,
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
] as const;

/** How many recent samples {@linkcode EventLoopMonitor.recent} covers. */
const RECENT_SAMPLES = 100;

/** Measures the event loop's delay until stopped. */
export class EventLoopMonitor {
  /** Every sample's delay, in seconds. */
  readonly delay = new Histogram(EVENT_LOOP_DELAY_BOUNDS);
  readonly #intervalMs: number;
  readonly #recent = new Float64Array(RECENT_SAMPLES);
  #samples = 0;
  #expected: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  /** Starts sampling every `intervalMs` (100 by default). */
  constructor(options: { intervalMs?: number } = {}) {
    this.#intervalMs = options.intervalMs ?? 100;
    this.#expected = performance.now() + this.#intervalMs;
    this.#schedule();
  }

  #schedule(): void {
    this.#timer = setTimeout(this.#tick, this.#intervalMs);
    // Sampling must never keep a process alive on its own.
    Deno.unrefTimer(this.#timer as unknown as number);
  }

  #tick = (): void => {
    if (this.#stopped) return;
    const now = performance.now();
    const lateMs = Math.max(0, now - this.#expected);
    this.delay.observe(lateMs / 1000);
    this.#recent[this.#samples++ % RECENT_SAMPLES] = lateMs;
    this.#expected = now + this.#intervalMs;
    this.#schedule();
  };

  /** Mean and largest delay (ms) over the last 100 samples (10 s by default). */
  recent(): { meanMs: number; maxMs: number } {
    const n = Math.min(this.#samples, RECENT_SAMPLES);
    let sum = 0;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const v = this.#recent[i]!;
      sum += v;
      if (v > max) max = v;
    }
    return { meanMs: n === 0 ? 0 : sum / n, maxMs: max };
  }

  /** Stops sampling. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }
}
