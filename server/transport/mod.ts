/**
 * Byte-stream transports: the interface the relay sees, `node:net` TCP (the
 * default) and `Deno.listen` TCP.
 *
 * @example
 * ```ts
 * import { NodeTcpTransport } from "./mod.ts";
 * const server = await new NodeTcpTransport().listen("127.0.0.1", 0, () => ({
 *   data() {},
 *   close() {},
 * }));
 * await server.close();
 * ```
 * @module
 */
export type {
  SocketEvents,
  Transport,
  TransportServer,
  TransportSocket,
} from "./transport.ts";
export { NodeTcpTransport } from "./node_transport.ts";
export { DenoTcpTransport } from "./deno_transport.ts";
export { EpollAddressError, EpollTcpTransport } from "./epoll_transport.ts";
export { EpollSocket, SocketError } from "./epoll_socket.ts";
export { defaultTcpTransport, epollUsable } from "./default_transport.ts";
