/**
 * The Switchboard relay server.
 *
 * @example
 * ```ts
 * import { RelayServer } from "./mod.ts";
 * await using server = await RelayServer.start({ port: 0 });
 * console.log(`tcp://${server.hostname}:${server.port}`);
 * ```
 * @module
 */
export {
  RelayServer,
  type RelayServerOptions,
  type UdpOptions,
} from "./relay_server.ts";
export {
  type Authenticator,
  type LoginAttempt,
  OpenAuthenticator,
} from "./auth.ts";
export { CounterSessionIds, type SessionIdSource } from "./session_ids.ts";
export {
  createLogger,
  LOG_LEVELS,
  type Logger,
  type LogLevel,
} from "./logger.ts";
export type {
  Transport,
  TransportServer,
  TransportSocket,
} from "./transport.ts";
export { NodeTcpTransport } from "./node_transport.ts";
export type { FlushPolicy } from "./outbound.ts";
export { DenoTcpTransport } from "./deno_transport.ts";
export type {
  DatagramSocket,
  DatagramTarget,
  DatagramTransport,
} from "../net/datagram_transport.ts";
export { NodeDatagramTransport } from "../net/node_datagram.ts";
export { DenoDatagramTransport } from "../net/deno_datagram.ts";
export {
  defaultDatagramTransport,
  hasDenoDatagrams,
} from "../net/default_datagram.ts";
export { DropReason, type UdpStatsSnapshot } from "./udp_stats.ts";
export {
  type Closer,
  DUPLICATE_SIGINT_MS,
  Shutdown,
  type ShutdownOptions,
  STOP_SIGNALS,
} from "./shutdown.ts";
export { installLastResort } from "./last_resort.ts";
export {
  AccountsAuthenticator,
  type AccountsAuthenticatorOptions,
} from "./accounts_auth.ts";
export {
  DEFAULT_SCRYPT,
  parseHash,
  PasswordHasher,
  PasswordHashFormatError,
  type ScryptParams,
} from "./password_hasher.ts";
export {
  DEFAULT_LOGIN_THROTTLE,
  LoginThrottle,
  type LoginThrottlePolicy,
} from "./login_throttle.ts";
export { AccountAdmin, type AccountSummary } from "./account_admin.ts";
export { RoomAdmin, type RoomSpec, type RoomSummary } from "./room_admin.ts";
export { AdminInputError } from "./admin_input_error.ts";
export { DeclaredRooms, DEFAULT_ROOMS_REFRESH_MS } from "./declared_rooms.ts";
export * from "./store/mod.ts";
