/**
 * The `serve` flags of the WebSocket/HTTP port and TLS, turned into
 * {@linkcode RelayServerOptions}; the listener URLs of the ready line; and
 * the certificate reload on SIGHUP.
 *
 * @example
 * ```ts
 * import { Command } from "@commander-js/extra-typings";
 * import { addWebOptions } from "./web_options.ts";
 * const command = addWebOptions(new Command("serve"));
 * command.parse(["--http-port", "0"], { from: "user" });
 * console.assert(command.opts().httpPort === 0);
 * ```
 * @module
 */
import {
  type Command,
  InvalidArgumentError,
  Option,
} from "@commander-js/extra-typings";
import {
  type Certificate,
  CertificateError,
  DEFAULT_ALLOWED_ORIGINS,
  DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS,
  loadCertificate,
  type Logger,
  OriginPolicy,
  type RelayServer,
  type RelayServerOptions,
  WS_PATH,
} from "../server/mod.ts";

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) {
    throw new InvalidArgumentError("expected a port from 0 to 65535");
  }
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 600) {
    throw new InvalidArgumentError("expected seconds from 1 to 600");
  }
  return n;
}

function origins(value: string): string {
  try {
    OriginPolicy.parse(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  return value;
}

/** Adds `--http-port`, `--allowed-origins`, `--tls-cert`, `--tls-key`, `--tls-port`, `--tls-handshake-timeout`. */
export function addWebOptions<C extends Command>(command: C) {
  return command
    .addOption(
      new Option(
        "--http-port <port>",
        `HTTP port: WebSocket clients at ${WS_PATH}, the demo page at / (HTTPS/WSS with --tls-cert); 0 picks a free one; off by default`,
      ).argParser(port),
    )
    .addOption(
      new Option(
        "--allowed-origins <list>",
        "web pages that may open a WebSocket: comma-separated origins, 'same' (the server's own page) and/or '*'; clients that send no Origin are always let in",
      ).argParser(origins).default(DEFAULT_ALLOWED_ORIGINS),
    )
    .option(
      "--tls-cert <file>",
      "TLS certificate chain (PEM), reread on SIGHUP; makes the HTTP port HTTPS/WSS",
    )
    .option("--tls-key <file>", "TLS private key (PEM), reread on SIGHUP")
    .addOption(
      new Option(
        "--tls-port <port>",
        "TLS port for the line protocol (needs --tls-cert and --tls-key); 0 picks a free one",
      ).argParser(port),
    )
    .addOption(
      new Option(
        "--tls-handshake-timeout <seconds>",
        "close TLS connections whose handshake takes longer",
      ).argParser(seconds).default(DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS / 1000),
    );
}

/** The parsed flags {@linkcode addWebOptions} adds. */
export interface WebFlags {
  readonly httpPort?: number;
  readonly allowedOrigins: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly tlsPort?: number;
  readonly tlsHandshakeTimeout: number;
}

/** A flag combination that cannot work, said for people. */
export class WebFlagsError extends Error {
  /** Stable code. */
  readonly code = "bad-flags";
  /** `message` names the flags. */
  constructor(message: string) {
    super(message);
    this.name = "WebFlagsError";
  }
}

/**
 * The server options for `flags`, with the certificate read.
 *
 * @throws {WebFlagsError} for --tls-cert without --tls-key (or the reverse),
 *   or --tls-port without them.
 * @throws {CertificateError} when the files cannot be used.
 */
export async function webServerOptions(
  flags: WebFlags,
): Promise<Pick<RelayServerOptions, "tls" | "http">> {
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) {
    throw new WebFlagsError("--tls-cert and --tls-key go together");
  }
  if (flags.tlsPort !== undefined && flags.tlsCert === undefined) {
    throw new WebFlagsError("--tls-port needs --tls-cert and --tls-key");
  }
  const certificate = flags.tlsCert === undefined
    ? undefined
    : await loadCertificate(flags.tlsCert, flags.tlsKey!);
  return {
    tls: certificate && {
      certificate,
      port: flags.tlsPort,
      handshakeTimeoutMs: flags.tlsHandshakeTimeout * 1000,
    },
    http: flags.httpPort === undefined ? undefined : {
      port: flags.httpPort,
      allowedOrigins: flags.allowedOrigins,
    },
  };
}

/** The ready line's URLs of the TLS and HTTP listeners (empty when off). */
export function webListenerUrls(server: RelayServer, host: string): string {
  const urls: string[] = [];
  if (server.tlsPort !== 0) urls.push(`tls://${host}:${server.tlsPort}`);
  if (server.httpPort !== 0) {
    const s = server.httpSecure ? "s" : "";
    urls.push(`ws${s}://${host}:${server.httpPort}${WS_PATH}`);
    urls.push(`http${s}://${host}:${server.httpPort}/`);
  }
  return urls.map((url) => ` ${url}`).join("");
}

/**
 * On SIGHUP, reads the certificate files again and serves them to new TLS
 * connections; sessions go on. A file that cannot be used is logged and
 * the old certificate stays. Returns the remover.
 */
export function reloadOnSighup(
  server: RelayServer,
  certificate: Certificate,
  logger: Logger,
): () => void {
  const reload = async () => {
    try {
      const fresh = await loadCertificate(
        certificate.certFile,
        certificate.keyFile,
      );
      server.reloadCertificate(fresh);
      logger.info("tls.reloaded", { cert: fresh.certFile });
    } catch (error) {
      if (!(error instanceof CertificateError)) throw error;
      logger.error("tls.reload_failed", { error: error.message });
    }
  };
  const handler = () => void reload();
  Deno.addSignalListener("SIGHUP", handler);
  return () => Deno.removeSignalListener("SIGHUP", handler);
}
