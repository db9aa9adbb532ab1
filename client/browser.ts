/**
 * The client library for web pages: the same {@linkcode RelayClient} and
 * network objects as in Deno, over WebSocket (`ws://`, `wss://`). Built into
 * one ES module, web/dist/switchboard.js, by `deno task build:web`.
 *
 * @example
 * ```ts ignore
 * import { NetworkScene, RelayClient } from "./switchboard.js";
 * const client = await RelayClient.connect({ url: "wss://relay.example/ws" });
 * await client.login("ada", "secret");
 * const scene = await NetworkScene.join(client, "lobby");
 * ```
 * @module
 */
export {
  type ConnectOptions,
  DEFAULT_SERVER_PORT,
  RelayClient,
} from "./relay_client.ts";
export type { ChannelName, SendOptions } from "./channel.ts";
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
export type { CloseInfo } from "./line_connection.ts";
export {
  formatServerUrl,
  parseServerUrl,
  type ServerAddress,
} from "./server_address.ts";
export { browserTransport } from "./browser_transport.ts";
export type { ClientTransport } from "./client_transport.ts";
export type {
  RoomCount,
  RoomSendMode,
  ServerMessage,
} from "../protocol/mod.ts";
export { SendMode } from "../protocol/mod.ts";
export * from "./objects/mod.ts";
