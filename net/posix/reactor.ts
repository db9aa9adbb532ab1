/**
 * One epoll loop inside the JavaScript event loop: the file descriptors of
 * the epoll transports, each with a handler called with its ready events.
 *
 * Waiting happens on another thread (`epoll_wait` as a nonblocking FFI
 * call), so timers, Redis and the other listeners keep running. Once a wait
 * returns, every ready descriptor is handled synchronously (reads, accepts,
 * writes: plain system calls, no promise per chunk), then the microtasks
 * run (the relay's coalesced writes go out, one `send` per socket per
 * batch), and the loop polls once more without blocking before it waits
 * again: a busy loop goes from batch to batch without a thread hop, an idle
 * one costs nothing. This is the C relay's model (README of the perf
 * harness) inside Deno.
 *
 * @example
 * ```ts
 * import { libcAvailable } from "./libc.ts";
 * import { Reactor } from "./reactor.ts";
 * if (libcAvailable()) {
 *   const reactor = Reactor.open();
 *   await reactor.close();
 * }
 * ```
 * @module
 */
import { setImmediate } from "node:timers";
import { C, EPOLL_DATA_OFFSET, EPOLL_EVENT_BYTES, Libc } from "./libc.ts";

/**
 * What is called when a watched descriptor is ready, with the `EPOLL*`
 * bits. An object with a method rather than a function: a socket is its own
 * handler, with no closure made per socket.
 */
export interface ReadyHandler {
  ready(events: number): void;
}

/** Events handled per `epoll_wait`. */
const MAX_EVENTS = 256;
/**
 * Batches handled back to back (non-blocking polls) before the loop waits
 * on its thread again, which lets timers and other I/O run in between.
 */
const MAX_SPIN_BATCHES = 8;

/**
 * For this long after its last event the loop counts as busy and waits on
 * the JavaScript thread itself (at most {@linkcode BLOCK_MS} at a time).
 */
const ACTIVE_MS = 5;
/**
 * The longest a busy loop blocks the JavaScript thread in one wait: timers
 * and the runtime's other I/O (Redis, the admin endpoint) wait at most this
 * long for their turn.
 */
const BLOCK_MS = 1;

/** An epoll set and the loop that serves it. */
export class Reactor {
  /** The C library, for the transports' own calls. */
  readonly libc: Libc;
  readonly #epoll: number;
  /** Written to on close, so that the waiting thread returns. */
  readonly #wake: number;
  readonly #handlers = new Map<number, ReadyHandler>();
  /** The waiting thread fills this one; the polls on this thread the other. */
  readonly #asyncEvents = new Uint8Array(MAX_EVENTS * EPOLL_EVENT_BYTES);
  readonly #syncEvents = new Uint8Array(MAX_EVENTS * EPOLL_EVENT_BYTES);
  /** Views of the two, made once rather than per batch. */
  readonly #asyncView = new DataView(this.#asyncEvents.buffer);
  readonly #syncView = new DataView(this.#syncEvents.buffer);
  readonly #event = new Uint8Array(EPOLL_EVENT_BYTES);
  readonly #eventView = new DataView(this.#event.buffer);
  readonly #wakeValue = new BigUint64Array([1n]);
  #closing = false;
  #loop: Promise<void> | null = null;

  private constructor(libc: Libc) {
    this.libc = libc;
    this.#epoll = libc.epollCreate();
    this.#wake = libc.check(
      "eventfd",
      libc.call.eventfd(0, C.EFD_NONBLOCK | C.EFD_CLOEXEC),
    );
    this.#control(C.EPOLL_CTL_ADD, this.#wake, C.EPOLLIN);
  }

  /** A new reactor with its own epoll set (Linux, FFI allowed). */
  static open(): Reactor {
    return new Reactor(Libc.open());
  }

  /** Watches `fd` for `events`, calling `handler` when any is ready. */
  add(fd: number, events: number, handler: ReadyHandler): void {
    this.#handlers.set(fd, handler);
    this.#control(C.EPOLL_CTL_ADD, fd, events);
    this.#loop ??= this.#run();
  }

  /** Changes the events watched on `fd`. */
  modify(fd: number, events: number): void {
    this.#control(C.EPOLL_CTL_MOD, fd, events);
  }

  /** Stops watching `fd` (before it is closed). */
  remove(fd: number): void {
    if (!this.#handlers.delete(fd)) return;
    this.libc.call.epoll_ctl(this.#epoll, C.EPOLL_CTL_DEL, fd, this.#event);
  }

  /** Descriptors watched (the wake-up's own excepted). */
  get size(): number {
    return this.#handlers.size;
  }

  #control(op: number, fd: number, events: number): void {
    this.#eventView.setUint32(0, events, true);
    this.#eventView.setInt32(EPOLL_DATA_OFFSET, fd, true);
    this.libc.check(
      "epoll_ctl",
      this.libc.call.epoll_ctl(this.#epoll, op, fd, this.#event),
    );
  }

  async #run(): Promise<void> {
    const call = this.libc.call;
    let lastEvent = -Infinity;
    while (!this.#closing) {
      let n: number;
      let view: DataView;
      if (performance.now() - lastEvent < ACTIVE_MS) {
        // Busy: wait on this thread, woken by the kernel directly (no hop
        // through another thread), but briefly, then let timers and the
        // runtime's own I/O have their turn.
        await this.#yieldTurn();
        if (this.#closing) break;
        view = this.#syncView;
        n = call.epoll_wait(
          this.#epoll,
          this.#syncEvents,
          MAX_EVENTS,
          BLOCK_MS,
        );
      } else {
        // Quiet: wait on another thread, for as long as it takes.
        view = this.#asyncView;
        n = await call.epoll_wait_async(
          this.#epoll,
          this.#asyncEvents,
          MAX_EVENTS,
          -1,
        );
      }
      if (n < 0) {
        if (this.libc.errno() === C.EINTR) continue;
        throw new Error(`epoll_wait failed: errno ${this.libc.errno()}`);
      }
      if (this.#closing) break;
      if (n === 0) continue;
      lastEvent = performance.now();
      this.#dispatch(view, n);
      for (let spin = 0; spin < MAX_SPIN_BATCHES && !this.#closing; spin++) {
        // Let this batch's microtasks (the coalesced writes) run first.
        await undefined;
        const more = call.epoll_wait(
          this.#epoll,
          this.#syncEvents,
          MAX_EVENTS,
          0,
        );
        if (more <= 0) break;
        this.#dispatch(this.#syncView, more);
      }
    }
  }

  /** Resolves after one turn of the event loop (timers, other I/O). */
  #yieldTurn(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  /** Calls the handlers of the `n` events in `view`. */
  #dispatch(view: DataView, n: number): void {
    for (let i = 0; i < n; i++) {
      const at = i * EPOLL_EVENT_BYTES;
      const fd = view.getInt32(at + EPOLL_DATA_OFFSET, true);
      // A descriptor removed earlier in this batch has no handler any more.
      const handler = this.#handlers.get(fd);
      if (handler === undefined) continue;
      try {
        handler.ready(view.getUint32(at, true));
      } catch (error) {
        // A handler's fault must not keep the others from their events; it
        // is thrown again outside the loop, as an uncaught error.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** Stops the loop, then closes the epoll set; the descriptors are the owners'. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.libc.call.write(this.#wake, new Uint8Array(this.#wakeValue.buffer), 8);
    await this.#loop;
    this.libc.close(this.#wake);
    this.libc.close(this.#epoll);
    this.libc.release();
  }
}
