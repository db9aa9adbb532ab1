/**
 * Each socket's outgoing lines, coalesced into one write per event-loop turn
 * with at most one write in flight, a hard cap on queued bytes, a share of a
 * server-wide budget, and a record of when bytes last went out (progress),
 * by which a stalled reader is told from a slow one.
 *
 * One write per relayed message caps a relay near 0.2M deliveries/s; one
 * write per socket per turn is what lets fan-out scale (see bench/README.md).
 *
 * @example
 * ```ts
 * import { FlushScheduler } from "./flush_scheduler.ts";
 * import { OutboundQueue } from "./outbound.ts";
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

import type { FlushScheduler } from "./flush_scheduler.ts";

/** Bytes queued by every queue of a server together. */
export class OutboundTotal {
  /** Queued plus in-flight bytes of all queues. */
  bytes = 0;
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
  /** Called after each completed write, once the queue's counts are updated. */
  onWritten?(): void;
  /** The server-wide count this queue adds its bytes to; none by default. */
  total?: OutboundTotal;
}

/** Smallest buffer a queue allocates; it doubles as needed. */
const MIN_BYTES = 512;
/** Largest size a queue guesses from its last flush (a burst is not the norm). */
const MAX_GUESS_BYTES = 64 * 1024;
/**
 * The most one write hands the transport. A write completes when all of it
 * is in the kernel, so this is the granularity of progress: a reader that
 * takes this much per stall timeout is never judged stalled.
 */
export const MAX_WRITE_BYTES = 64 * 1024;

/**
 * A capped, coalescing write queue for one socket.
 *
 * Frames are copied in as they are pushed, so a frame only has to live for
 * the duration of `push`: the relay builds each message once in a scratch
 * buffer and every receiver copies it (no allocation per message, and no
 * shared buffer kept alive by a slow reader).
 */
export class OutboundQueue {
  readonly #options: OutboundOptions;
  readonly #total: OutboundTotal;
  /** Where pushed frames are copied. */
  #buffer: Uint8Array | null = null;
  #queuedBytes = 0;
  /**
   * A buffer taken from `#buffer` and being written out slice by slice; back
   * to the pool once all of it is written.
   */
  #writing: Uint8Array | null = null;
  /** Where its bytes end, and how far slices of them have been handed out. */
  #writeEnd = 0;
  #writeOffset = 0;
  /** Size of the last buffer taken for writing: the next one starts that big. */
  #lastFlushBytes = 0;
  #inFlightBytes = 0;
  #marked = false;
  #stopped = false;
  #drained: (() => void) | null = null;
  /**
   * When bytes last went out (`performance.now()`), or when the queue last
   * went from empty to not empty: how long it has gone without progress.
   */
  lastProgress = 0;

  /** Creates an empty queue. */
  constructor(options: OutboundOptions) {
    this.#options = options;
    this.#total = options.total ?? new OutboundTotal();
  }

  /** Bytes waiting plus bytes being written. */
  get pendingBytes(): number {
    return this.#queuedBytes + this.#inFlightBytes + this.#unwritten();
  }

  /** Whether the queue has stopped (cut off, closed or failed). */
  get stopped(): boolean {
    return this.#stopped;
  }

  #unwritten(): number {
    return this.#writeEnd - this.#writeOffset;
  }

  /** Copies one frame into the queue. */
  push(frame: Uint8Array): void {
    if (this.#stopped) return;
    const pending = this.pendingBytes;
    if (pending + frame.length > this.#options.maxBytes) {
      this.stop();
      this.#options.onOverflow(pending + frame.length);
      return;
    }
    if (pending === 0) this.lastProgress = this.#options.scheduler.now();
    const queued = this.#queuedBytes + frame.length;
    let buffer = this.#buffer;
    if (buffer === null || queued > buffer.length) {
      let size = buffer === null
        ? Math.max(MIN_BYTES, Math.min(this.#lastFlushBytes, MAX_GUESS_BYTES))
        : buffer.length * 2;
      while (size < queued) size *= 2;
      const pool = this.#options.scheduler.pool;
      const grown = pool.take(size);
      if (buffer !== null) {
        grown.set(buffer.subarray(0, this.#queuedBytes));
        pool.give(buffer);
      }
      this.#buffer = buffer = grown;
    }
    buffer.set(frame, this.#queuedBytes);
    this.#queuedBytes = queued;
    this.#total.bytes += frame.length;
    if (!this.#marked && this.#inFlightBytes === 0) {
      this.#marked = true;
      this.#options.scheduler.mark(this);
    }
  }

  /** Writes the next slice of what is queued, unless a write is in flight. */
  flush(): void {
    this.#marked = false;
    if (this.#inFlightBytes > 0 || this.#stopped) return;
    if (this.#writing === null) {
      if (this.#queuedBytes === 0) return;
      this.#writing = this.#buffer!;
      this.#writeEnd = this.#queuedBytes;
      this.#writeOffset = 0;
      this.#buffer = null;
      this.#lastFlushBytes = this.#queuedBytes;
      this.#queuedBytes = 0;
    }
    const start = this.#writeOffset;
    const end = Math.min(this.#writeEnd, start + MAX_WRITE_BYTES);
    const data = this.#writing.subarray(start, end);
    this.#writeOffset = end;
    this.#inFlightBytes = data.length;
    try {
      this.#options.write(data, this.#written);
    } catch (error) {
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
    if (!this.#stopped) {
      this.#total.bytes -= this.pendingBytes;
      this.#stopped = true;
    }
    this.#buffer = null;
    this.#writing = null;
    this.#writeEnd = 0;
    this.#writeOffset = 0;
    this.#queuedBytes = 0;
    this.#inFlightBytes = 0;
    this.#notifyDrained();
  }

  #written = (error?: Error | null): void => {
    if (this.#stopped) return;
    this.#total.bytes -= this.#inFlightBytes;
    this.#inFlightBytes = 0;
    this.lastProgress = this.#options.scheduler.now();
    if (error) {
      this.stop();
      return;
    }
    if (this.#writing !== null && this.#writeOffset === this.#writeEnd) {
      // All of it is out and the transport is done with it.
      this.#options.scheduler.pool.give(this.#writing);
      this.#writing = null;
    }
    if (this.#writing !== null || this.#queuedBytes > 0) this.flush();
    else this.#notifyDrained();
    this.#options.onWritten?.();
  };

  #notifyDrained(): void {
    const drained = this.#drained;
    this.#drained = null;
    drained?.();
  }
}
