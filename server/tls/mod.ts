/**
 * TLS: certificates read from PEM files and reloaded on demand, and the
 * `Deno.listenTls` listener the TLS line port and the HTTPS port share.
 *
 * @example
 * ```ts ignore
 * import { loadCertificate, TlsListener } from "./mod.ts";
 * const certificate = await loadCertificate("cert.pem", "key.pem");
 * const listener = TlsListener.open("127.0.0.1", 0, certificate, (c) => c.close());
 * await listener.close();
 * ```
 * @module
 */
export {
  type Certificate,
  CertificateError,
  checkCertificate,
  loadCertificate,
} from "./certificate.ts";
export {
  DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS,
  handshake,
  TlsHandshakeError,
  TlsListener,
} from "./tls_listener.ts";
