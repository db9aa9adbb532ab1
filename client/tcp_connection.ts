/**
 * The client's TCP or TLS connection (Deno only: `Deno.connect`,
 * `Deno.connectTls`): a read loop that frames lines, and a capped
 * write queue that coalesces lines written in the same turn into one write
 * with at most one write in flight.
 *
 * Built on `Deno.connect` rather than `node:net`: reads are pulled, so a
 * consumer that falls behind simply stops the read loop and TCP carries the
 * backpressure to the server (no buffering in between), and writes are
 * promises the library can hand on. The server uses `node:net` for its
 * measured throughput with thousands of sockets; a client has one.
 *
 * @example
 * ```ts ignore
 * import { TcpConnection } from "./tcp_connection.ts";
 * const conn = await TcpConnection.open("127.0.0.1", 7777, {
 *   maxLineBytes: 1 << 20,
 *   maxPendingBytes: 1 << 20,
 *   connectTimeoutMs: 10_000,
 *   onLine: (line) => console.log(new TextDecoder().decode(line)),
 *   ready: () => undefined,
 * });
 * await conn.write(new TextEncoder().encode("1:\n"));
 * await conn.close();
 * ```
 * @module
 */
import { LineFramer } from "../protocol/mod.ts";
import type { ClientTlsOptions } from "./client_transport.ts";
import type {
  CloseInfo,
  LineConnection,
  LineConnectionOptions,
} from "./line_connection.ts";
import {
  ConnectFailedError,
  ConnectionClosedError,
  SendBufferFullError,
} from "./errors.ts";

/** How long each phase of `close()` may take before the socket is cut. */
const CLOSE_PHASE_MS = 2_000;
const READ_BUFFER_BYTES = 64 * 1024;

export type { CloseInfo } from "./line_connection.ts";

/** Options of {@linkcode TcpConnection.open}. */
export type TcpConnectionOptions = Omit<LineConnectionOptions, "maxHeldLines">;

interface Queued {
  readonly bytes: Uint8Array;
  resolve(): void;
  reject(error: Error): void;
}

/** One open TCP (or TLS) connection to a relay server. */
export class TcpConnection implements LineConnection {
  readonly #conn: Deno.TcpConn | Deno.TlsConn;
  readonly #options: TcpConnectionOptions;
  #queue: Queued[] = [];
  #pendingBytes = 0;
  #writing = false;
  #closing = false;
  #done: CloseInfo | null = null;
  readonly #closed: Promise<CloseInfo>;
  #drained: (() => void) | null = null;
  /** Why writing failed, when it did: the reason the connection ended. */
  #failure: Error | undefined;
  /**
   * Resolved once closing begins: from then on reading no longer pauses for
   * slow consumers, so an iterator nobody reads cannot hold up `close()`.
   * What still arrives is bounded by the server's outbound cap.
   */
  readonly #unpause = Promise.withResolvers<void>();

  private constructor(
    conn: Deno.TcpConn | Deno.TlsConn,
    options: TcpConnectionOptions,
  ) {
    this.#conn = conn;
    this.#options = options;
    this.#closed = this.#readLoop();
  }

  /**
   * Connects to `hostname:port`, over TLS when `tls` is given (the
   * certificate is checked against `hostname` and the system's CAs plus
   * `tls.caCerts`; the handshake is part of connecting).
   *
   * @throws {ConnectFailedError} when the server cannot be reached in time.
   */
  static async open(
    hostname: string,
    port: number,
    options: TcpConnectionOptions,
    tls?: ClientTlsOptions,
  ): Promise<TcpConnection> {
    const address = tls ? `tls://${hostname}:${port}` : `${hostname}:${port}`;
    let conn: Deno.TcpConn | Deno.TlsConn;
    try {
      if (tls === undefined) {
        conn = await Deno.connect({
          hostname,
          port,
          signal: AbortSignal.timeout(options.connectTimeoutMs),
        });
        // Game messages are small and frequent: do not hold them back.
        conn.setNoDelay(true);
      } else {
        conn = await within(
          Deno.connectTls({
            hostname,
            port,
            caCerts: tls.caCerts ? [...tls.caCerts] : undefined,
          }).then(async (c) => {
            await c.handshake();
            return c;
          }),
          options.connectTimeoutMs,
          `no TLS connection within ${options.connectTimeoutMs} ms`,
        );
      }
    } catch (cause) {
      throw new ConnectFailedError(address, { cause });
    }
    return new TcpConnection(conn, options);
  }

  /** Resolves once the connection has ended, for whatever reason. */
  get closed(): Promise<CloseInfo> {
    return this.#closed;
  }

  /** True once closing has begun or the connection has ended. */
  get isClosed(): boolean {
    return this.#closing || this.#done !== null;
  }

  /** Bytes accepted by {@linkcode write} and not yet handed to the kernel. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /**
   * Queues `bytes` (whole lines); resolves once they are written.
   *
   * @throws {SendBufferFullError} past `maxPendingBytes`.
   * @throws {ConnectionClosedError} when the connection has ended.
   */
  write(bytes: Uint8Array): Promise<void> {
    if (this.isClosed) {
      return Promise.reject(new ConnectionClosedError());
    }
    if (this.#pendingBytes + bytes.length > this.#options.maxPendingBytes) {
      return Promise.reject(
        new SendBufferFullError(this.#options.maxPendingBytes),
      );
    }
    this.#pendingBytes += bytes.length;
    return new Promise((resolve, reject) => {
      this.#queue.push({ bytes, resolve, reject });
      if (!this.#writing) {
        this.#writing = true;
        // Lines written in this turn go out together.
        queueMicrotask(() => void this.#pump());
      }
    });
  }

  async #pump(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      const bytes = concat(batch.map((q) => q.bytes));
      try {
        let offset = 0;
        while (offset < bytes.length) {
          offset += await this.#conn.write(bytes.subarray(offset));
        }
      } catch (cause) {
        const error = new ConnectionClosedError("write failed", { cause });
        this.#failure = error;
        for (const q of [...batch, ...this.#queue.splice(0)]) q.reject(error);
        this.#pendingBytes = 0;
        this.#writing = false;
        this.#drained?.();
        this.#shut();
        return;
      }
      this.#pendingBytes -= bytes.length;
      for (const q of batch) q.resolve();
    }
    this.#writing = false;
    this.#drained?.();
  }

  async #readLoop(): Promise<CloseInfo> {
    const framer = new LineFramer(
      this.#options.maxLineBytes,
      this.#options.onLine,
    );
    const buffer = new Uint8Array(READ_BUFFER_BYTES);
    let error: Error | undefined;
    try {
      while (true) {
        const paused = this.isClosed ? undefined : this.#options.ready();
        if (paused !== undefined) {
          await Promise.race([paused, this.#unpause.promise]);
        }
        const n = await this.#conn.read(buffer);
        if (n === null) break;
        framer.push(buffer.subarray(0, n));
      }
    } catch (cause) {
      if (!this.#closing) {
        error = this.#failure ??
          (cause instanceof Error ? cause : new Error(String(cause)));
      }
    }
    this.#shut();
    this.#done = { byClient: this.#closing, error };
    return this.#done;
  }

  /**
   * Ends the conversation cleanly: writes what is queued, tells the server
   * we are done sending (a TCP half-close), and reads the lines the server
   * still sends until it closes, so the answers to our last lines are
   * delivered. Each phase waits at most 2 s. Idempotent.
   */
  async close(): Promise<CloseInfo> {
    if (!this.isClosed) {
      this.#closing = true;
      this.#unpause.resolve();
      if (this.#writing) {
        await wait(
          new Promise<void>((r) => (this.#drained = r)),
          CLOSE_PHASE_MS,
        );
      }
      try {
        await this.#conn.closeWrite();
        await wait(this.#closed, CLOSE_PHASE_MS);
      } catch {
        // the socket is gone already: nothing more will arrive
      }
      this.#shut();
    }
    return await this.#closed;
  }

  /** Cuts the connection at once, as a network failure would: no goodbye. */
  abort(): void {
    this.#shut();
  }

  #shut(): void {
    this.#unpause.resolve();
    try {
      this.#conn.close();
    } catch {
      // already closed: nothing left to release
    }
  }
}

/** Waits for `promise`, but no longer than `ms`. */
async function wait(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((r) => (timer = setTimeout(r, ms)));
  await Promise.race([promise, timeout]);
  clearTimeout(timer);
}

/** `promise`'s value, or a rejection with `why` after `ms`. */
async function within<T>(promise: Promise<T>, ms: number, why: string) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) =>
    timer = setTimeout(() => reject(new Error(why)), ms)
  );
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let length = 0;
  for (const c of chunks) length += c.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
