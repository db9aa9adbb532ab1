/**
 * A raw UDP client for tests, with deadlines: one socket on 127.0.0.1, its
 * datagrams queued in arrival order. Independent of the client library.
 */
import { DEADLINE_MS, Inbox } from "./inbox.ts";

const encoder = new TextEncoder();

/** A UDP socket talking to one server port. */
export class UdpClient implements AsyncDisposable {
  readonly #conn: Deno.DatagramConn;
  readonly #server: Deno.NetAddr;
  readonly #inbox = new Inbox("datagram");
  readonly #reading: Promise<void>;

  private constructor(conn: Deno.DatagramConn, serverPort: number) {
    this.#conn = conn;
    this.#server = {
      transport: "udp",
      hostname: "127.0.0.1",
      port: serverPort,
    };
    this.#reading = (async () => {
      try {
        for await (const [data] of conn) this.#inbox.push(data);
      } catch {
        // closed by close()
      }
      this.#inbox.end();
    })();
  }

  /**
   * Opens a socket on `hostname` (a loopback address; a free port) for the
   * server's UDP port on 127.0.0.1.
   */
  static open(serverPort: number, hostname = "127.0.0.1"): UdpClient {
    const conn = Deno.listenDatagram({ transport: "udp", hostname, port: 0 });
    return new UdpClient(conn, serverPort);
  }

  /** This socket's own port. */
  get port(): number {
    return (this.#conn.addr as Deno.NetAddr).port;
  }

  /** Every datagram received so far, as text. */
  get history(): readonly string[] {
    return this.#inbox.history;
  }

  /** Sends one datagram (text is UTF-8 encoded; no `\n` is added). */
  async send(datagram: string | Uint8Array): Promise<void> {
    await this.#conn.send(
      typeof datagram === "string" ? encoder.encode(datagram) : datagram,
      this.#server,
    );
  }

  /** The next datagram as bytes, waiting up to `ms`. */
  nextBytes(ms = DEADLINE_MS): Promise<Uint8Array> {
    return this.#inbox.nextBytes(ms);
  }

  /** The next datagram as text. */
  next(ms = DEADLINE_MS): Promise<string> {
    return this.#inbox.next(ms);
  }

  /** The next `n` datagrams as text. */
  take(n: number, ms = DEADLINE_MS): Promise<string[]> {
    return this.#inbox.take(n, ms);
  }

  /**
   * Sends a handshake (`0:<id>:<secret>`, or the bare `0:<id>` without a
   * secret) and returns the next datagram, which should be its reply.
   */
  async handshake(id: number, secret?: string | null): Promise<string> {
    await this.send(secret == null ? `0:${id}` : `0:${id}:${secret}`);
    return await this.next();
  }

  /** Closes the socket and waits for the reader to stop. */
  async close(): Promise<void> {
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
    await this.#reading;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
