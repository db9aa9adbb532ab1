/**
 * The TCP transport a server uses unless told otherwise: the epoll
 * transport where it can run (Linux, FFI allowed, a numeric address to
 * listen on), `node:net` elsewhere. Figures for the choice are in
 * bench/README.md ("Against the machine's limit").
 *
 * @example
 * ```ts
 * import { defaultTcpTransport } from "./default_transport.ts";
 * console.assert(typeof defaultTcpTransport("127.0.0.1").listen === "function");
 * ```
 * @module
 */
import { libcAvailable } from "../../net/posix/libc.ts";
import { encodeSockaddr } from "../../net/posix/sockaddr.ts";
import { EpollTcpTransport } from "./epoll_transport.ts";
import { NodeTcpTransport } from "./node_transport.ts";
import type { Transport } from "./transport.ts";

/** Whether the epoll transport can listen on `hostname` in this process. */
export function epollUsable(hostname: string): boolean {
  return libcAvailable() && encodeSockaddr(hostname, 0) !== null;
}

/** Epoll where usable, else `node:net`. */
export function defaultTcpTransport(hostname: string): Transport {
  return epollUsable(hostname)
    ? new EpollTcpTransport()
    : new NodeTcpTransport();
}
