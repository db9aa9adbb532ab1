/**
 * A `Deno.listenTls` accept loop whose certificate can be replaced while it
 * runs: connections already accepted keep their session keys, new ones get
 * the new certificate.
 *
 * `Deno.listenTls` was chosen over `node:tls` by measurement and for flow
 * control (docs/design.md, "TLS"): in Deno, a paused `node:tls` socket kept
 * reading (a test client wrote 100 MB into a server that was not reading),
 * while a `Deno.TlsConn` that is not read lets the kernel's window close.
 *
 * @example
 * ```ts ignore
 * import { TlsListener } from "./tls_listener.ts";
 * const listener = TlsListener.open("127.0.0.1", 0, certificate, (conn) => conn.close());
 * listener.reload(newCertificate);
 * await listener.close();
 * ```
 * @module
 */
import type { Certificate } from "./certificate.ts";
import { checkCertificate } from "./certificate.ts";

/** One listening TLS port that hands on each accepted connection. */
export class TlsListener {
  readonly hostname: string;
  readonly port: number;
  readonly #accept: (conn: Deno.TlsConn) => void;
  #listener: Deno.TlsListener;
  #certificate: Certificate;
  readonly #loops: Promise<void>[] = [];
  #closed = false;

  private constructor(
    hostname: string,
    listener: Deno.TlsListener,
    certificate: Certificate,
    accept: (conn: Deno.TlsConn) => void,
  ) {
    this.hostname = hostname;
    this.#listener = listener;
    this.#certificate = certificate;
    this.#accept = accept;
    this.port = (listener.addr as Deno.NetAddr).port;
    this.#loops.push(this.#loop(listener));
  }

  /**
   * Listens on `hostname:port` (0: a free port) with `certificate`.
   *
   * The socket has SO_REUSEPORT so that {@linkcode reload} can bind the
   * next one before closing this one. A port some other socket listens on
   * is refused first (a plain probe bind), so that two servers never share
   * one port by accident.
   */
  static open(
    hostname: string,
    port: number,
    certificate: Certificate,
    accept: (conn: Deno.TlsConn) => void,
  ): TlsListener {
    if (port !== 0) Deno.listen({ hostname, port }).close();
    const listener = Deno.listenTls({
      hostname,
      port,
      reusePort: true,
      cert: certificate.cert,
      key: certificate.key,
    });
    return new TlsListener(hostname, listener, certificate, accept);
  }

  /** The certificate new connections get. */
  get certificate(): Certificate {
    return this.#certificate;
  }

  /**
   * Serves `certificate` from now on: the pair is checked, a new listening
   * socket is bound beside the old one (SO_REUSEPORT), then the old one is
   * closed, so the port never stops accepting. Open connections are not
   * touched.
   *
   * @throws {CertificateError} when the pair cannot be used; the old
   *   certificate stays.
   */
  reload(certificate: Certificate): void {
    if (this.#closed) return;
    checkCertificate(certificate);
    const listener = Deno.listenTls({
      hostname: this.hostname,
      port: this.port,
      reusePort: true,
      cert: certificate.cert,
      key: certificate.key,
    });
    const old = this.#listener;
    this.#listener = listener;
    this.#certificate = certificate;
    this.#loops.push(this.#loop(listener));
    old.close();
  }

  async #loop(listener: Deno.TlsListener): Promise<void> {
    try {
      for await (const conn of listener) this.#accept(conn);
    } catch (error) {
      if (!(error instanceof Deno.errors.BadResource)) throw error;
    }
  }

  /** Stops accepting; open connections are left to their owners. */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      try {
        this.#listener.close();
      } catch {
        // closed already
      }
    }
    await Promise.all(this.#loops);
  }
}

/**
 * Runs the TLS handshake of `conn`, cutting it after `timeoutMs` so that a
 * peer that connects and says nothing does not hold a socket.
 */
export async function handshake(
  conn: Deno.TlsConn,
  timeoutMs: number,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new TlsHandshakeError(`no TLS handshake within ${timeoutMs} ms`));
      try {
        conn.close();
      } catch {
        // closed already
      }
    }, timeoutMs);
  });
  try {
    await Promise.race([conn.handshake(), timeout]);
  } catch (cause) {
    if (cause instanceof TlsHandshakeError) throw cause;
    throw new TlsHandshakeError(
      `TLS handshake failed: ${(cause as Error).message}`,
      { cause },
    );
  } finally {
    clearTimeout(timer);
  }
}

/** A handshake that failed or did not finish in time. */
export class TlsHandshakeError extends Error {
  /** Stable code for logs. */
  readonly code = "tls-handshake";
  /** `message` says why. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TlsHandshakeError";
  }
}

/** How long a TLS handshake may take unless told otherwise. */
export const DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS = 10_000;
