/**
 * Where {@linkcode RelayClient.connect} connects, and the limits it keeps:
 * the options, and the server address they come to.
 *
 * @example
 * ```ts
 * import { resolveServer } from "./connect_options.ts";
 * const { address, udpPort } = resolveServer({ url: "ws://127.0.0.1:8080/ws" });
 * console.assert(address.scheme === "ws" && udpPort === null);
 * ```
 * @module
 */
import type { ClientLimits } from "./client_limits.ts";
import type { ClientTlsOptions, ClientTransport } from "./client_transport.ts";
import type { ReconnectOptions } from "./reconnect_options.ts";
import { parseServerUrl, type ServerAddress } from "./server_address.ts";

/** Where to connect, and the limits to keep. */
export interface ConnectOptions {
  /**
   * The server as a URL: `tcp://host:port`, `tls://host:port`,
   * `ws://host:port/ws` or `wss://host:port/ws` (the forms of `serve`'s
   * ready line). Without it, plain TCP to `host` and `port`.
   */
  readonly url?: string;
  /** Server host name or address (without `url`); default `127.0.0.1`. */
  readonly host?: string;
  /** Server TCP port (without `url`); default 7777. */
  readonly port?: number;
  /** TLS settings for `tls://` and `wss://`: a private CA (Deno only). */
  readonly tls?: ClientTlsOptions;
  /**
   * How connections are opened: Deno's (every scheme, and UDP) by default;
   * in the browser bundle, WebSocket only.
   */
  readonly transport?: ClientTransport;
  /** Overrides of {@linkcode DEFAULT_CLIENT_LIMITS}. */
  readonly limits?: Partial<ClientLimits>;
  /**
   * The server's UDP port, if not the TCP (or TLS) port's number; needed
   * for UDP when connected by WebSocket.
   */
  readonly udpPort?: number;
  /**
   * Get back by itself after a drop: each login makes the session
   * resumable, and a drop is followed by a new connection on which the
   * session resumes, missing nothing — or, when it cannot be resumed (too
   * late), a fresh login and rejoin. Off by default. See
   * {@linkcode RelayClient.on} for the events.
   */
  readonly reconnect?: boolean | ReconnectOptions;
}

/** The port a server listens on unless told otherwise. */
export const DEFAULT_SERVER_PORT = 7777;

/** The server `options` name, and its UDP port (null: unknown, WebSocket). */
export interface ResolvedServer {
  readonly address: ServerAddress;
  readonly udpPort: number | null;
}

/**
 * The server `options` name: its URL, or plain TCP to host and port.
 *
 * @throws {InvalidArgumentError} for a URL that is not a server's.
 */
export function resolveServer(options: ConnectOptions): ResolvedServer {
  const address: ServerAddress = options.url === undefined
    ? {
      scheme: "tcp",
      host: options.host ?? "127.0.0.1",
      port: options.port ?? DEFAULT_SERVER_PORT,
      path: "/",
    }
    : parseServerUrl(options.url);
  const streamed = address.scheme === "tcp" || address.scheme === "tls";
  return {
    address,
    udpPort: options.udpPort ?? (streamed ? address.port : null),
  };
}
