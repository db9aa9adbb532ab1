/**
 * Where a server is: `tcp://host:port`, `tls://host:port`,
 * `ws://host:port/path` or `wss://host:port/path` (the forms `serve` prints
 * in its ready line).
 *
 * @example
 * ```ts
 * import { parseServerUrl } from "./server_address.ts";
 * const address = parseServerUrl("wss://relay.example/ws");
 * console.assert(address.scheme === "wss" && address.port === 443);
 * ```
 * @module
 */
import { InvalidArgumentError } from "./errors.ts";

/** The ways to reach a server. */
export type Scheme = "tcp" | "tls" | "ws" | "wss";

/** A parsed server address. */
export interface ServerAddress {
  readonly scheme: Scheme;
  readonly host: string;
  readonly port: number;
  /** The WebSocket path (`/ws` by default); `/` for tcp and tls. */
  readonly path: string;
}

const DEFAULT_PORTS: Readonly<Record<Scheme, number>> = {
  tcp: 7777,
  tls: 7777,
  ws: 80,
  wss: 443,
};

/** The server's WebSocket path unless the URL names another. */
export const DEFAULT_WS_PATH = "/ws";

/**
 * Parses a server URL. A ws/wss URL without a path gets `/ws`.
 *
 * @throws {InvalidArgumentError} for another scheme or a malformed URL.
 */
export function parseServerUrl(text: string): ServerAddress {
  const match = /^([a-z]+):\/\//i.exec(text.trim());
  const scheme = match?.[1]?.toLowerCase();
  if (
    scheme !== "tcp" && scheme !== "tls" && scheme !== "ws" && scheme !== "wss"
  ) {
    throw new InvalidArgumentError(
      `not a server URL: ${
        JSON.stringify(text)
      } (expected tcp://, tls://, ws:// or wss://)`,
    );
  }
  let url: URL;
  try {
    // URL knows ws/wss; for tcp/tls borrow http's parsing of host and port.
    url = new URL(text.trim().replace(/^[a-z]+:/i, "http:"));
  } catch {
    throw new InvalidArgumentError(`not a server URL: ${JSON.stringify(text)}`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = url.port === "" ? DEFAULT_PORTS[scheme] : Number(url.port);
  const ws = scheme === "ws" || scheme === "wss";
  const path = ws
    ? (url.pathname === "/" ? DEFAULT_WS_PATH : url.pathname) + url.search
    : "/";
  return { scheme, host: host === "" ? "127.0.0.1" : host, port, path };
}

/** The URL of `address` as `serve` prints it. */
export function formatServerUrl(address: ServerAddress): string {
  const host = address.host.includes(":") ? `[${address.host}]` : address.host;
  const path = address.scheme === "ws" || address.scheme === "wss"
    ? address.path
    : "";
  return `${address.scheme}://${host}:${address.port}${path}`;
}
