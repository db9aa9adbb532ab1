/**
 * Datagram sockets behind one interface, shared by the server's UDP listener
 * and the client's UDP channel: `Deno.listenDatagram` where `--unstable-net`
 * is on, `node:dgram` otherwise.
 *
 * @example
 * ```ts
 * import { defaultDatagramTransport } from "./mod.ts";
 * const socket = await defaultDatagramTransport().bind("127.0.0.1", 0, {
 *   receive() {},
 *   sendFailed() {},
 * });
 * await socket.close();
 * ```
 * @module
 */
export * from "./datagram_transport.ts";
export * from "./default_datagram.ts";
export { DenoDatagramTransport } from "./deno_datagram.ts";
export { NodeDatagramTransport } from "./node_datagram.ts";
