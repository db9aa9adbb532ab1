/**
 * Every listener of one relay server: TCP, the UDP channel, and the TLS and
 * HTTP ports ({@linkcode ExtraListeners}). Opened at start, closed in two
 * steps: the accepting ones first (a drain keeps the sessions there are),
 * the UDP channel at close.
 *
 * @example
 * ```ts ignore
 * import { ServerListeners } from "./server_listeners.ts";
 * const listeners = new ServerListeners("127.0.0.1", accept);
 * await listeners.bind({ port: 0, udp: false }, ctx);
 * console.log(listeners.port);
 * await listeners.stopAccepting();
 * ```
 * @module
 */
import type { ServerContext } from "./context.ts";
import { ExtraListeners } from "./listeners.ts";
import type { Logger } from "./logger.ts";
import type { RelayServerOptions } from "./server_options.ts";
import type { Certificate } from "./tls/mod.ts";
import { defaultTcpTransport } from "./transport/default_transport.ts";
import type {
  SocketEvents,
  TransportServer,
  TransportSocket,
} from "./transport/transport.ts";
import { isAddressInUse } from "../net/datagram_transport.ts";
import { defaultDatagramTransport } from "../net/default_datagram.ts";
import { UdpListener } from "./udp/udp_listener.ts";

/** Tries at finding a port number free for both TCP and UDP. */
const SAME_PORT_TRIES = 20;

/** The listeners of one relay server, each handing its sockets to `accept`. */
export class ServerListeners {
  readonly #hostname: string;
  readonly #accept: (socket: TransportSocket) => SocketEvents;
  #listener: TransportServer | null = null;
  #udp: UdpListener | null = null;
  #extra: ExtraListeners | null = null;
  #stopAccepting: Promise<void> | null = null;

  /** Listeners on `hostname`; nothing is opened until {@linkcode bind}. */
  constructor(
    hostname: string,
    accept: (socket: TransportSocket) => SocketEvents,
  ) {
    this.#hostname = hostname;
    this.#accept = accept;
  }

  /** Listens on TCP, and on UDP unless it is off. */
  async bind(options: RelayServerOptions, ctx: ServerContext): Promise<void> {
    const udp = options.udp;
    if (udp === false) {
      this.#listener = await this.#listen(options, options.port ?? 0);
      return;
    }
    // Port 0 with the UDP port following TCP: the number the system picked
    // for TCP may be taken for UDP; pick again rather than fail.
    const retry = (options.port ?? 0) === 0 && udp?.port === undefined;
    for (let attempt = 1;; attempt++) {
      this.#listener = await this.#listen(options, options.port ?? 0);
      try {
        this.#udp = await UdpListener.bind(ctx, {
          hostname: this.#hostname,
          port: udp?.port ?? this.#listener.port,
          transport: udp?.transport ?? defaultDatagramTransport(),
          legacy: udp?.legacy ?? false,
          packing: udp?.packing ?? true,
        });
        return;
      } catch (error) {
        await this.#listener.close();
        this.#listener = null;
        if (!retry || !isAddressInUse(error) || attempt === SAME_PORT_TRIES) {
          throw error;
        }
      }
    }
  }

  #listen(options: RelayServerOptions, port: number): Promise<TransportServer> {
    const transport = options.transport ?? defaultTcpTransport(this.#hostname);
    return transport.listen(this.#hostname, port, this.#accept);
  }

  /** Opens the TLS and HTTP ports `options` asks for (see listeners.ts). */
  async openExtra(
    options: RelayServerOptions,
    ctx: ServerContext,
  ): Promise<void> {
    this.#extra = await ExtraListeners.open(
      options,
      this.#hostname,
      ctx.limits,
      ctx.logger,
      this.#accept,
    );
  }

  /** The TCP port, or 0 before it listens. */
  get port(): number {
    return this.#listener?.port ?? 0;
  }

  /** The TLS line port, or 0 when off. */
  get tlsPort(): number {
    return this.#extra?.tlsPort ?? 0;
  }

  /** The HTTP port, or 0 when off. */
  get httpPort(): number {
    return this.#extra?.httpPort ?? 0;
  }

  /** True when the HTTP port speaks HTTPS/WSS. */
  get httpSecure(): boolean {
    return this.#extra?.httpSecure ?? false;
  }

  /** The UDP channel's listener, or null when it is off. */
  get udp(): UdpListener | null {
    return this.#udp;
  }

  /**
   * New TLS connections (both ports) get `certificate`; open ones go on.
   *
   * @throws {CertificateError} when it cannot be used (the old one stays).
   */
  reload(certificate: Certificate): void {
    this.#extra?.reload(certificate);
  }

  /** False once {@linkcode stopAccepting} has been called. */
  get accepting(): boolean {
    return this.#stopAccepting === null;
  }

  /**
   * Closes the listeners that accept connections (TCP, TLS, WebSocket);
   * the UDP channel stays. Resolves once they are closed.
   */
  stopAccepting(): Promise<void> {
    this.#stopAccepting ??= Promise.all([
      this.#listener?.close(),
      this.#extra?.close(),
    ]).then(() => {});
    return this.#stopAccepting;
  }

  /** Logs the UDP channel's counters and closes it; undefined when off. */
  closeUdp(logger: Logger): Promise<void> | undefined {
    const udp = this.#udp;
    if (udp !== null) {
      logger.info("udp.stats", {
        datagrams_in: udp.stats.datagramsIn,
        datagrams_out: udp.stats.datagramsOut,
        messages_out: udp.stats.messagesOut,
        messages_packed: udp.stats.messagesPacked,
        tcp_fallbacks: udp.stats.tcpFallbacks,
        ...udp.stats.dropped,
      });
    }
    return udp?.close();
  }
}
