/**
 * Times relayed lines from arrival to the write of their last recipient's
 * bytes, one line at a time: while a timed line is in flight the others
 * are not timed, so the cost is a few number fields, never a record per
 * line. Under load that still times thousands of lines a second.
 *
 * The sequence, driven by the connection and the outbound queues:
 * `begin(arrival)` as a line's handling starts; `enlist()` by each queue
 * that gets a frame while {@linkcode RelayProbe.collecting}; `end()` when
 * the handling returns; then `written(now)` or `dropped()` once per
 * enlisted queue. The last one observes the time.
 *
 * @example
 * ```ts
 * import { Histogram } from "./histogram.ts";
 * import { RelayProbe } from "./relay_probe.ts";
 * const h = new Histogram([0.001, 0.01]);
 * const probe = new RelayProbe(h);
 * probe.begin(100);
 * probe.enlist();
 * probe.end();
 * probe.written(102);
 * console.assert(h.count === 1 && h.sum === 0.002);
 * ```
 * @module
 */
import type { Histogram } from "./histogram.ts";

const IDLE = 0;
const COLLECTING = 1;
const WAITING = 2;

/** Times one line at a time into a histogram (seconds). */
export class RelayProbe {
  readonly #histogram: Histogram;
  #state = IDLE;
  #arrival = 0;
  #remaining = 0;
  #lastWrite = -1;

  /** Observes into `histogram`. */
  constructor(histogram: Histogram) {
    this.#histogram = histogram;
  }

  /** True while the timed line's handling runs: queues getting frames enlist. */
  get collecting(): boolean {
    return this.#state === COLLECTING;
  }

  /** A line's handling starts; it is timed unless another one is in flight. */
  begin(arrival: number): void {
    if (this.#state !== IDLE) return;
    this.#state = COLLECTING;
    this.#arrival = arrival;
    this.#remaining = 0;
    this.#lastWrite = -1;
  }

  /** A queue got a frame of the timed line (each queue enlists once). */
  enlist(): void {
    this.#remaining++;
  }

  /** The handling returned: wait for the enlisted queues' writes. */
  end(): void {
    if (this.#state !== COLLECTING) return;
    this.#state = WAITING;
    this.#settle();
  }

  /** An enlisted queue handed its bytes to the transport at `now` (ms). */
  written(now: number): void {
    this.#remaining--;
    this.#lastWrite = now;
    this.#settle();
  }

  /** An enlisted queue was stopped before writing (its client was cut or closed). */
  dropped(): void {
    this.#remaining--;
    this.#settle();
  }

  #settle(): void {
    if (this.#state !== WAITING || this.#remaining > 0) return;
    if (this.#lastWrite >= 0) {
      this.#histogram.observe(
        Math.max(0, this.#lastWrite - this.#arrival) / 1000,
      );
    }
    this.#state = IDLE;
  }
}
