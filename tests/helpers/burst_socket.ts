/**
 * A UDP socket for tests whose sends leave together: it sends through the
 * epoll transport, which queues what one turn sends and hands it to the
 * kernel in one `sendmmsg`. Since a server in the same process cannot read
 * while this turn runs, a burst is in the server's receive queue whole
 * before the server reads any of it: one batch, no timing involved.
 */
import { EpollDatagramTransport } from "../../net/posix/epoll_datagram.ts";
import type {
  DatagramSocket,
  DatagramTarget,
} from "../../net/datagram_transport.ts";
import { Inbox } from "./inbox.ts";

const encoder = new TextEncoder();

/** A socket on 127.0.0.1 aimed at one server port; needs Linux and FFI. */
export class BurstSocket implements AsyncDisposable {
  readonly #inbox: Inbox;

  private constructor(
    readonly socket: DatagramSocket,
    readonly server: DatagramTarget,
    inbox: Inbox,
  ) {
    this.#inbox = inbox;
  }

  /** Binds a free port on 127.0.0.1 for `serverPort`. */
  static async open(serverPort: number): Promise<BurstSocket> {
    const inbox = new Inbox("datagram");
    const socket = await new EpollDatagramTransport().bind("127.0.0.1", 0, {
      // The transport reuses its buffer after the call: keep a copy.
      receive: (data) => inbox.push(data.slice()),
      sendFailed: () => {},
    });
    return new BurstSocket(
      socket,
      socket.target("127.0.0.1", serverPort),
      inbox,
    );
  }

  /** Sends every datagram in order, all in one `sendmmsg` at this turn's end. */
  burst(datagrams: readonly (string | Uint8Array)[]): void {
    for (const d of datagrams) {
      this.socket.send(
        typeof d === "string" ? encoder.encode(d) : d,
        this.server,
      );
    }
  }

  /** The next datagram received, as text, with the usual deadline. */
  next(): Promise<string> {
    return this.#inbox.next();
  }

  /** Sends a handshake and returns the next datagram (its answer). */
  async handshake(hello: string): Promise<string> {
    this.burst([hello]);
    return await this.next();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.socket.close();
  }
}
