/**
 * One connection's part in back-pressure, as a receiver and as a sender.
 *
 * As a receiver: when a frame leaves its queue above the high-water mark
 * while another connection's line is being handled, that sender waits for
 * it (the sender's connection stops reading) until the queue is down to the
 * low-water mark. As a sender: it waits while any receiver holds it; after
 * the hold time, a receiver that has written nothing since is judged stalled
 * and lets its senders go (it no longer holds anyone until it writes again),
 * so one client that stops reading holds up its room for at most the hold
 * time.
 *
 * @example
 * ```ts
 * import { DEFAULT_LIMITS } from "../../protocol/mod.ts";
 * import { Backpressure } from "./backpressure.ts";
 * import { Flow } from "./flow.ts";
 * const flow = new Flow(DEFAULT_LIMITS, () => []);
 * const queue = { pendingBytes: 0, lastProgress: 0 };
 * const node = new Backpressure(flow, queue, { wake() {} });
 * console.assert(!node.blocked);
 * node.dispose();
 * ```
 * @module
 */
import type { Flow } from "./flow.ts";
import type { Waker } from "./input_gate.ts";

/** What back-pressure reads of a connection's outbound queue. */
export interface QueueLevel {
  readonly pendingBytes: number;
  /** `performance.now()` of its last progress. */
  readonly lastProgress: number;
}

/** One connection's back-pressure state. */
export class Backpressure {
  readonly #flow: Flow;
  readonly #queue: QueueLevel;
  readonly #unblocked: Waker;
  /** Senders waiting for this receiver's queue to go down. */
  #waiters: Backpressure[] | null = null;
  /** Receivers this sender waits for. */
  #blockedBy: Backpressure[] | null = null;
  #holdTimer: ReturnType<typeof setTimeout> | undefined;
  /** No progress for the hold time: holds no sender until it writes again. */
  #stalled = false;

  /**
   * @param unblocked called (synchronously, from another connection's
   *   write callback or a timer) when this sender waits for no one any more
   */
  constructor(flow: Flow, queue: QueueLevel, unblocked: Waker) {
    this.#flow = flow;
    this.#queue = queue;
    this.#unblocked = unblocked;
  }

  /** Whether this connection, as a sender, is waiting for a receiver. */
  get blocked(): boolean {
    return this.#blockedBy !== null;
  }

  /** Whether this receiver has been judged stalled. */
  get stalled(): boolean {
    return this.#stalled;
  }

  /** Receiver side, after a frame was queued: hold the current sender if over the mark. */
  queued(): void {
    if (this.#queue.pendingBytes <= this.#flow.highWater || this.#stalled) {
      return;
    }
    const sender = this.#flow.sender;
    if (sender === null) return;
    const waiters = this.#waiters ??= [];
    if (waiters.includes(sender)) return;
    waiters.push(sender);
    sender.#waitFor(this);
  }

  /** Receiver side, after a write completed: progress; release senders below the low mark. */
  wrote(): void {
    this.#stalled = false;
    if (
      this.#waiters !== null && this.#queue.pendingBytes <= this.#flow.lowWater
    ) {
      this.#release();
    }
  }

  #release(): void {
    const waiters = this.#waiters;
    this.#waiters = null;
    if (waiters === null) return;
    for (const sender of waiters) sender.#releasedBy(this);
  }

  #waitFor(receiver: Backpressure): void {
    if (this.#blockedBy === null) {
      this.#blockedBy = [receiver];
      this.#flow.stats.holds++;
      // The callback is made per hold, not kept per connection: most
      // connections never wait for a receiver.
      this.#holdTimer = setTimeout(
        () => this.#holdExpired(),
        this.#flow.holdMs,
      );
    } else {
      this.#blockedBy.push(receiver);
    }
  }

  #releasedBy(receiver: Backpressure): void {
    const blockedBy = this.#blockedBy;
    if (blockedBy === null) return;
    const index = blockedBy.indexOf(receiver);
    if (index !== -1) blockedBy.splice(index, 1);
    if (blockedBy.length > 0) return;
    this.#blockedBy = null;
    clearTimeout(this.#holdTimer);
    this.#holdTimer = undefined;
    this.#unblocked.wake();
  }

  /** The hold time passed: receivers that wrote nothing meanwhile are stalled. */
  #holdExpired(): void {
    this.#holdTimer = undefined;
    const now = performance.now();
    const holdMs = this.#flow.holdMs;
    let next = holdMs;
    for (const receiver of this.#blockedBy?.slice() ?? []) {
      const quiet = now - receiver.#queue.lastProgress;
      if (quiet >= holdMs) receiver.#stall();
      else next = Math.min(next, holdMs - quiet);
    }
    if (this.#blockedBy !== null) {
      this.#holdTimer = setTimeout(
        () => this.#holdExpired(),
        Math.max(1, next),
      );
    }
  }

  #stall(): void {
    if (this.#stalled) return;
    this.#stalled = true;
    this.#flow.stats.stalls++;
    this.#release();
  }

  /** The connection is gone: let its senders go and stop waiting for anyone. */
  dispose(): void {
    this.#release();
    for (const receiver of this.#blockedBy ?? []) {
      const waiters = receiver.#waiters;
      const index = waiters?.indexOf(this) ?? -1;
      if (index !== -1) waiters!.splice(index, 1);
    }
    this.#blockedBy = null;
    clearTimeout(this.#holdTimer);
    this.#holdTimer = undefined;
  }
}
