/**
 * A raw UDP client for tests, with deadlines: one socket on 127.0.0.1, its
 * datagrams queued in arrival order. Independent of the client library.
 */
import { DEADLINE_MS, DeadlineError } from "./line_client.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A UDP socket talking to one server port. */
export class UdpClient implements AsyncDisposable {
  readonly #conn: Deno.DatagramConn;
  readonly #server: Deno.NetAddr;
  readonly #queue: Uint8Array[] = [];
  readonly #history: string[] = [];
  #waiter: (() => void) | null = null;
  #closed = false;
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
        for await (const [data] of conn) {
          this.#queue.push(data);
          this.#history.push(decoder.decode(data));
          this.#wake();
        }
      } catch {
        // closed by close()
      }
      this.#closed = true;
      this.#wake();
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
    return this.#history;
  }

  /** Sends one datagram (text is UTF-8 encoded; no `\n` is added). */
  async send(datagram: string | Uint8Array): Promise<void> {
    await this.#conn.send(
      typeof datagram === "string" ? encoder.encode(datagram) : datagram,
      this.#server,
    );
  }

  /** The next datagram as bytes, waiting up to `ms`. */
  async nextBytes(ms = DEADLINE_MS): Promise<Uint8Array> {
    const deadline = Date.now() + ms;
    while (this.#queue.length === 0) {
      if (this.#closed) {
        throw new DeadlineError("datagram before close", ms, this.#history);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new DeadlineError("datagram", ms, this.#history);
      await this.#wait(left);
    }
    return this.#queue.shift()!;
  }

  /** The next datagram as text. */
  async next(ms = DEADLINE_MS): Promise<string> {
    return decoder.decode(await this.nextBytes(ms));
  }

  /** The next `n` datagrams as text. */
  async take(n: number, ms = DEADLINE_MS): Promise<string[]> {
    const got: string[] = [];
    for (let i = 0; i < n; i++) got.push(await this.next(ms));
    return got;
  }

  /**
   * Sends a handshake (`0:<id>:<secret>`, or the bare `0:<id>` without a
   * secret) and returns the next datagram, which should be its reply.
   */
  async handshake(id: number, secret?: string | null): Promise<string> {
    await this.send(secret == null ? `0:${id}` : `0:${id}:${secret}`);
    return await this.next();
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = null;
    waiter?.();
  }

  #wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiter = null;
        resolve();
      }, ms);
      this.#waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
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
