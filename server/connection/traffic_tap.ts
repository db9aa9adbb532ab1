/**
 * One connection's counting of what is queued for it (its {@linkcode Traffic}
 * and the server's totals), and its part in timing relayed lines
 * (metrics/relay_probe.ts): the queue that holds a frame of the line being
 * timed tells the probe when that frame is written, or that it never will be.
 *
 * Made once per connection; only used while counting is on.
 *
 * @example
 * ```ts
 * import { ServerMetrics, Traffic } from "../metrics/mod.ts";
 * import { TrafficTap } from "./traffic_tap.ts";
 * const metrics = new ServerMetrics({ enabled: true });
 * const traffic = new Traffic();
 * const tap = new TrafficTap(traffic, metrics);
 * tap.queued(metrics, new TextEncoder().encode("0:1\n"), false);
 * console.assert(traffic.linesOut === 1);
 * tap.retire();
 * ```
 * @module
 */
import { countOut, type ServerMetrics, type Traffic } from "../metrics/mod.ts";

/** What a {@linkcode TrafficTap} reads of its connection's outbound queue. */
export interface QueuedBytes {
  /** Bytes queued and not yet written. */
  readonly pendingBytes: number;
}

/** Counts one connection's outbound traffic and follows the timed line's frame. */
export class TrafficTap {
  readonly #traffic: Traffic;
  /** The server's counters; null when counting is off. */
  readonly #metrics: ServerMetrics | null;
  /**
   * This queue holds a frame of the line being timed (see relay_probe.ts).
   * Only this class sets it; the connection's write callback reads it, as a
   * field and not a call, since it does so after every write.
   */
  probeArmed = false;
  /** Bytes queued after that frame: it is written once no more than these are left. */
  #probeAfter = 0;

  /** Counts into `traffic` and `metrics` (null: counting is off). */
  constructor(traffic: Traffic, metrics: ServerMetrics | null) {
    this.#traffic = traffic;
    this.#metrics = metrics;
  }

  /**
   * Counts a frame queued for this client (`m`: the server's counters, on);
   * enlists it when its line is timed, unless the connection is `closed`.
   */
  queued(m: ServerMetrics, frame: Uint8Array, closed: boolean): void {
    countOut(m, this.#traffic, frame);
    const probe = m.probe;
    if (probe.collecting) {
      // Everything queued so far is the timed line's or older.
      if (!this.probeArmed && !closed) {
        this.probeArmed = true;
        probe.enlist();
      }
      this.#probeAfter = 0;
    } else if (this.probeArmed) this.#probeAfter += frame.length;
  }

  /** A write completed while {@linkcode probeArmed}: the timed line's frame may be out now. */
  written(queue: QueuedBytes): void {
    if (queue.pendingBytes > this.#probeAfter) return;
    this.probeArmed = false;
    this.#metrics!.probe.written(performance.now());
  }

  /** The queue stopped with the timed line's frame in it. */
  dropped(): void {
    if (!this.probeArmed) return;
    this.probeArmed = false;
    this.#metrics!.probe.dropped();
  }

  /** The connection is gone: its traffic goes into the server's past totals. */
  retire(): void {
    this.#metrics?.retire(this.#traffic);
  }
}
