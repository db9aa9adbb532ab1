/**
 * The Switchboard client library: connect, log in, join rooms, send in every
 * mode, and receive every line as a typed message. The `connect` REPL and the
 * tests are built on it; it uses the shared protocol module.
 *
 * @example
 * ```ts ignore
 * import { RelayClient } from "./mod.ts";
 * await using client = await RelayClient.connect({ port: 7777 });
 * await client.login("ada", "secret");
 * await client.join("lobby");
 * await client.sendToAll("hello");
 * ```
 * @module
 */
export {
  type ConnectOptions,
  DEFAULT_SERVER_PORT,
  RelayClient,
} from "./relay_client.ts";
export type { ChannelName, SendOptions } from "./channel.ts";
export { type ClientEventMap, ClientEvents } from "./client_events.ts";
export {
  backoffMs,
  DEFAULT_RECONNECT,
  type ReconnectOptions,
  resolveReconnectOptions,
} from "./reconnect_options.ts";
export {
  type ClientLimits,
  DEFAULT_CLIENT_LIMITS,
  resolveClientLimits,
} from "./client_limits.ts";
export * from "./errors.ts";
export {
  decodeIncoming,
  type Incoming,
  payloadText,
  type UnknownLine,
} from "./incoming.ts";
export type { JoinResult } from "./request_queue.ts";
export { RoomState } from "./room_state.ts";
export type { CloseInfo, LineConnection } from "./line_connection.ts";
export {
  formatServerUrl,
  parseServerUrl,
  type Scheme,
  type ServerAddress,
} from "./server_address.ts";
export type {
  ClientTlsOptions,
  ClientTransport,
  UdpChannelLike,
} from "./client_transport.ts";
export { denoTransport } from "./deno_transport.ts";
export { browserTransport } from "./browser_transport.ts";
export { UdpChannel, type UdpChannelOptions } from "./udp_channel.ts";
export type {
  RoomCount,
  RoomSendMode,
  ServerMessage,
} from "../protocol/mod.ts";
export { SendMode } from "../protocol/mod.ts";
export * from "./objects/mod.ts";
