/**
 * A raw line client for tests: what `nc` would see, with deadlines.
 * Independent of the client library, so it can judge it too.
 */
import { LineFramer } from "../../protocol/mod.ts";
import { DEADLINE_MS, Inbox } from "./inbox.ts";

export { DEADLINE_MS, DeadlineError } from "./inbox.ts";

const encoder = new TextEncoder();

/** A TCP client that reads lines as bytes and strings. */
export class LineClient implements AsyncDisposable {
  readonly #conn: Deno.TcpConn | Deno.TlsConn;
  readonly #inbox = new Inbox("line");
  #reading: Promise<void>;
  #stopped: Promise<void> | null = null;

  private constructor(
    conn: Deno.TcpConn | Deno.TlsConn,
    maxLineBytes: number,
  ) {
    this.#conn = conn;
    const framer = new LineFramer(
      maxLineBytes,
      (line) => this.#inbox.push(line.slice()),
    );
    this.#reading = (async () => {
      const buffer = new Uint8Array(64 * 1024);
      try {
        while (true) {
          if (this.#stopped !== null) await this.#stopped;
          const n = await conn.read(buffer);
          if (n === null) break;
          framer.push(buffer.subarray(0, n));
        }
      } catch {
        // reset by the server: the same as end of stream for a test
      }
      this.#inbox.end();
    })();
  }

  /** Connects to 127.0.0.1:`port`. */
  static async connect(
    port: number,
    maxLineBytes = 16 * 1024 * 1024,
  ): Promise<LineClient> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    return new LineClient(conn, maxLineBytes);
  }

  /** Connects over TLS to localhost:`port`, trusting the CA `caPem`. */
  static async connectTls(
    port: number,
    caPem: string,
    maxLineBytes = 16 * 1024 * 1024,
  ): Promise<LineClient> {
    const conn = await Deno.connectTls({
      hostname: "localhost",
      port,
      caCerts: [caPem],
    });
    await conn.handshake();
    return new LineClient(conn, maxLineBytes);
  }

  /** Every line received so far, as text. */
  get history(): readonly string[] {
    return this.#inbox.history;
  }

  /** Sends text lines (each gets a `\n`). */
  async send(...lines: string[]): Promise<void> {
    await this.write(encoder.encode(lines.map((l) => l + "\n").join("")));
  }

  /** Sends raw bytes. */
  async write(bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      offset += await this.#conn.write(bytes.subarray(offset));
    }
  }

  /** The next line as bytes, waiting up to `ms`. */
  nextBytes(ms = DEADLINE_MS): Promise<Uint8Array> {
    return this.#inbox.nextBytes(ms);
  }

  /** The next line as text. */
  next(ms = DEADLINE_MS): Promise<string> {
    return this.#inbox.next(ms);
  }

  /** The next `n` lines as text. */
  take(n: number, ms = DEADLINE_MS): Promise<string[]> {
    return this.#inbox.take(n, ms);
  }

  /**
   * Round trip: asks for the room list and returns every line that arrived
   * before the answer. The server handles one client's lines in order, so
   * anything queued for this client earlier comes first.
   */
  async sync(ms = DEADLINE_MS): Promise<string[]> {
    await this.send("1:");
    const before: string[] = [];
    while (true) {
      const line = await this.next(ms);
      if (line.startsWith("1:") || line === "0:-1") return before;
      before.push(line);
    }
  }

  /** Logs in and returns the session id. */
  async login(name: string, password = "pw"): Promise<number> {
    return (await this.welcome(name, password)).id;
  }

  /**
   * Logs in and returns the session id and, when the server offers UDP, the
   * UDP secret of the reply `0:<id>:<secret>`.
   */
  async welcome(
    name: string,
    password = "pw",
    ms = DEADLINE_MS,
  ): Promise<{ id: number; secret: string | null }> {
    await this.send(`0:${name}:${password}`);
    const line = await this.next(ms);
    const match = /^0:(\d+)(?::([0-9a-f]{32}))?$/.exec(line);
    if (match === null) throw new Error(`login as ${name} answered ${line}`);
    return { id: Number(match[1]), secret: match[2] ?? null };
  }

  /** Resolves when the server closes the connection; fails after `ms`. */
  closed(ms = DEADLINE_MS): Promise<void> {
    return this.#inbox.endOf(ms);
  }

  /** Half-closes: sends FIN (no more lines) but keeps reading. */
  async closeWrite(): Promise<void> {
    await this.#conn.closeWrite();
  }

  /** This client's own port, to find its connection in the kernel's tables. */
  get localPort(): number {
    return this.#conn.localAddr.port;
  }

  /** Whether the server has closed the connection (end of stream seen). */
  get ended(): boolean {
    return this.#inbox.ended;
  }

  /**
   * Stops reading for good (a client that never reads again): the kernel's
   * buffers fill and the server's writes to it stall. `close()` still works.
   */
  stopReading(): void {
    this.#stopped ??= new Promise<void>((resolve) => this.#unstop = resolve);
  }

  #unstop: (() => void) | null = null;

  /** Closes the connection and waits for the reader to stop. */
  async close(): Promise<void> {
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
    this.#unstop?.();
    await this.#reading;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
