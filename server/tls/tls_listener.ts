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

  /** Listens on `hostname:port` (0: a free port) with `certificate`. */
  static open(
    hostname: string,
    port: number,
    certificate: Certificate,
    accept: (conn: Deno.TlsConn) => void,
  ): TlsListener {
    const listener = Deno.listenTls({
      hostname,
      port,
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
   * Serves `certificate` from now on. The pair is checked first, and the old
   * listening socket is closed and the new one bound in the same synchronous
   * step, so no turn of the event loop passes without a listener (a
   * connection the kernel had queued on the old socket in that instant is
   * reset and the client retries). Open connections are not touched.
   *
   * @throws {CertificateError} when the pair cannot be used; the old
   *   certificate stays.
   */
  reload(certificate: Certificate): void {
    if (this.#closed) return;
    checkCertificate(certificate);
    const old = this.#listener;
    old.close();
    let listener: Deno.TlsListener;
    try {
      listener = Deno.listenTls({
        hostname: this.hostname,
        port: this.port,
        cert: certificate.cert,
        key: certificate.key,
      });
    } catch (error) {
      // The port could not be bound again (taken in that instant): go on
      // with the old certificate rather than with no listener.
      this.#listener = Deno.listenTls({
        hostname: this.hostname,
        port: this.port,
        cert: this.#certificate.cert,
        key: this.#certificate.key,
      });
      this.#loops.push(this.#loop(this.#listener));
      throw error;
    }
    this.#listener = listener;
    this.#certificate = certificate;
    this.#loops.push(this.#loop(listener));
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
