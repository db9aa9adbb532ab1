/**
 * A TCP client for volume tests: frames lines and hands each to a callback
 * without keeping them, so a test can check a hundred thousand lines in
 * order without holding them in memory.
 */
import { LineFramer } from "../../protocol/mod.ts";
import { DEADLINE_MS, DeadlineError } from "./inbox.ts";

const encoder = new TextEncoder();

/**
 * How a {@linkcode LineCounter} reads: by default as fast as it can; with
 * `pauseMs`, a slow link that takes at most `readBytes` at a time and waits
 * between reads (it reads continuously, just slower than a fast sender).
 */
export interface ReadPace {
  readonly readBytes?: number;
  readonly pauseMs?: number;
}

/** Reads lines into `onLine`; `until()` awaits a condition with a deadline. */
export class LineCounter implements AsyncDisposable {
  readonly #conn: Deno.TcpConn;
  readonly #reading: Promise<void>;
  #waiters = new Set<() => void>();
  #eof = false;
  #failure: unknown = null;

  private constructor(
    conn: Deno.TcpConn,
    onLine: (line: Uint8Array) => void,
    pace: ReadPace,
  ) {
    this.#conn = conn;
    const framer = new LineFramer(16 * 1024 * 1024, onLine);
    this.#reading = (async () => {
      const buffer = new Uint8Array(pace.readBytes ?? 256 * 1024);
      const pauseMs = pace.pauseMs ?? 0;
      try {
        while (true) {
          const n = await conn.read(buffer);
          if (n === null) break;
          framer.push(buffer.subarray(0, n));
          this.#wake();
          if (pauseMs > 0) {
            // The pace of a slow link, not a wait for an event.
            await new Promise((resolve) => setTimeout(resolve, pauseMs));
          }
        }
      } catch (error) {
        if (!(error instanceof Deno.errors.BadResource)) this.#failure = error;
      }
      this.#eof = true;
      this.#wake();
    })();
  }

  /** Connects to 127.0.0.1:`port`; every line received goes to `onLine`. */
  static async connect(
    port: number,
    onLine: (line: Uint8Array) => void,
    pace: ReadPace = {},
  ): Promise<LineCounter> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    return new LineCounter(conn, onLine, pace);
  }

  /** Whether the server closed the connection. */
  get ended(): boolean {
    return this.#eof;
  }

  #wake(): void {
    for (const wake of this.#waiters) wake();
  }

  /** Sends text lines (each gets a `\n`). */
  async send(...lines: string[]): Promise<void> {
    await this.write(encoder.encode(lines.map((l) => l + "\n").join("")));
  }

  /** Sends raw bytes. */
  async write(bytes: Uint8Array): Promise<void> {
    for (let offset = 0; offset < bytes.length;) {
      offset += await this.#conn.write(bytes.subarray(offset));
    }
  }

  /** Resolves once `condition` holds, checked after each chunk read. */
  async until(
    condition: () => boolean,
    what: string,
    ms = DEADLINE_MS,
  ): Promise<void> {
    if (this.#failure !== null) throw this.#failure;
    if (condition()) return;
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    const check = () => {
      if (this.#failure !== null) reject(this.#failure);
      else if (condition()) resolve();
      else if (this.#eof) reject(new Error(`stream ended before ${what}`));
    };
    const timer = setTimeout(
      () => reject(new DeadlineError(what, ms, [])),
      ms,
    );
    this.#waiters.add(check);
    try {
      await promise;
    } finally {
      clearTimeout(timer);
      this.#waiters.delete(check);
    }
  }

  /** Half-closes: no more bytes from this side; the server's still arrive. */
  async closeWrite(): Promise<void> {
    await this.#conn.closeWrite();
  }

  /** Resolves when the server has closed the connection; fails after `ms`. */
  async closed(ms = DEADLINE_MS): Promise<void> {
    await this.until(() => this.#eof, "end of stream", ms).catch((error) => {
      if (!this.#eof) throw error;
    });
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
