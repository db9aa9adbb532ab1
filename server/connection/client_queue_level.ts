/**
 * What back-pressure (backpressure.ts) reads as one client's queue: its
 * outbound queue, or for a resumable client, everything it has not
 * acknowledged when that is more.
 *
 * Made once per connection; its getters are read on every frame queued for
 * the client, so they read fields only.
 *
 * @example
 * ```ts
 * import { DEFAULT_LIMITS } from "../../protocol/mod.ts";
 * import { Backpressure } from "./backpressure.ts";
 * import { ClientQueueLevel } from "./client_queue_level.ts";
 * import { Flow } from "./flow.ts";
 * const flow = new Flow(DEFAULT_LIMITS, () => []);
 * const level = new ClientQueueLevel({ pendingBytes: 10, lastProgress: 0 }, flow);
 * level.heldBy(new Backpressure(flow, level, { wake() {} }));
 * console.assert(level.pendingBytes === 10);
 * ```
 * @module
 */
import type { Session } from "../sessions/session.ts";
import type { Backpressure, QueueLevel } from "./backpressure.ts";
import type { Flow } from "./flow.ts";

/** One client's queue as back-pressure sees it. */
export class ClientQueueLevel implements QueueLevel {
  readonly #out: QueueLevel;
  readonly #flow: Flow;
  #pressure: Backpressure | null = null;
  /**
   * The session on the connection, kept in step by the connection's
   * `session` setter (a field, not a call back, for the per-frame reads).
   */
  session: Session | null = null;

  /** The level of `out`, the connection's outbound queue, in `flow`. */
  constructor(out: QueueLevel, flow: Flow) {
    this.#out = out;
    this.#flow = flow;
  }

  /** Names the connection's back-pressure, made with this level. */
  heldBy(pressure: Backpressure): void {
    this.#pressure = pressure;
  }

  /** Bytes queued, or not yet acknowledged if that is more. */
  get pendingBytes(): number {
    return Math.max(this.#out.pendingBytes, this.#unacked());
  }

  /** The queue's last progress, or the client's last acknowledgement if later. */
  get lastProgress(): number {
    return Math.max(
      this.#out.lastProgress,
      this.session?.resume?.lastAckAt ?? 0,
    );
  }

  // A resumable client's queue, for back-pressure, is everything it has not
  // acknowledged (what is queued, in flight, or read but not yet acked).
  // Only acknowledgements it sends bring that down, so it counts only
  // while this connection is being read: not for its own lines, and not
  // while it waits for another receiver itself (two clients sending to
  // each other would otherwise each wait for the other's reading).
  #unacked(): number {
    const resume = this.session?.resume;
    if (resume === null || resume === undefined) return 0;
    const pressure = this.#pressure;
    return this.#flow.sender === pressure || pressure!.blocked
      ? 0
      : resume.unackedBytes;
  }
}
