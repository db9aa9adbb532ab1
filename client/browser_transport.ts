/**
 * How a client reaches a server from a web page: `ws://` and `wss://` only
 * (a page can open neither TCP nor UDP sockets); the browser checks TLS
 * certificates itself. The browser bundle (`deno task build:web`) puts this
 * in place of default_transport.ts.
 *
 * @example
 * ```ts
 * import { browserTransport } from "./browser_transport.ts";
 * console.assert(browserTransport.openUdp === undefined);
 * ```
 * @module
 */
import type { ClientTransport } from "./client_transport.ts";
import { InvalidArgumentError } from "./errors.ts";
import { formatServerUrl } from "./server_address.ts";
import { WsConnection } from "./ws_connection.ts";

/** The browser's client transport: WebSocket only. */
export const browserTransport: ClientTransport = Object.freeze<ClientTransport>(
  {
    name: "browser",
    connect(address, options) {
      if (address.scheme !== "ws" && address.scheme !== "wss") {
        return Promise.reject(
          new InvalidArgumentError(
            `a web page cannot open ${address.scheme}:// connections: use ws:// or wss://`,
          ),
        );
      }
      return WsConnection.open(formatServerUrl(address), options);
    },
  },
);
