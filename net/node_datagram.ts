/**
 * UDP through `node:dgram`: needs no `--unstable-net` flag.
 *
 * @example
 * ```ts
 * import { NodeDatagramTransport } from "./node_datagram.ts";
 * const socket = await new NodeDatagramTransport().bind("127.0.0.1", 0, {
 *   receive() {},
 *   sendFailed() {},
 * });
 * await socket.close();
 * ```
 * @module
 */
import dgram from "node:dgram";
import type {
  DatagramEvents,
  DatagramSocket,
  DatagramTarget,
  DatagramTransport,
} from "./datagram_transport.ts";

/**
 * Sends not yet taken by the system, past which new sends are dropped: a
 * lossy channel drops rather than buffering without bound.
 */
const MAX_SENDS_IN_FLIGHT = 4096;

class NodeDatagramSocket implements DatagramSocket {
  #inFlight = 0;
  readonly #sent: (error: Error | null) => void;

  constructor(
    readonly socket: dgram.Socket,
    readonly port: number,
    readonly events: DatagramEvents,
  ) {
    this.#sent = (error) => {
      this.#inFlight--;
      if (error) events.sendFailed(error);
    };
  }

  target(address: string, port: number): DatagramTarget {
    return { address, port };
  }

  send(data: Uint8Array, to: DatagramTarget): void {
    if (this.#inFlight >= MAX_SENDS_IN_FLIGHT) {
      this.events.sendFailed();
      return;
    }
    this.#inFlight++;
    this.socket.send(data, to.port, to.address, this.#sent);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/** Binds with `node:dgram` (`udp6` when the host is an IPv6 address). */
export class NodeDatagramTransport implements DatagramTransport {
  /** Binds a socket. */
  bind(
    hostname: string,
    port: number,
    events: DatagramEvents,
  ): Promise<DatagramSocket> {
    const socket = dgram.createSocket(hostname.includes(":") ? "udp6" : "udp4");
    socket.on(
      "message",
      (data: Uint8Array, from: dgram.RemoteInfo) =>
        events.receive(data, from.address, from.port),
    );
    return new Promise((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(port, hostname, () => {
        socket.off("error", reject);
        // A socket error after binding (rare for UDP) is a failed send.
        socket.on("error", (error) => events.sendFailed(error));
        resolve(new NodeDatagramSocket(socket, socket.address().port, events));
      });
    });
  }
}
