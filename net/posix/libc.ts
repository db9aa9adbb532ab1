/**
 * The few C library calls the epoll transports make, through Deno's FFI
 * (`Deno.dlopen`, which `--allow-ffi`, part of `-A`, permits): sockets,
 * epoll, and the batched datagram calls `recvmmsg`/`sendmmsg` that neither
 * `Deno.listenDatagram` nor `node:dgram` offers. Linux only; callers check
 * {@linkcode libcAvailable} and use the portable transports elsewhere.
 *
 * Every call here is synchronous and cheap (V8 fast calls into libc),
 * except `epoll_wait` with a timeout, which also exists as a call made on
 * another thread (`epollWaitAsync`) so that waiting never blocks the event
 * loop.
 *
 * @example
 * ```ts
 * import { Libc, libcAvailable } from "./libc.ts";
 * if (libcAvailable()) {
 *   const libc = Libc.open();
 *   const fd = libc.epollCreate();
 *   libc.close(fd);
 *   libc.release();
 * }
 * ```
 * @module
 */

/** The libc symbols used, with their C signatures. */
const SYMBOLS = {
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  setsockopt: {
    parameters: ["i32", "i32", "i32", "buffer", "u32"],
    result: "i32",
  },
  getsockopt: {
    parameters: ["i32", "i32", "i32", "buffer", "buffer"],
    result: "i32",
  },
  bind: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  listen: { parameters: ["i32", "i32"], result: "i32" },
  getsockname: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  getpeername: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  accept4: {
    parameters: ["i32", "buffer", "buffer", "i32"],
    result: "i32",
  },
  recv: { parameters: ["i32", "buffer", "u32", "i32"], result: "i32" },
  send: { parameters: ["i32", "buffer", "u32", "i32"], result: "i32" },
  sendto: {
    parameters: ["i32", "buffer", "u32", "i32", "buffer", "u32"],
    result: "i32",
  },
  recvmmsg: {
    parameters: ["i32", "buffer", "u32", "i32", "pointer"],
    result: "i32",
  },
  sendmmsg: { parameters: ["i32", "buffer", "u32", "i32"], result: "i32" },
  shutdown: { parameters: ["i32", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  write: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  read: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  eventfd: { parameters: ["u32", "i32"], result: "i32" },
  epoll_create1: { parameters: ["i32"], result: "i32" },
  epoll_ctl: { parameters: ["i32", "i32", "i32", "buffer"], result: "i32" },
  epoll_wait: { parameters: ["i32", "buffer", "i32", "i32"], result: "i32" },
  epoll_wait_async: {
    name: "epoll_wait",
    parameters: ["i32", "buffer", "i32", "i32"],
    result: "i32",
    nonblocking: true,
  },
  __errno_location: { parameters: [], result: "pointer" },
} as const;

type Symbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

/** Constants of Linux (the same on x86-64 and arm64). */
export const C = {
  AF_INET: 2,
  AF_INET6: 10,
  SOCK_STREAM: 1,
  SOCK_DGRAM: 2,
  SOCK_NONBLOCK: 0o4000,
  SOCK_CLOEXEC: 0o2000000,
  SOL_SOCKET: 1,
  SO_REUSEADDR: 2,
  SO_ERROR: 4,
  SO_SNDBUF: 7,
  SO_RCVBUF: 8,
  SO_KEEPALIVE: 9,
  SO_REUSEPORT: 15,
  SO_RCVBUFFORCE: 33,
  IPPROTO_TCP: 6,
  IPPROTO_IPV6: 41,
  IPV6_V6ONLY: 26,
  TCP_NODELAY: 1,
  TCP_KEEPIDLE: 4,
  MSG_DONTWAIT: 0x40,
  MSG_TRUNC: 0x20,
  MSG_NOSIGNAL: 0x4000,
  SHUT_WR: 1,
  EPOLL_CLOEXEC: 0o2000000,
  EPOLL_CTL_ADD: 1,
  EPOLL_CTL_DEL: 2,
  EPOLL_CTL_MOD: 3,
  EPOLLIN: 0x001,
  EPOLLOUT: 0x004,
  EPOLLERR: 0x008,
  EPOLLHUP: 0x010,
  EPOLLRDHUP: 0x2000,
  EFD_NONBLOCK: 0o4000,
  EFD_CLOEXEC: 0o2000000,
  EINTR: 4,
  EAGAIN: 11,
  ENOBUFS: 105,
  EADDRINUSE: 98,
  EINPROGRESS: 115,
  ECONNRESET: 104,
  EPIPE: 32,
  EMFILE: 24,
  ENFILE: 23,
  ECONNABORTED: 103,
} as const;

/** Bytes of one `struct epoll_event`: packed on x86-64, padded elsewhere. */
export const EPOLL_EVENT_BYTES = Deno.build.arch === "x86_64" ? 12 : 16;
/** Offset of `data` in a `struct epoll_event`. */
export const EPOLL_DATA_OFFSET = Deno.build.arch === "x86_64" ? 4 : 8;

/** Whether this process can use the epoll transports: Linux, FFI allowed. */
export function libcAvailable(): boolean {
  if (Deno.build.os !== "linux") return false;
  if (typeof Deno.dlopen !== "function") return false;
  return Deno.permissions.querySync({ name: "ffi" }).state === "granted";
}

/** A failed system call, with the C error number. */
export class SystemCallError extends Error {
  /** Stable, for programs. */
  readonly code = "system-call";

  /** `call` failed with `errno`. */
  constructor(readonly call: string, readonly errno: number) {
    super(`${call} failed: ${errnoName(errno)}`);
    this.name = "SystemCallError";
  }
}

const ERRNO_NAMES: Record<number, string> = {
  1: "EPERM",
  4: "EINTR",
  9: "EBADF",
  11: "EAGAIN",
  13: "EACCES",
  22: "EINVAL",
  23: "ENFILE",
  24: "EMFILE",
  32: "EPIPE",
  97: "EAFNOSUPPORT",
  98: "EADDRINUSE",
  99: "EADDRNOTAVAIL",
  103: "ECONNABORTED",
  104: "ECONNRESET",
  105: "ENOBUFS",
  110: "ETIMEDOUT",
  111: "ECONNREFUSED",
};

/** `EADDRINUSE` and the like, or `errno <n>`. */
export function errnoName(errno: number): string {
  return ERRNO_NAMES[errno] ?? `errno ${errno}`;
}

/** One opened C library: its calls, and `errno` of the calling thread. */
export class Libc {
  readonly #library: Deno.DynamicLibrary<typeof SYMBOLS>;
  /** The raw calls (hot paths use these directly). */
  readonly call: Symbols;
  readonly #errno: Deno.UnsafePointerView;
  /** Scratch for an `int` option or length, reused by every call. */
  readonly #int = new Int32Array(1);

  private constructor(library: Deno.DynamicLibrary<typeof SYMBOLS>) {
    this.#library = library;
    this.call = library.symbols;
    const at = this.call.__errno_location();
    if (at === null) throw new Error("__errno_location returned NULL");
    this.#errno = new Deno.UnsafePointerView(at);
  }

  /** Opens the C library (`libc.so.6`). */
  static open(): Libc {
    return new Libc(Deno.dlopen("libc.so.6", SYMBOLS));
  }

  /** `errno` of the main thread, right after a failed call. */
  errno(): number {
    return this.#errno.getInt32(0);
  }

  /** Throws the failed call's error when `result` is negative; else returns it. */
  check(call: string, result: number): number {
    if (result < 0) throw new SystemCallError(call, this.errno());
    return result;
  }

  /** A new epoll instance. */
  epollCreate(): number {
    return this.check(
      "epoll_create1",
      this.call.epoll_create1(C.EPOLL_CLOEXEC),
    );
  }

  /** Sets an `int` socket option. */
  setInt(fd: number, level: number, option: number, value: number): void {
    this.#int[0] = value;
    this.check(
      "setsockopt",
      this.call.setsockopt(fd, level, option, this.#int, 4),
    );
  }

  /** Reads an `int` socket option. */
  getInt(fd: number, level: number, option: number): number {
    const length = new Uint32Array([4]);
    this.check(
      "getsockopt",
      this.call.getsockopt(fd, level, option, this.#int, length),
    );
    return this.#int[0]!;
  }

  /** Closes `fd`, ignoring errors (it is gone either way). */
  close(fd: number): void {
    this.call.close(fd);
  }

  /** Releases the library. */
  release(): void {
    this.#library.close();
  }
}
