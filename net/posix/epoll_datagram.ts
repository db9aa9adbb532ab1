/**
 * UDP through the C library and epoll (FFI), Linux only: datagrams are read
 * with `recvmmsg` (up to {@linkcode RECEIVE_BATCH} a call) and sent with
 * `sendmmsg` (everything one turn relays, in one call), where
 * `Deno.listenDatagram` and `node:dgram` make one asynchronous operation per
 * datagram. The socket's receive buffer is set (`SO_RCVBUF`) so that a
 * short pause of the event loop turns into latency instead of loss.
 *
 * @example
 * ```ts
 * import { libcAvailable } from "./libc.ts";
 * import { EpollDatagramTransport } from "./epoll_datagram.ts";
 * if (libcAvailable()) {
 *   const socket = await new EpollDatagramTransport().bind("127.0.0.1", 0, {
 *     receive() {},
 *     sendFailed() {},
 *   });
 *   await socket.close();
 * }
 * ```
 * @module
 */
import type {
  DatagramEvents,
  DatagramSocket,
  DatagramTarget,
  DatagramTransport,
} from "../datagram_transport.ts";
import { C, SystemCallError } from "./libc.ts";
import { Reactor } from "./reactor.ts";
import {
  AddressTexts,
  boundPort,
  encodeSockaddr,
  SOCKADDR_BYTES,
  sockaddrPort,
} from "./sockaddr.ts";

/** Datagrams read per `recvmmsg`. */
export const RECEIVE_BATCH = 32;
/** `recvmmsg` calls per ready event before the loop serves the others. */
const RECEIVE_ROUNDS = 8;
/** Room per received datagram: the largest UDP payload, so none is cut short. */
const RECEIVE_SLOT_BYTES = 65_536;
/** Datagrams queued for one `sendmmsg`; more in one turn make another call. */
export const SEND_BATCH = 256;
/** Room per queued datagram; a larger one is sent on its own. */
const SEND_SLOT_BYTES = 2048;
/** The receive buffer asked for unless told otherwise (the kernel caps it at `net.core.rmem_max`). */
export const DEFAULT_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;
/** Bytes of `struct mmsghdr` and `struct iovec` (LP64: x86-64, arm64). */
const MMSGHDR_BYTES = 64;
const IOVEC_BYTES = 16;

/** Options of {@linkcode EpollDatagramTransport}. */
export interface EpollDatagramOptions {
  /** `SO_RCVBUF` in bytes; the kernel doubles it and caps it at `net.core.rmem_max`. */
  readonly receiveBufferBytes?: number;
  /** Set `SO_REUSEPORT` (several processes on one port; see docs/operations.md). */
  readonly reusePort?: boolean;
}

interface EpollTarget extends DatagramTarget {
  readonly raw: Uint8Array;
}

/** An array of `struct mmsghdr`, each with one `iovec` into its slot of `data`. */
class MessageArray {
  readonly headers: Uint8Array;
  readonly view: DataView;
  readonly names: Uint8Array;
  readonly data: Uint8Array;
  readonly #iovecs: Uint8Array;
  readonly #iovecView: DataView;

  constructor(readonly count: number, readonly slotBytes: number) {
    this.headers = new Uint8Array(count * MMSGHDR_BYTES);
    this.view = new DataView(this.headers.buffer);
    this.names = new Uint8Array(count * SOCKADDR_BYTES);
    this.data = new Uint8Array(count * slotBytes);
    this.#iovecs = new Uint8Array(count * IOVEC_BYTES);
    this.#iovecView = new DataView(this.#iovecs.buffer);
    const names = address(this.names);
    const data = address(this.data);
    const iovecs = address(this.#iovecs);
    for (let i = 0; i < count; i++) {
      const h = i * MMSGHDR_BYTES;
      this.view.setBigUint64(h, names + BigInt(i * SOCKADDR_BYTES), true);
      this.view.setUint32(h + 8, SOCKADDR_BYTES, true);
      this.view.setBigUint64(h + 16, iovecs + BigInt(i * IOVEC_BYTES), true);
      this.view.setBigUint64(h + 24, 1n, true);
      const v = i * IOVEC_BYTES;
      this.#iovecView.setBigUint64(v, data + BigInt(i * slotBytes), true);
      this.#iovecView.setBigUint64(v + 8, BigInt(slotBytes), true);
    }
  }

  /** Sets the length of message `i`'s data and of its address. */
  setLengths(i: number, dataBytes: number, nameBytes: number): void {
    this.view.setUint32(i * MMSGHDR_BYTES + 8, nameBytes, true);
    this.#iovecView.setUint32(i * IOVEC_BYTES + 8, dataBytes, true);
  }

  /** `msg_len` of message `i`, as the kernel set it. */
  received(i: number): number {
    return this.view.getUint32(i * MMSGHDR_BYTES + 56, true);
  }

  /** `msg_namelen` of message `i`. */
  nameLength(i: number): number {
    return this.view.getUint32(i * MMSGHDR_BYTES + 8, true);
  }
}

function address(buffer: Uint8Array): bigint {
  return BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(buffer)));
}

class EpollDatagramSocket implements DatagramSocket {
  readonly port: number;
  readonly #reactor: Reactor;
  readonly #fd: number;
  readonly #events: DatagramEvents;
  readonly #in = new MessageArray(RECEIVE_BATCH, RECEIVE_SLOT_BYTES);
  readonly #out = new MessageArray(SEND_BATCH, SEND_SLOT_BYTES);
  #queued = 0;
  #flushScheduled = false;
  #closed = false;
  readonly #addresses = new AddressTexts();

  constructor(reactor: Reactor, fd: number, events: DatagramEvents) {
    this.#reactor = reactor;
    this.#fd = fd;
    this.#events = events;
    this.port = boundPort(reactor.libc, fd);
    reactor.add(fd, C.EPOLLIN, { ready: this.#readable });
  }

  target(address: string, port: number): DatagramTarget {
    const raw = encodeSockaddr(address, port);
    if (raw === null) throw new TypeError(`not a numeric address: ${address}`);
    const target: EpollTarget = { address, port, raw };
    return target;
  }

  send(data: Uint8Array, to: DatagramTarget): void {
    if (this.#closed) return;
    const raw = (to as EpollTarget).raw;
    if (data.length > SEND_SLOT_BYTES) {
      this.#flush();
      const libc = this.#reactor.libc;
      const n = libc.call.sendto(
        this.#fd,
        data,
        data.length,
        C.MSG_DONTWAIT,
        raw,
        raw.length,
      );
      if (n < 0) {
        this.#events.sendFailed(new SystemCallError("sendto", libc.errno()));
      }
      return;
    }
    const out = this.#out;
    const i = this.#queued++;
    out.data.set(data, i * SEND_SLOT_BYTES);
    out.names.set(raw, i * SOCKADDR_BYTES);
    out.setLengths(i, data.length, raw.length);
    if (this.#queued === SEND_BATCH) this.#flush();
    else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(this.#flush);
    }
  }

  /** Sends everything queued, with as few `sendmmsg` calls as the kernel allows. */
  #flush = (): void => {
    this.#flushScheduled = false;
    const n = this.#queued;
    this.#queued = 0;
    if (n === 0 || this.#closed) return;
    const libc = this.#reactor.libc;
    const headers = this.#out.headers;
    let sent = 0;
    while (sent < n) {
      const r = libc.call.sendmmsg(
        this.#fd,
        sent === 0 ? headers : headers.subarray(sent * MMSGHDR_BYTES),
        n - sent,
        C.MSG_DONTWAIT,
      );
      if (r > 0) {
        sent += r;
        continue;
      }
      const errno = libc.errno();
      if (errno === C.EINTR) continue;
      // This datagram is refused (no room, unreachable): lossy, not retried.
      this.#events.sendFailed(new SystemCallError("sendmmsg", errno));
      sent++;
    }
  };

  #readable = (): void => {
    const libc = this.#reactor.libc;
    const messages = this.#in;
    for (let round = 0; round < RECEIVE_ROUNDS && !this.#closed; round++) {
      for (let i = 0; i < RECEIVE_BATCH; i++) {
        messages.setLengths(i, RECEIVE_SLOT_BYTES, SOCKADDR_BYTES);
      }
      const n = libc.call.recvmmsg(
        this.#fd,
        messages.headers,
        RECEIVE_BATCH,
        C.MSG_DONTWAIT,
        null,
      );
      if (n < 0) {
        const errno = libc.errno();
        if (errno === C.EAGAIN || errno === C.EINTR) return;
        // An ICMP error for an earlier send: it concerns that send.
        this.#events.sendFailed(new SystemCallError("recvmmsg", errno));
        continue;
      }
      for (let i = 0; i < n && !this.#closed; i++) this.#deliver(i);
      if (n < RECEIVE_BATCH) return;
    }
  };

  #deliver(i: number): void {
    const messages = this.#in;
    const names = messages.names;
    const at = i * SOCKADDR_BYTES;
    const text = this.#addresses.of(names, messages.nameLength(i), at);
    if (text === null) return;
    const start = i * RECEIVE_SLOT_BYTES;
    this.#events.receive(
      messages.data.subarray(start, start + messages.received(i)),
      text,
      sockaddrPort(names, at),
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#flush();
    this.#closed = true;
    this.#reactor.remove(this.#fd);
    this.#reactor.libc.close(this.#fd);
    await this.#reactor.close();
  }
}

/** Binds with `socket`/`bind` and serves with epoll, `recvmmsg` and `sendmmsg`. */
export class EpollDatagramTransport implements DatagramTransport {
  readonly #receiveBufferBytes: number;
  readonly #reusePort: boolean;

  /** A transport; each socket gets its own reactor. */
  constructor(options: EpollDatagramOptions = {}) {
    this.#receiveBufferBytes = options.receiveBufferBytes ??
      DEFAULT_RECEIVE_BUFFER_BYTES;
    this.#reusePort = options.reusePort === true;
  }

  /** Binds a socket. */
  bind(
    hostname: string,
    port: number,
    events: DatagramEvents,
  ): Promise<DatagramSocket> {
    const raw = encodeSockaddr(hostname, port);
    if (raw === null) {
      return Promise.reject(
        new TypeError(
          `the epoll UDP transport needs a numeric address, not ${hostname}`,
        ),
      );
    }
    const reactor = Reactor.open();
    const libc = reactor.libc;
    const family = raw.length === SOCKADDR_BYTES ? C.AF_INET6 : C.AF_INET;
    let fd = -1;
    try {
      fd = libc.check(
        "socket",
        libc.call.socket(
          family,
          C.SOCK_DGRAM | C.SOCK_NONBLOCK | C.SOCK_CLOEXEC,
          0,
        ),
      );
      if (this.#reusePort) libc.setInt(fd, C.SOL_SOCKET, C.SO_REUSEPORT, 1);
      if (family === C.AF_INET6) {
        libc.setInt(fd, C.IPPROTO_IPV6, C.IPV6_V6ONLY, 0);
      }
      if (this.#receiveBufferBytes > 0) {
        libc.setInt(fd, C.SOL_SOCKET, C.SO_RCVBUF, this.#receiveBufferBytes);
      }
      libc.check("bind", libc.call.bind(fd, raw, raw.length));
      return Promise.resolve(new EpollDatagramSocket(reactor, fd, events));
    } catch (error) {
      if (fd >= 0) libc.close(fd);
      reactor.close();
      if (error instanceof SystemCallError && error.errno === C.EADDRINUSE) {
        return Promise.reject(
          new Deno.errors.AddrInUse("address already in use (EADDRINUSE)"),
        );
      }
      return Promise.reject(error);
    }
  }
}
