/**
 * How a client reaches a server from Deno: `tcp://` and `tls://` with
 * `Deno.connect`/`Deno.connectTls`, `ws://` and `wss://` with the standard
 * WebSocket (a private CA through Deno's HTTP client), and the UDP channel.
 * The only file of the client's connection layer that uses Deno's own API.
 *
 * @example
 * ```ts
 * import { denoTransport } from "./deno_transport.ts";
 * console.assert(denoTransport.openUdp !== undefined);
 * ```
 * @module
 */
import type { ClientTransport } from "./client_transport.ts";
import { InvalidArgumentError } from "./errors.ts";
import { TcpConnection } from "./tcp_connection.ts";
import { UdpChannel } from "./udp_channel.ts";
import { formatServerUrl } from "./server_address.ts";
import { WsConnection } from "./ws_connection.ts";

/** Deno's client transport: every scheme, and UDP. */
export const denoTransport: ClientTransport = Object.freeze<ClientTransport>({
  name: "deno",
  connect(address, options, tls) {
    switch (address.scheme) {
      case "tcp":
        return TcpConnection.open(address.host, address.port, options);
      case "tls":
        return TcpConnection.open(
          address.host,
          address.port,
          options,
          tls ?? {},
        );
      case "ws":
      case "wss": {
        const caCerts = tls?.caCerts;
        const init = address.scheme === "wss" && caCerts !== undefined
          ? { client: Deno.createHttpClient({ caCerts: [...caCerts] }) }
          : undefined;
        return WsConnection.open(formatServerUrl(address), options, init);
      }
      default:
        return Promise.reject(
          new InvalidArgumentError(`no transport for ${address.scheme}://`),
        );
    }
  },
  openUdp: (options) => UdpChannel.open(options),
});
