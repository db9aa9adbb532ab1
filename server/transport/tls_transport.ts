/**
 * The line protocol over TLS (`serve --tls-port`): `Deno.listenTls`, each
 * connection read by the same pulled loop as `Deno.listen` TCP, so pausing
 * a connection stops reading it (see server/tls/tls_listener.ts for why not
 * `node:tls`). The handshake runs first, within a deadline; a client that
 * speaks plain text to this port fails it and is closed (logged as
 * `tls.handshake_failed`), and never reaches the relay.
 *
 * @example
 * ```ts ignore
 * import { TlsTransport } from "./tls_transport.ts";
 * const transport = new TlsTransport(certificate);
 * const server = await transport.listen("127.0.0.1", 0, () => ({ data() {}, close() {} }));
 * transport.reload(newCertificate);
 * await server.close();
 * ```
 * @module
 */
import type { Logger } from "../logger.ts";
import {
  type Certificate,
  DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS,
  handshake,
  TlsListener,
} from "../tls/mod.ts";
import { DenoSocket } from "./deno_socket.ts";
import type {
  SocketEvents,
  Transport,
  TransportServer,
  TransportSocket,
} from "./transport.ts";

/** Options of a {@linkcode TlsTransport}. */
export interface TlsTransportOptions {
  /** How long the handshake may take; 10 s by default. */
  readonly handshakeTimeoutMs?: number;
  /**
   * Handshakes under way at once (per listener); connections past it are
   * closed at accept. 1,000 by default.
   */
  readonly maxPendingHandshakes?: number;
  /** Where failed handshakes are logged. */
  readonly logger?: Logger;
}

/** Handshakes under way at once on one listener, unless told otherwise. */
export const DEFAULT_MAX_PENDING_HANDSHAKES = 1000;

/** TLS over TCP with a certificate that {@linkcode reload} replaces. */
export class TlsTransport implements Transport {
  #certificate: Certificate;
  readonly #options: TlsTransportOptions;
  readonly #listeners = new Set<TlsListener>();

  /** A transport serving `certificate`. */
  constructor(certificate: Certificate, options: TlsTransportOptions = {}) {
    this.#certificate = certificate;
    this.#options = options;
  }

  /** Starts a listener. */
  listen(
    hostname: string,
    port: number,
    accept: (socket: TransportSocket) => SocketEvents,
  ): Promise<TransportServer> {
    const timeoutMs = this.#options.handshakeTimeoutMs ??
      DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS;
    const maxPending = this.#options.maxPendingHandshakes ??
      DEFAULT_MAX_PENDING_HANDSHAKES;
    let pending = 0;
    const listener = TlsListener.open(
      hostname,
      port,
      this.#certificate,
      (conn) => {
        if (pending >= maxPending) {
          this.#failed(conn, `over ${maxPending} handshakes under way`);
          return;
        }
        pending++;
        // The handshake comes first: a client that cannot make one never
        // becomes a connection of the relay (nor counts against its limits).
        handshake(conn, timeoutMs).then(() => {
          pending--;
          const socket = new DenoSocket(conn, true);
          socket.readLoop(accept(socket));
        }, (error: Error) => {
          pending--;
          this.#failed(conn, error.message);
        });
      },
    );
    this.#listeners.add(listener);
    return Promise.resolve({
      port: listener.port,
      close: async () => {
        this.#listeners.delete(listener);
        await listener.close();
      },
    });
  }

  #failed(conn: Deno.TlsConn, why: string): void {
    const remote = conn.remoteAddr as Deno.NetAddr;
    this.#options.logger?.info("tls.handshake_failed", {
      remote: `${remote.hostname}:${remote.port}`,
      error: why,
    });
    try {
      conn.close();
    } catch {
      // closed by the deadline already
    }
  }

  /**
   * New connections get `certificate` from now on; open ones keep theirs.
   *
   * @throws {CertificateError} when the pair cannot be used (the old one stays).
   */
  reload(certificate: Certificate): void {
    for (const listener of this.#listeners) listener.reload(certificate);
    this.#certificate = certificate;
  }
}
