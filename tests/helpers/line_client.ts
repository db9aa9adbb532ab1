/**
 * A raw line client for tests: what `nc` would see, with deadlines.
 * Independent of the client library, so it can judge it too.
 */
import { LineFramer } from "../../protocol/mod.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Default wait for an expected line. Generous: CI machines are slow. */
export const DEADLINE_MS = 5_000;

/** Raised when an expected event does not happen in time. */
export class DeadlineError extends Error {
  constructor(what: string, ms: number, seen: readonly string[]) {
    super(
      `no ${what} within ${ms} ms; received so far: ${
        JSON.stringify(seen.slice(-20))
      }`,
    );
    this.name = "DeadlineError";
  }
}

/** A TCP client that reads lines as bytes and strings. */
export class LineClient implements AsyncDisposable {
  readonly #conn: Deno.TcpConn;
  readonly #queue: Uint8Array[] = [];
  readonly #history: string[] = [];
  #waiter: (() => void) | null = null;
  #eof = false;
  #reading: Promise<void>;

  private constructor(conn: Deno.TcpConn, maxLineBytes: number) {
    this.#conn = conn;
    const framer = new LineFramer(maxLineBytes, (line) => {
      this.#queue.push(line.slice());
      this.#history.push(decoder.decode(line));
      this.#wake();
    });
    this.#reading = (async () => {
      const buffer = new Uint8Array(64 * 1024);
      try {
        while (true) {
          const n = await conn.read(buffer);
          if (n === null) break;
          framer.push(buffer.subarray(0, n));
        }
      } catch {
        // reset by the server: the same as end of stream for a test
      }
      this.#eof = true;
      this.#wake();
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

  /** Every line received so far, as text. */
  get history(): readonly string[] {
    return this.#history;
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = null;
    waiter?.();
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
  async nextBytes(ms = DEADLINE_MS): Promise<Uint8Array> {
    const deadline = Date.now() + ms;
    while (this.#queue.length === 0) {
      if (this.#eof) {
        throw new DeadlineError("line before end of stream", ms, this.#history);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new DeadlineError("line", ms, this.#history);
      await this.#wait(left);
    }
    return this.#queue.shift()!;
  }

  /** The next line as text. */
  async next(ms = DEADLINE_MS): Promise<string> {
    return decoder.decode(await this.nextBytes(ms));
  }

  /** The next `n` lines as text. */
  async take(n: number, ms = DEADLINE_MS): Promise<string[]> {
    const lines: string[] = [];
    for (let i = 0; i < n; i++) lines.push(await this.next(ms));
    return lines;
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
  ): Promise<{ id: number; secret: string | null }> {
    await this.send(`0:${name}:${password}`);
    const line = await this.next();
    const match = /^0:(\d+)(?::([0-9a-f]{32}))?$/.exec(line);
    if (match === null) throw new Error(`login as ${name} answered ${line}`);
    return { id: Number(match[1]), secret: match[2] ?? null };
  }

  /** Resolves when the server closes the connection; fails after `ms`. */
  async closed(ms = DEADLINE_MS): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.#eof) {
      const left = deadline - Date.now();
      if (left <= 0) throw new DeadlineError("close", ms, this.#history);
      await this.#wait(left);
      this.#queue.length = 0;
    }
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
    return this.#eof;
  }

  /** Closes the connection and waits for the reader to stop. */
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
