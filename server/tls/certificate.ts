/**
 * A TLS certificate chain and its private key, read from PEM files, and
 * checked before use so that a bad file is reported at start or at reload
 * instead of at the first handshake.
 *
 * @example
 * ```ts ignore
 * import { loadCertificate } from "./certificate.ts";
 * const certificate = await loadCertificate("cert.pem", "key.pem");
 * console.log(certificate.certFile);
 * ```
 * @module
 */

/** PEM text of a certificate chain and its key, with where they came from. */
export interface Certificate {
  /** The chain, leaf first, in PEM. */
  readonly cert: string;
  /** The private key in PEM (RSA, EC or PKCS#8). */
  readonly key: string;
  /** The file the chain was read from, for logs. */
  readonly certFile: string;
  /** The file the key was read from, for logs. */
  readonly keyFile: string;
}

/** A certificate or key file that cannot be used. */
export class CertificateError extends Error {
  /** Stable code for callers and logs. */
  readonly code = "bad-certificate";
  /** `message` says which file and why. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CertificateError";
  }
}

/**
 * Reads `certFile` and `keyFile` and checks that they make a usable pair (a
 * throwaway TLS listener on a free loopback port is opened with them).
 *
 * @throws {CertificateError} when a file is missing, is not PEM, or the key
 *   does not fit the certificate.
 */
export async function loadCertificate(
  certFile: string,
  keyFile: string,
): Promise<Certificate> {
  const read = async (file: string, what: string) => {
    try {
      return await Deno.readTextFile(file);
    } catch (cause) {
      throw new CertificateError(
        `cannot read the TLS ${what} ${file}: ${(cause as Error).message}`,
        { cause },
      );
    }
  };
  const certificate = {
    cert: await read(certFile, "certificate"),
    key: await read(keyFile, "key"),
    certFile,
    keyFile,
  };
  checkCertificate(certificate);
  return certificate;
}

/**
 * Throws unless Deno's TLS stack accepts the pair.
 *
 * @throws {CertificateError}
 */
export function checkCertificate(certificate: Certificate): void {
  try {
    Deno.listenTls({
      hostname: "127.0.0.1",
      port: 0,
      cert: certificate.cert,
      key: certificate.key,
    }).close();
  } catch (cause) {
    throw new CertificateError(
      `the TLS certificate ${certificate.certFile} and key ${certificate.keyFile} cannot be used: ${
        (cause as Error).message
      }`,
      { cause },
    );
  }
}
