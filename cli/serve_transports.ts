/**
 * Which TCP and UDP implementations `serve` uses: the epoll transports
 * (libc through FFI) where they can run — Linux, FFI allowed, a numeric
 * address to listen on — and the portable ones elsewhere, or as told by the
 * hidden `--tcp-impl` / `--udp-impl` (for measurement).
 *
 * @example
 * ```ts
 * import { tcpTransport } from "./serve_transports.ts";
 * console.assert(tcpTransport("node", "127.0.0.1", false).constructor.name === "NodeTcpTransport");
 * ```
 * @module
 */
import {
  defaultDatagramTransport,
  DenoDatagramTransport,
  DenoTcpTransport,
  EpollTcpTransport,
  epollUsable,
  hasDenoDatagrams,
  NodeDatagramTransport,
  NodeTcpTransport,
  type Transport,
} from "../server/mod.ts";
import type { DatagramTransport } from "../net/datagram_transport.ts";
import { EpollDatagramTransport } from "../net/posix/epoll_datagram.ts";
import { exitWithError } from "./cli_error.ts";

/** The choices of `--tcp-impl`. */
export const TCP_IMPLS = ["auto", "epoll", "node", "deno"] as const;
/** The choices of `--udp-impl`. */
export const UDP_IMPLS = ["auto", "epoll", "node", "deno"] as const;

/** The TCP transport for `impl` (`auto`: epoll where usable, else `node:net`). */
export function tcpTransport(
  impl: typeof TCP_IMPLS[number],
  host: string,
  reusePort: boolean,
): Transport {
  if (reusePort && (impl === "node" || impl === "deno" || !epollUsable(host))) {
    exitWithError(
      "--reuse-port needs the epoll transport (Linux, --allow-ffi, a numeric --host)",
      "leave --tcp-impl out, give --host an IP address, or run one process",
      2,
    );
  }
  if (impl === "deno") return new DenoTcpTransport();
  if (impl === "node") return new NodeTcpTransport();
  if (impl === "epoll") requireEpoll("--tcp-impl", host);
  return epollUsable(host)
    ? new EpollTcpTransport({ reusePort })
    : new NodeTcpTransport();
}

/** The UDP transport for `impl` (`auto`: epoll where usable, else `Deno.listenDatagram` or `node:dgram`). */
export function datagramTransport(
  impl: typeof UDP_IMPLS[number],
  host: string,
  receiveBufferBytes: number,
): DatagramTransport {
  if (impl === "node") return new NodeDatagramTransport();
  if (impl === "deno" && !hasDenoDatagrams()) {
    exitWithError(
      "--udp-impl deno needs --unstable-net",
      "run it with deno run --unstable-net (deno task serve does), or leave --udp-impl out",
      2,
    );
  }
  if (impl === "deno") return new DenoDatagramTransport();
  if (impl === "epoll") requireEpoll("--udp-impl", host);
  return epollUsable(host)
    ? new EpollDatagramTransport({ receiveBufferBytes })
    : defaultDatagramTransport();
}

/** Exits with the reason when `flag epoll` was asked for where it cannot run. */
function requireEpoll(flag: string, host: string): void {
  if (epollUsable(host)) return;
  exitWithError(
    `${flag} epoll needs Linux, --allow-ffi and a numeric --host`,
    `leave ${flag} out to use what this system supports`,
    2,
  );
}
