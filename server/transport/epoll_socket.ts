/**
 * One accepted TCP connection of the epoll transport: a nonblocking file
 * descriptor read and written with plain `recv`/`send` calls through FFI,
 * in the reactor's batch (see net/posix/reactor.ts).
 *
 * A write goes to the kernel at once, in the call, and `done` runs before
 * `write` returns when the kernel took it all (the usual case). Only what the
 * kernel would not take waits, and the socket then asks for `EPOLLOUT`.
 * Pausing takes `EPOLLIN` out of the epoll set, so the kernel's receive
 * buffer fills and TCP pushes back on the peer.
 *
 * @example
 * ```ts
 * import { EpollSocket } from "./epoll_socket.ts";
 * console.assert(typeof EpollSocket === "function");
 * ```
 * @module
 */
import { C, errnoName } from "../../net/posix/libc.ts";
import type { Reactor, ReadyHandler } from "../../net/posix/reactor.ts";
import type { SocketEvents, TransportSocket } from "./transport.ts";

/** A socket call failed; `code` is the C error's name (`ECONNRESET`, ...). */
export class SocketError extends Error {
  /** `ECONNRESET`, `EPIPE`, ...: the same codes `node:net` reports. */
  readonly code: string;

  /** `call` failed with `errno`. */
  constructor(call: string, errno: number) {
    const code = errnoName(errno);
    super(`${call} failed: ${code}`);
    this.name = "SocketError";
    this.code = code;
  }
}

/** What every socket of one listener shares. */
export interface SocketShared {
  readonly reactor: Reactor;
  /** One read buffer for all: a chunk is used before the next read. */
  readonly readBuffer: Uint8Array;
  /** Called once a socket has closed its descriptor. */
  released(): void;
}

/** A nonblocking TCP descriptor as a {@linkcode TransportSocket}. */
export class EpollSocket implements TransportSocket, ReadyHandler {
  readonly remoteAddress: string;
  readonly #port: number;
  readonly #fd: number;
  readonly #shared: SocketShared;
  #events: SocketEvents | null = null;
  /** Events now in the epoll set. */
  #interest: number = C.EPOLLIN;
  /** In the epoll set (from {@linkcode start} until closed). */
  #started = false;
  #paused = false;
  #peerEnded = false;
  #ending = false;
  #closed = false;
  /** What the kernel has not taken yet of the write in flight. */
  #pending: Uint8Array | null = null;
  #pendingDone: ((error?: Error | null) => void) | null = null;

  /** Wraps the connected, nonblocking `fd`. */
  constructor(fd: number, address: string, port: number, shared: SocketShared) {
    this.#fd = fd;
    this.#shared = shared;
    this.remoteAddress = address;
    this.#port = port;
  }

  /**
   * `address:port`, made when asked (log lines, the admin view) rather than
   * kept per connection.
   */
  get remote(): string {
    return `${this.remoteAddress}:${this.#port}`;
  }

  /** Starts delivering this socket's events to `events`. */
  start(events: SocketEvents): void {
    this.#events = events;
    // The owner may have closed it already (a server that is full).
    if (this.#closed) return;
    this.#started = true;
    this.#interest = this.#wanted();
    this.#shared.reactor.add(this.#fd, this.#interest, this);
  }

  /** The reactor's call: `ready` holds the descriptor's `EPOLL*` bits. */
  ready(ready: number): void {
    if (ready & C.EPOLLOUT) this.#sendPending();
    if (this.#closed) return;
    if (
      (ready & (C.EPOLLHUP | C.EPOLLERR)) && (this.#paused || this.#peerEnded)
    ) {
      // Reported whatever the interest is: a reset connection (nothing can
      // reach the peer any more) would otherwise wake the loop forever.
      this.#fail("recv", C.ECONNRESET);
      return;
    }
    if (
      !this.#closed && !this.#paused && !this.#peerEnded &&
      (ready & (C.EPOLLIN | C.EPOLLHUP | C.EPOLLERR))
    ) this.#read();
  }

  #read(): void {
    const shared = this.#shared;
    const buffer = shared.readBuffer;
    const libc = shared.reactor.libc;
    const n = libc.call.recv(this.#fd, buffer, buffer.length, 0);
    if (n > 0) {
      this.#events!.data(buffer.subarray(0, n));
      return;
    }
    if (n === 0) {
      // Half-closed by the peer: let the owner answer, then close.
      this.#peerEnded = true;
      this.#watch();
      const events = this.#events!;
      if (events.end !== undefined) events.end();
      else this.end();
      return;
    }
    const errno = libc.errno();
    if (errno === C.EAGAIN || errno === C.EINTR) return;
    this.#fail("recv", errno);
  }

  write(data: Uint8Array, done: (error?: Error | null) => void): void {
    if (this.#closed || this.#ending || this.#pending !== null) {
      const error = new SocketError("send", C.EPIPE);
      queueMicrotask(() => done(error));
      return;
    }
    const libc = this.#shared.reactor.libc;
    const n = libc.call.send(this.#fd, data, data.length, C.MSG_NOSIGNAL);
    if (n === data.length) {
      done();
      return;
    }
    if (n < 0) {
      const errno = libc.errno();
      if (errno !== C.EAGAIN && errno !== C.EINTR) {
        done(new SocketError("send", errno));
        this.#fail("send", errno);
        return;
      }
    }
    this.#pending = n > 0 ? data.subarray(n) : data;
    this.#pendingDone = done;
    this.#watch();
  }

  /** The socket is writable again: hand the kernel the rest. */
  #sendPending(): void {
    const pending = this.#pending;
    if (pending === null || this.#closed) return;
    const libc = this.#shared.reactor.libc;
    const n = libc.call.send(this.#fd, pending, pending.length, C.MSG_NOSIGNAL);
    if (n < 0) {
      const errno = libc.errno();
      if (errno === C.EAGAIN || errno === C.EINTR) return;
      this.#fail("send", errno);
      return;
    }
    if (n < pending.length) {
      this.#pending = pending.subarray(n);
      return;
    }
    const done = this.#pendingDone!;
    this.#pending = null;
    this.#pendingDone = null;
    this.#watch();
    done();
    if (this.#ending && this.#pending === null) this.#finish();
  }

  /** Puts the events this socket now needs into the epoll set. */
  #watch(): void {
    if (this.#closed || !this.#started) return;
    const interest = this.#wanted();
    if (interest === this.#interest) return;
    this.#interest = interest;
    this.#shared.reactor.modify(this.#fd, interest);
  }

  #wanted(): number {
    let interest = 0;
    if (!this.#paused && !this.#peerEnded) interest |= C.EPOLLIN;
    if (this.#pending !== null) interest |= C.EPOLLOUT;
    return interest;
  }

  pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.#watch();
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#watch();
  }

  end(): void {
    if (this.#closed || this.#ending) return;
    this.#ending = true;
    if (this.#pending === null) this.#finish();
  }

  /** Everything is written: send the FIN, then let go of the descriptor. */
  #finish(): void {
    this.#shared.reactor.libc.call.shutdown(this.#fd, C.SHUT_WR);
    this.destroy();
  }

  destroy(): void {
    this.#close(undefined);
  }

  #fail(call: string, errno: number): void {
    this.#close(new SocketError(call, errno));
  }

  #close(error: Error | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    const shared = this.#shared;
    shared.reactor.remove(this.#fd);
    shared.reactor.libc.close(this.#fd);
    const done = this.#pendingDone;
    this.#pending = null;
    this.#pendingDone = null;
    const events = this.#events;
    // As `node:net` does: the owner hears of it after the current call.
    queueMicrotask(() => {
      done?.(error ?? new SocketError("send", C.EPIPE));
      events?.close(error);
      shared.released();
    });
  }
}
