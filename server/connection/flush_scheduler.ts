/**
 * When a server's outbound queues write: every queue that got data in a
 * turn is flushed once, when the flush policy says (the end of the turn by
 * default). The scheduler also holds what the queues share: the pool of
 * spare write buffers and the clock read once per turn.
 *
 * @example
 * ```ts
 * import { FlushScheduler } from "./flush_scheduler.ts";
 * const scheduler = new FlushScheduler();
 * console.assert(scheduler.now() === scheduler.now());
 * ```
 * @module
 */
import { BufferPool } from "./buffer_pool.ts";
import type { OutboundQueue } from "./outbound.ts";

/**
 * When queued lines are written: `"turn"` at the end of the current turn of
 * the event loop (lowest latency), `"immediate"` after pending I/O callbacks
 * (more coalescing across sockets), or a number of milliseconds (a timer:
 * least CPU at moderate load, for that much added latency).
 */
export type FlushPolicy = "turn" | "immediate" | number;

/** Flushes every queue that got data, once, when the policy says. */
export class FlushScheduler {
  /** Spare write buffers of the queues it flushes. */
  readonly pool = new BufferPool();
  /** `performance.now()` read once for this turn's pushes and writes; -1: not read. */
  #clock = -1;
  #dirty: OutboundQueue[] = [];
  #spare: OutboundQueue[] = [];
  #scheduled = false;
  readonly #schedule: (run: () => void) => void;

  /** Creates a scheduler; `"turn"` by default. */
  constructor(policy: FlushPolicy = "turn") {
    this.#schedule = policy === "turn"
      ? queueMicrotask
      : policy === "immediate"
      ? (run) => setImmediate(run)
      : (run) => setTimeout(run, policy);
  }

  /**
   * The time (ms) for progress marks: read once per turn of the event loop,
   * not per frame (at 1,000 sockets nearly every frame finds its queue empty).
   */
  now(): number {
    if (this.#clock < 0) {
      this.#clock = performance.now();
      // Forgotten at the end of this turn, flush or not.
      queueMicrotask(this.#forget);
    }
    return this.#clock;
  }

  #forget = (): void => {
    this.#clock = -1;
  };

  /** Asks for `queue.flush()` once the policy's moment comes. */
  mark(queue: OutboundQueue): void {
    this.#dirty.push(queue);
    if (!this.#scheduled) {
      this.#scheduled = true;
      this.#schedule(this.#run);
    }
  }

  #run = (): void => {
    this.#scheduled = false;
    const dirty = this.#dirty;
    this.#dirty = this.#spare;
    // One queue's failure must not keep the others' bytes from going out.
    let failed = false;
    let failure: unknown;
    for (let i = 0; i < dirty.length; i++) {
      try {
        dirty[i]!.flush();
      } catch (error) {
        if (!failed) failure = error;
        failed = true;
      }
    }
    dirty.length = 0;
    this.#spare = dirty;
    if (failed) throw failure;
  };
}
