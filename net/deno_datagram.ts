/**
 * UDP through `Deno.listenDatagram` (needs `--unstable-net`, set in
 * deno.json "unstable").
 *
 * @example
 * ```ts
 * import { DenoDatagramTransport } from "./deno_datagram.ts";
 * const socket = await new DenoDatagramTransport().bind("127.0.0.1", 0, {
 *   receive() {},
 *   sendFailed() {},
 * });
 * await socket.close();
 * ```
 * @module
 */
import type {
  DatagramEvents,
  DatagramSocket,
  DatagramTarget,
  DatagramTransport,
} from "./datagram_transport.ts";

/** Room for the largest UDP datagram, so none is cut short unnoticed. */
const RECEIVE_BUFFER_BYTES = 65_536;
/** Sends not yet completed, past which new sends are dropped (see node_datagram.ts). */
const MAX_SENDS_IN_FLIGHT = 4096;

type DenoTarget = DatagramTarget & Deno.NetAddr;

class DenoDatagramSocket implements DatagramSocket {
  #inFlight = 0;
  #closed = false;
  readonly #loop: Promise<void>;

  constructor(
    readonly conn: Deno.DatagramConn,
    readonly events: DatagramEvents,
  ) {
    this.#loop = this.#receiveLoop();
  }

  get port(): number {
    return (this.conn.addr as Deno.NetAddr).port;
  }

  target(address: string, port: number): DatagramTarget {
    const target: DenoTarget = {
      transport: "udp",
      hostname: address,
      address,
      port,
    };
    return target;
  }

  send(data: Uint8Array, to: DatagramTarget): void {
    if (this.#inFlight >= MAX_SENDS_IN_FLIGHT) {
      this.events.sendFailed();
      return;
    }
    this.#inFlight++;
    this.conn.send(data, to as DenoTarget).then(this.#sent, this.#failed);
  }

  #sent = (): void => {
    this.#inFlight--;
  };

  #failed = (error: Error): void => {
    this.#inFlight--;
    if (!this.#closed) this.events.sendFailed(error);
  };

  async #receiveLoop(): Promise<void> {
    const buffer = new Uint8Array(RECEIVE_BUFFER_BYTES);
    while (!this.#closed) {
      let data: Uint8Array;
      let from: Deno.Addr;
      try {
        [data, from] = await this.conn.receive(buffer);
      } catch (error) {
        if (this.#closed || error instanceof Deno.errors.BadResource) return;
        // ICMP "port unreachable" for an earlier send can surface here on
        // some systems: it concerns that send, not the socket.
        this.events.sendFailed(error as Error);
        continue;
      }
      const addr = from as Deno.NetAddr;
      this.events.receive(data, addr.hostname, addr.port);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.conn.close();
    await this.#loop;
  }
}

/** Binds with `Deno.listenDatagram`. */
export class DenoDatagramTransport implements DatagramTransport {
  /** Binds a socket. */
  bind(
    hostname: string,
    port: number,
    events: DatagramEvents,
  ): Promise<DatagramSocket> {
    const conn = Deno.listenDatagram({ transport: "udp", hostname, port });
    return Promise.resolve(new DenoDatagramSocket(conn, events));
  }
}
