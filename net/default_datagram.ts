/**
 * The datagram API the server uses unless told otherwise.
 *
 * `Deno.listenDatagram` relayed about six times the datagrams per second of
 * `node:dgram` on our code (docs/design.md, "UDP"), so it is the default.
 * It needs `--unstable-net`, which deno.json turns on for every task; a
 * process started without it (another config, a bare `deno run`) falls back
 * to `node:dgram`, which needs no flag.
 *
 * @example
 * ```ts
 * import { defaultDatagramTransport } from "./default_datagram.ts";
 * const socket = await defaultDatagramTransport().bind("127.0.0.1", 0, {
 *   receive() {},
 *   sendFailed() {},
 * });
 * await socket.close();
 * ```
 * @module
 */
import type { DatagramTransport } from "./datagram_transport.ts";
import { DenoDatagramTransport } from "./deno_datagram.ts";
import { NodeDatagramTransport } from "./node_datagram.ts";

/** Whether this process may call `Deno.listenDatagram`. */
export function hasDenoDatagrams(): boolean {
  return typeof (Deno as { listenDatagram?: unknown }).listenDatagram ===
    "function";
}

/** `Deno.listenDatagram` when available, else `node:dgram`. */
export function defaultDatagramTransport(): DatagramTransport {
  return hasDenoDatagrams()
    ? new DenoDatagramTransport()
    : new NodeDatagramTransport();
}
