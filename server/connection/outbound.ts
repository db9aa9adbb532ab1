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

/**
 * When queued lines are written: `"turn"` at the end of the current turn of
 * the event loop (lowest latency), `"immediate"` after pending I/O callbacks
 * (more coalescing across sockets), or a number of milliseconds (a timer:
 * least CPU at moderate load, for that much added latency).
 */
export type FlushPolicy = "turn" | "immediate" | number;

/** Flushes every queue that got data, once, when the policy says. */
export class FlushScheduler {
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

/** Smallest buffer a queue allocates; it doubles as needed. */
const MIN_BYTES = 512;
/** Largest size a queue guesses from its last flush (a burst is not the norm). */
const MAX_GUESS_BYTES = 64 * 1024;

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
  #buffer: Uint8Array | null = null;
  /** Size of the last flush: the next buffer starts that big. */
  #lastFlushBytes = 0;
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

  /** Copies one frame into the queue. */
  push(frame: Uint8Array): void {
    if (this.#stopped) return;
    const queued = this.#queuedBytes + frame.length;
    if (queued + this.#inFlightBytes > this.#options.maxBytes) {
      const pending = this.pendingBytes + frame.length;
      this.stop();
      this.#options.onOverflow(pending);
      return;
    }
    let buffer = this.#buffer;
    if (buffer === null || queued > buffer.length) {
      let size = buffer === null
        ? Math.max(MIN_BYTES, Math.min(this.#lastFlushBytes, MAX_GUESS_BYTES))
        : buffer.length * 2;
      while (size < queued) size *= 2;
      const grown = new Uint8Array(size);
      if (buffer !== null) grown.set(buffer.subarray(0, this.#queuedBytes));
      this.#buffer = buffer = grown;
    }
    buffer.set(frame, this.#queuedBytes);
    this.#queuedBytes = queued;
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
    const data = this.#buffer!.subarray(0, this.#queuedBytes);
    this.#buffer = null;
    this.#lastFlushBytes = this.#queuedBytes;
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
    this.#buffer = null;
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
