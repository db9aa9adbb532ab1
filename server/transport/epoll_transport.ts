/**
 * TCP through the C library's sockets and epoll (FFI), Linux only: the
 * transport of `serve --tcp-impl epoll`, and the default where it is
 * available (numbers in bench/README.md, "Against the machine's limit").
 *
 * `node:net` in Deno makes each write an asynchronous operation with a
 * promise and a callback; at 1,000 sockets every relayed line is its own
 * write, and that per-write cost is what held the relay to half the C
 * relay's capacity. Here a write is one `send` call made at once, a read
 * one `recv` per ready socket per batch, and waiting one `epoll_wait` on
 * another thread for all sockets together.
 *
 * With `reusePort` the listening socket sets `SO_REUSEPORT`, so several
 * server processes on one host can listen on the same port and the kernel
 * spreads the connections among them (docs/operations.md, "More cores").
 *
 * @example
 * ```ts
 * import { libcAvailable } from "../../net/posix/libc.ts";
 * import { EpollTcpTransport } from "./epoll_transport.ts";
 * if (libcAvailable()) {
 *   const server = await new EpollTcpTransport().listen("127.0.0.1", 0, () => ({
 *     data() {},
 *     close() {},
 *   }));
 *   await server.close();
 * }
 * ```
 * @module
 */
import { C, SystemCallError } from "../../net/posix/libc.ts";
import { Reactor } from "../../net/posix/reactor.ts";
import {
  AddressTexts,
  boundPort,
  encodeSockaddr,
  SOCKADDR_BYTES,
  sockaddrPort,
} from "../../net/posix/sockaddr.ts";
import { EpollSocket, type SocketShared } from "./epoll_socket.ts";
import type {
  SocketEvents,
  Transport,
  TransportServer,
  TransportSocket,
} from "./transport.ts";

/** Bytes read per `recv`, as the other transports read. */
const READ_BUFFER_BYTES = 64 * 1024;
/** Connections accepted per ready event, so that a flood cannot starve reads. */
const ACCEPTS_PER_EVENT = 64;
/** Pending connections the kernel keeps for us (Node's default). */
const BACKLOG = 511;
/** Keepalive probes start after this much silence, to find dead peers. */
const KEEPALIVE_IDLE_S = 30;
/** After running out of file descriptors, accepting waits this long. */
const ACCEPT_RETRY_MS = 100;

/** The address to listen on is not a numeric IP address (or `localhost`). */
export class EpollAddressError extends TypeError {
  /** Stable, for programs. */
  readonly code = "epoll-address";

  /** Names the address. */
  constructor(hostname: string) {
    super(
      `the epoll transport needs a numeric address to listen on, not ${hostname}`,
    );
    this.name = "EpollAddressError";
  }
}

/** Options of {@linkcode EpollTcpTransport}. */
export interface EpollTcpOptions {
  /** Set `SO_REUSEPORT`: other processes may listen on the same port. */
  readonly reusePort?: boolean;
}

/** Listens with `socket`/`bind`/`listen`/`accept4` and serves with epoll. */
export class EpollTcpTransport implements Transport {
  readonly #reusePort: boolean;

  /** A transport; each listener gets its own reactor. */
  constructor(options: EpollTcpOptions = {}) {
    this.#reusePort = options.reusePort === true;
  }

  /** Starts a listener. */
  listen(
    hostname: string,
    port: number,
    accept: (socket: TransportSocket) => SocketEvents,
  ): Promise<TransportServer> {
    const address = encodeSockaddr(hostname, port);
    if (address === null) {
      return Promise.reject(new EpollAddressError(hostname));
    }
    const reactor = Reactor.open();
    try {
      const fd = openListener(reactor, address, this.#reusePort);
      return Promise.resolve(new EpollListener(reactor, fd, accept));
    } catch (error) {
      reactor.close();
      return Promise.reject(error);
    }
  }
}

/** A bound, listening, nonblocking socket for `address`. */
function openListener(
  reactor: Reactor,
  address: Uint8Array,
  reusePort: boolean,
): number {
  const libc = reactor.libc;
  const family = address.length === SOCKADDR_BYTES ? C.AF_INET6 : C.AF_INET;
  const fd = libc.check(
    "socket",
    libc.call.socket(
      family,
      C.SOCK_STREAM | C.SOCK_NONBLOCK | C.SOCK_CLOEXEC,
      0,
    ),
  );
  try {
    libc.setInt(fd, C.SOL_SOCKET, C.SO_REUSEADDR, 1);
    if (reusePort) libc.setInt(fd, C.SOL_SOCKET, C.SO_REUSEPORT, 1);
    // `::` takes IPv4 clients too, as `node:net` does.
    if (family === C.AF_INET6) {
      libc.setInt(fd, C.IPPROTO_IPV6, C.IPV6_V6ONLY, 0);
    }
    libc.check("bind", libc.call.bind(fd, address, address.length));
    libc.check("listen", libc.call.listen(fd, BACKLOG));
    return fd;
  } catch (error) {
    libc.close(fd);
    if (error instanceof SystemCallError && error.errno === C.EADDRINUSE) {
      throw new Deno.errors.AddrInUse("address already in use (EADDRINUSE)");
    }
    throw error;
  }
}

/** One listening socket, its accepted sockets and their reactor. */
class EpollListener implements TransportServer, SocketShared {
  readonly port: number;
  readonly reactor: Reactor;
  readonly readBuffer = new Uint8Array(READ_BUFFER_BYTES);
  readonly #fd: number;
  readonly #accept: (socket: TransportSocket) => SocketEvents;
  readonly #peer = new Uint8Array(SOCKADDR_BYTES);
  readonly #peerLength = new Uint32Array(1);
  /** Connections from one address share its text. */
  readonly #addresses = new AddressTexts();
  #sockets = 0;
  #closed = false;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #reactorClosed: Promise<void> | null = null;

  constructor(
    reactor: Reactor,
    fd: number,
    accept: (socket: TransportSocket) => SocketEvents,
  ) {
    this.reactor = reactor;
    this.#fd = fd;
    this.#accept = accept;
    this.port = boundPort(reactor.libc, fd);
    reactor.add(fd, C.EPOLLIN, { ready: this.#acceptReady });
  }

  #acceptReady = (): void => {
    const libc = this.reactor.libc;
    for (let i = 0; i < ACCEPTS_PER_EVENT && !this.#closed; i++) {
      this.#peerLength[0] = SOCKADDR_BYTES;
      const fd = libc.call.accept4(
        this.#fd,
        this.#peer,
        this.#peerLength,
        C.SOCK_NONBLOCK | C.SOCK_CLOEXEC,
      );
      if (fd < 0) {
        const errno = libc.errno();
        if (errno === C.EMFILE || errno === C.ENFILE) this.#waitForFiles();
        if (errno === C.ECONNABORTED || errno === C.EINTR) continue;
        return;
      }
      this.#adopt(fd);
    }
  };

  /** Out of descriptors: stop accepting for a moment rather than spin. */
  #waitForFiles(): void {
    if (this.#retry !== undefined) return;
    this.reactor.modify(this.#fd, 0);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      if (!this.#closed) this.reactor.modify(this.#fd, C.EPOLLIN);
    }, ACCEPT_RETRY_MS);
  }

  #adopt(fd: number): void {
    const libc = this.reactor.libc;
    // Nagle off (small messages must not wait), keepalive on.
    libc.setInt(fd, C.IPPROTO_TCP, C.TCP_NODELAY, 1);
    libc.setInt(fd, C.SOL_SOCKET, C.SO_KEEPALIVE, 1);
    libc.setInt(fd, C.IPPROTO_TCP, C.TCP_KEEPIDLE, KEEPALIVE_IDLE_S);
    const address = this.#addresses.of(this.#peer, this.#peerLength[0]!);
    const socket = new EpollSocket(
      fd,
      address ?? "unknown",
      address === null ? 0 : sockaddrPort(this.#peer),
      this,
    );
    this.#sockets++;
    socket.start(this.#accept(socket));
  }

  released(): void {
    this.#sockets--;
    this.#maybeRelease();
  }

  /** The reactor goes once nothing is listening and no socket is open. */
  #maybeRelease(): void {
    if (this.#closed && this.#sockets === 0 && this.#reactorClosed === null) {
      this.#reactorClosed = this.reactor.close();
    }
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      clearTimeout(this.#retry);
      this.reactor.remove(this.#fd);
      this.reactor.libc.close(this.#fd);
      this.#maybeRelease();
    }
    return Promise.resolve();
  }
}
