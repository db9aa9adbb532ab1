/**
 * The listeners a relay opens besides plain TCP and UDP: the TLS line port
 * and the HTTP(S) port with WebSocket at `/ws`. Every one of them hands its
 * sockets to the same accept, so their clients share rooms, limits and
 * flow control with TCP's.
 *
 * @example
 * ```ts ignore
 * import { ExtraListeners } from "./listeners.ts";
 * const extra = await ExtraListeners.open({ http: { port: 0 } }, "127.0.0.1", limits, logger, accept);
 * console.log(extra.httpPort);
 * await extra.close();
 * ```
 * @module
 */
import type { Limits } from "../protocol/mod.ts";
import {
  DEFAULT_ALLOWED_ORIGINS,
  HttpListener,
  loadWebAssets,
  OriginPolicy,
  type WebAssets,
} from "./http/mod.ts";
import type { Logger } from "./logger.ts";
import type { Certificate } from "./tls/mod.ts";
import { TlsTransport } from "./transport/tls_transport.ts";
import type {
  SocketEvents,
  TransportServer,
  TransportSocket,
} from "./transport/transport.ts";

/** TLS: the certificate, and the TLS line port if there is one. */
export interface TlsOptions {
  /** The certificate served on the TLS port and on the HTTP port (HTTPS). */
  readonly certificate: Certificate;
  /** The TLS line port; 0 picks a free one; absent: none (HTTPS only). */
  readonly port?: number;
  /** How long a handshake may take; 10 s by default. */
  readonly handshakeTimeoutMs?: number;
}

/** The HTTP port: WebSocket at `/ws`, the demo page at `/`. */
export interface HttpOptions {
  /** 0 picks a free one. */
  readonly port?: number;
  /** Which web pages may open a WebSocket; `same` by default (origins.ts). */
  readonly allowedOrigins?: string;
  /** The files served; web/ of this repository by default. */
  readonly assets?: WebAssets;
}

/** Options of {@linkcode ExtraListeners.open}. */
export interface ExtraListenerOptions {
  readonly tls?: TlsOptions;
  readonly http?: HttpOptions;
}

/** The TLS and HTTP listeners of one relay, each optional. */
export class ExtraListeners {
  #tlsTransport: TlsTransport | null = null;
  #tls: TransportServer | null = null;
  #http: HttpListener | null = null;

  private constructor() {}

  /**
   * Opens what `options` asks for.
   *
   * @throws {TypeError} for a bad `allowedOrigins` list.
   */
  static async open(
    options: ExtraListenerOptions,
    hostname: string,
    limits: Limits,
    logger: Logger,
    accept: (socket: TransportSocket) => SocketEvents,
  ): Promise<ExtraListeners> {
    const extra = new ExtraListeners();
    try {
      const tls = options.tls;
      if (tls?.port !== undefined) {
        extra.#tlsTransport = new TlsTransport(tls.certificate, {
          handshakeTimeoutMs: tls.handshakeTimeoutMs,
          logger,
        });
        extra.#tls = await extra.#tlsTransport.listen(
          hostname,
          tls.port,
          accept,
        );
      }
      const http = options.http;
      if (http !== undefined) {
        extra.#http = await HttpListener.start({
          hostname,
          port: http.port ?? 0,
          certificate: tls?.certificate,
          origins: OriginPolicy.parse(
            http.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS,
          ),
          // One byte over the line cap reaches the line framer, which
          // answers line-too-long as for TCP; beyond that ws closes (1009).
          maxMessageBytes: limits.maxLineBytes + 1,
          maxConnections: limits.maxConnections,
          handshakeTimeoutMs: tls?.handshakeTimeoutMs,
          assets: http.assets ?? await loadWebAssets(),
          accept,
          logger,
        });
      }
    } catch (error) {
      await extra.close();
      throw error;
    }
    return extra;
  }

  /** The TLS line port, or 0 when off. */
  get tlsPort(): number {
    return this.#tls?.port ?? 0;
  }

  /** The HTTP port, or 0 when off. */
  get httpPort(): number {
    return this.#http?.port ?? 0;
  }

  /** True when the HTTP port speaks HTTPS/WSS. */
  get httpSecure(): boolean {
    return this.#http?.secure ?? false;
  }

  /**
   * New TLS connections (both ports) get `certificate`; open ones go on.
   *
   * @throws {CertificateError} when it cannot be used (the old one stays).
   */
  reload(certificate: Certificate): void {
    this.#tlsTransport?.reload(certificate);
    this.#http?.reload(certificate);
  }

  /** Stops accepting; open connections are the relay's to close. */
  async close(): Promise<void> {
    await Promise.all([this.#tls?.close(), this.#http?.close()]);
  }
}
