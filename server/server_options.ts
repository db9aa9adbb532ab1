/**
 * What {@linkcode RelayServer.start} accepts: the server's options, every
 * one with a default, and those of its UDP channel.
 *
 * @example
 * ```ts
 * import type { RelayServerOptions } from "./server_options.ts";
 * const options: RelayServerOptions = { port: 0, udp: false };
 * console.assert(options.udp === false);
 * ```
 * @module
 */
import type { Limits } from "../protocol/mod.ts";
import type { Authenticator } from "./accounts/auth.ts";
import type { PasswordHasher } from "./accounts/password_hasher.ts";
import type { RoomPasswordThrottle } from "./accounts/room_password_throttle.ts";
import type { FlushPolicy } from "./connection/flush_scheduler.ts";
import type { Deployment } from "./deployment.ts";
import type { HttpOptions, TlsOptions } from "./listeners.ts";
import type { Logger } from "./logger.ts";
import type { SessionIdSource } from "./sessions/session_ids.ts";
import type { Store } from "./store/mod.ts";
import type { Transport } from "./transport/transport.ts";
import type { DatagramTransport } from "../net/datagram_transport.ts";

/** Options of the UDP channel; see docs/protocol.md, "UDP". */
export interface UdpOptions {
  /** UDP port; the TCP port's number by default; 0 picks a free one. */
  port?: number;
  /** Also accept the seeds' bare handshake `0:<id>` (from the session's TCP IP). */
  legacy?: boolean;
  /**
   * Pack relayed messages, several to a datagram, for channels whose
   * handshake asks for it (`:pack`); true by default, false never packs.
   */
  packing?: boolean;
  /**
   * The datagram API; `Deno.listenDatagram` by default, `node:dgram` where
   * `--unstable-net` is off (see default_datagram.ts).
   */
  transport?: DatagramTransport;
}

/** Options of {@linkcode RelayServer.start}; every one has a default. */
export interface RelayServerOptions {
  /** Address to listen on; `127.0.0.1` by default. */
  hostname?: string;
  /** TCP port; 0 (the default here) picks a free one. */
  port?: number;
  /** Who may log in; anyone by default. */
  auth?: Authenticator;
  /** Overrides of the default limits. */
  limits?: Partial<Limits>;
  /** Where logs go; nowhere by default. */
  logger?: Logger;
  /** The byte-stream transport; `node:net` TCP by default. */
  transport?: Transport;
  /** Where session ids come from; a local counter by default. */
  ids?: SessionIdSource;
  /** When queued lines are written; at the end of each turn by default. */
  flush?: FlushPolicy;
  /** The UDP channel: on by default; `false` turns it off. */
  udp?: UdpOptions | false;
  /**
   * Close connections that send no line for this long (ms); 0, the default,
   * never does (the seeds' clients send no keepalive).
   */
  idleTimeoutMs?: number;
  /**
   * Where declared rooms come from; none by default (ad-hoc rooms only).
   * The server reads it but does not own it: {@linkcode RelayServer.close}
   * leaves it open for its owner to close.
   */
  store?: Store;
  /** Checks declared rooms' passwords; a default hasher by default. */
  hasher?: PasswordHasher;
  /** How stale declared rooms may be when a client lists or joins; 1 s by default. */
  roomsRefreshMs?: number;
  /**
   * How often the store is polled for account revocations (sessions of
   * disabled, removed or re-passworded users end); 500 ms by default. Only
   * with a store.
   */
  revocationPollMs?: number;
  /**
   * Slows down guessing room passwords; the default policy (the login
   * delays) by default.
   */
  roomPasswordThrottle?: RoomPasswordThrottle;
  /**
   * Count traffic per line and time relayed lines (on by default); off only
   * to measure what that costs.
   */
  metrics?: boolean;
  /** TLS: a TLS line port and HTTPS/WSS; off by default (docs/protocol.md, "TLS"). */
  tls?: TlsOptions;
  /** The HTTP port: WebSocket at `/ws` and the demo page; off by default. */
  http?: HttpOptions;
  /**
   * The deployment this server is one node of (rooms, presence and ids
   * shared with other servers); none by default: everything stays here.
   */
  deployment?: Deployment;
}
