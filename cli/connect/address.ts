/**
 * `host:port` as typed on the command line.
 *
 * @example
 * ```ts
 * import { parseAddress } from "./address.ts";
 * const { host, port } = parseAddress("tcp://10.0.0.5:7000", 7777);
 * console.assert(host === "10.0.0.5" && port === 7000);
 * ```
 * @module
 */
import { type ConnectOptions, parseServerUrl } from "../../client/mod.ts";

/** A server address. */
export interface Address {
  readonly host: string;
  readonly port: number;
  /** The URL as given, for tls://, ws:// and wss:// (plain TCP has none). */
  readonly url?: string;
  /** PEM certificates to trust for tls:// and wss:// (`connect --ca-cert`). */
  readonly caCerts?: readonly string[];
}

/**
 * Parses `host:port`, `host`, `:port`, `[v6]:port`, or `tcp://host:port`
 * (the form `serve` prints). Missing parts take `127.0.0.1` and
 * `defaultPort`. `tls://host:port`, `ws://host:port/ws` and
 * `wss://host:port/ws` are kept as URLs.
 *
 * @throws {TypeError} with a message for people when it is not an address.
 */
export function parseAddress(text: string, defaultPort: number): Address {
  if (/^(tls|wss?):\/\//i.test(text.trim())) {
    try {
      const { host, port } = parseServerUrl(text);
      return { host, port, url: text.trim() };
    } catch (error) {
      throw new TypeError((error as Error).message);
    }
  }
  const bare = text.trim().replace(/^tcp:\/\//, "").replace(/\/$/, "");
  const match = /^(?:\[([^\]]+)\]|([^:\[\]]*))(?::(\d{1,5}))?$/.exec(bare);
  if (match === null) {
    throw new TypeError(
      `not an address: ${JSON.stringify(text)} (expected host:port)`,
    );
  }
  const host = match[1] ?? (match[2] || "127.0.0.1");
  const port = match[3] === undefined ? defaultPort : Number(match[3]);
  if (port < 1 || port > 65535) {
    throw new TypeError(`port ${port} is not between 1 and 65535`);
  }
  return { host, port };
}

/** What {@linkcode RelayClient.connect} needs to reach `address`. */
export function connectOptions(address: Address): ConnectOptions {
  const tls = address.caCerts === undefined
    ? undefined
    : { caCerts: address.caCerts };
  // connect gets back by itself after a drop: resume, or log in again.
  return address.url === undefined
    ? { host: address.host, port: address.port, reconnect: true }
    : { url: address.url, tls, reconnect: true };
}
