/**
 * The Switchboard relay server.
 *
 * The folders hold one concern each: `transport/` (byte streams),
 * `connection/` (one client's pipeline and outbound queue), `limits/`,
 * `sessions/`, `rooms/`, `udp/`, `accounts/`, `handlers/` (what each
 * command does), `store/` (the database), `metrics/` (the counters) and
 * `admin/` (the operator's HTTP endpoint and dashboard).
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
  createLogger,
  LOG_FORMATS,
  LOG_LEVELS,
  type LogFields,
  type LogFormat,
  type Logger,
  type LogLevel,
  stderrLines,
} from "./logger.ts";
export {
  defaultTcpTransport,
  DenoTcpTransport,
  EpollTcpTransport,
  epollUsable,
  NodeTcpTransport,
  type Transport,
  type TransportServer,
  type TransportSocket,
} from "./transport/mod.ts";
export type { FlushPolicy } from "./connection/mod.ts";
export { CounterSessionIds, type SessionIdSource } from "./sessions/mod.ts";
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
export { DropReason, type UdpStatsSnapshot } from "./udp/mod.ts";
export {
  type Closer,
  DUPLICATE_SIGINT_MS,
  Shutdown,
  type ShutdownOptions,
  STOP_SIGNALS,
} from "./shutdown.ts";
export { installLastResort } from "./last_resort.ts";
export {
  type Certificate,
  CertificateError,
  DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS,
  loadCertificate,
} from "./tls/mod.ts";
export { DEFAULT_ALLOWED_ORIGINS, OriginPolicy, WS_PATH } from "./http/mod.ts";
export type { HttpOptions, TlsOptions } from "./listeners.ts";
export {
  AccountAdmin,
  AccountsAuthenticator,
  type AccountsAuthenticatorOptions,
  type AccountSummary,
  AdminInputError,
  type Authenticator,
  CheckQueueBusyError,
  DEFAULT_LOGIN_THROTTLE,
  DEFAULT_MAX_QUEUED_CHECKS,
  DEFAULT_SCRYPT,
  type LoginAttempt,
  LoginThrottle,
  type LoginThrottlePolicy,
  type LoginVerdict,
  OpenAuthenticator,
  parseHash,
  PasswordHasher,
  PasswordHashFormatError,
  RevocationWatcher,
  RoomPasswordThrottle,
  type ScryptParams,
  verdictOf,
} from "./accounts/mod.ts";
export {
  DeclaredRooms,
  DEFAULT_ROOMS_REFRESH_MS,
  RoomAdmin,
  type RoomSpec,
  type RoomSummary,
} from "./rooms/mod.ts";
export * from "./store/mod.ts";
export * from "./admin/mod.ts";
export { ServerMetrics } from "./metrics/mod.ts";
export { VERSION } from "./version.ts";
