/**
 * Each socket's outgoing lines, coalesced into one write per event-loop turn
 * with at most one write in flight and a hard cap on queued bytes.
 *
 * One write per relayed message caps a relay near 0.2M deliveries/s; one
 * write per socket per turn is what lets fan-out scale (see bench/README.md).
 *
 * @example
 * ```ts
 * import { FlushScheduler, OutboundQueue } from "./outbound.ts";
 * const writes: Uint8Array[] = [];
 * const queue = new OutboundQueue({
 *   write: (data, done) => { writes.push(data); done(); },
 *   scheduler: new FlushScheduler(),
 *   maxBytes: 1024,
 *   onOverflow: () => {},
 * });
 * queue.push(new TextEncoder().encode("4:1\n"));
 * queue.push(new TextEncoder().encode("3:1:hi\n"));
 * await Promise.resolve();
 * console.assert(writes.length === 1);
 * ```
 * @module
 */

/** Flushes every queue that got data during this turn, once, at its end. */
export class FlushScheduler {
  #dirty: OutboundQueue[] = [];
  #spare: OutboundQueue[] = [];
  #scheduled = false;

  /** Asks for `queue.flush()` at the end of this turn. */
  mark(queue: OutboundQueue): void {
    this.#dirty.push(queue);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#run);
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

/** How an {@linkcode OutboundQueue} writes and when it gives up. */
export interface OutboundOptions {
  /** Writes one buffer; `done` runs when the transport has taken it. */
  write(data: Uint8Array, done: (error?: Error | null) => void): void;
  /** Shared by all queues of a server. */
  scheduler: FlushScheduler;
  /** Queued plus in-flight bytes allowed before {@linkcode onOverflow}. */
  maxBytes: number;
  /** Called once when the cap is passed; the queue drops everything after. */
  onOverflow(queuedBytes: number): void;
  /**
   * Called when `write` throws (a fault, not a failed write); the queue has
   * stopped. Without it the exception propagates.
   */
  onError?(error: unknown): void;
}

/** A capped, coalescing write queue for one socket. */
export class OutboundQueue {
  readonly #options: OutboundOptions;
  #chunks: Uint8Array[] = [];
  #queuedBytes = 0;
  #inFlightBytes = 0;
  #marked = false;
  #stopped = false;
  #drained: (() => void) | null = null;

  /** Creates an empty queue. */
  constructor(options: OutboundOptions) {
    this.#options = options;
  }

  /** Bytes waiting plus bytes being written. */
  get pendingBytes(): number {
    return this.#queuedBytes + this.#inFlightBytes;
  }

  /** Queues one frame. The frame may be shared with other queues: never mutate it. */
  push(frame: Uint8Array): void {
    if (this.#stopped) return;
    this.#chunks.push(frame);
    this.#queuedBytes += frame.length;
    if (this.#queuedBytes + this.#inFlightBytes > this.#options.maxBytes) {
      const pending = this.pendingBytes;
      this.stop();
      this.#options.onOverflow(pending);
      return;
    }
    if (!this.#marked && this.#inFlightBytes === 0) {
      this.#marked = true;
      this.#options.scheduler.mark(this);
    }
  }

  /** Writes everything queued as one buffer, unless a write is in flight. */
  flush(): void {
    this.#marked = false;
    if (this.#inFlightBytes > 0 || this.#queuedBytes === 0 || this.#stopped) {
      return;
    }
    const chunks = this.#chunks;
    const data = chunks.length === 1
      ? chunks[0]!
      : concat(chunks, this.#queuedBytes);
    this.#chunks = [];
    this.#inFlightBytes = this.#queuedBytes;
    this.#queuedBytes = 0;
    try {
      this.#options.write(data, this.#written);
    } catch (error) {
      this.#inFlightBytes = 0;
      this.stop();
      if (this.#options.onError === undefined) throw error;
      this.#options.onError(error);
    }
  }

  /** Resolves once everything queued so far has been written (or the queue stopped). */
  drained(): Promise<void> {
    if (this.pendingBytes === 0 || this.#stopped) return Promise.resolve();
    const { promise, resolve } = Promise.withResolvers<void>();
    const previous = this.#drained;
    this.#drained = () => {
      previous?.();
      resolve();
    };
    return promise;
  }

  /** Drops what is queued and accepts nothing more. */
  stop(): void {
    this.#stopped = true;
    this.#chunks = [];
    this.#queuedBytes = 0;
    this.#notifyDrained();
  }

  #written = (error?: Error | null): void => {
    this.#inFlightBytes = 0;
    if (error) {
      this.stop();
      return;
    }
    if (this.#queuedBytes > 0) this.flush();
    else this.#notifyDrained();
  };

  #notifyDrained(): void {
    const drained = this.#drained;
    this.#drained = null;
    drained?.();
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i]!;
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
