/**
 * How {@linkcode RelayClient} reaches a server on one platform: which
 * schemes it can open, and the UDP channel where the platform has
 * datagrams. Deno's (deno_transport.ts) opens tcp, tls, ws and wss and has
 * UDP; a browser's (browser_transport.ts) opens ws and wss only.
 *
 * @example
 * ```ts
 * import type { ClientTransport } from "./client_transport.ts";
 * const canUdp = (t: ClientTransport) => t.openUdp !== undefined;
 * console.assert(typeof canUdp === "function");
 * ```
 * @module
 */
import type { Channel } from "./channel.ts";
import type {
  LineConnection,
  LineConnectionOptions,
} from "./line_connection.ts";
import type { ServerAddress } from "./server_address.ts";
import type { UdpChannelOptions } from "./udp_channel.ts";

/** TLS settings a client may give (Deno: tls://, and wss:// with caCerts). */
export interface ClientTlsOptions {
  /** PEM certificates trusted besides the system's (a private CA). */
  readonly caCerts?: readonly string[];
}

/** A UDP channel as the client uses it. */
export interface UdpChannelLike extends Channel {
  readonly isClosed: boolean;
  close(): Promise<void>;
}

/** One platform's ways to reach a server. */
export interface ClientTransport {
  /** A short name for errors ("deno", "browser"). */
  readonly name: string;
  /**
   * Opens a line connection.
   *
   * @throws {ConnectFailedError} when the server cannot be reached in time.
   * @throws {InvalidArgumentError} for a scheme this platform cannot open.
   */
  connect(
    address: ServerAddress,
    options: LineConnectionOptions,
    tls?: ClientTlsOptions,
  ): Promise<LineConnection>;
  /** Opens the UDP channel; absent where the platform has no datagrams. */
  openUdp?(options: UdpChannelOptions): Promise<UdpChannelLike>;
}
