/**
 * A `Deno.Conn` as a `node:stream` Duplex, so that TLS connections accepted
 * by `Deno.listenTls` can be served by `node:http` and upgraded by `ws`.
 *
 * Why not `node:https`: in Deno, a paused `node:tls` socket keeps reading
 * (docs/design.md, "TLS"), so a WSS client could not be held back by flow
 * control. Here reading is pulled: when the stream's buffer is full (or `ws`
 * pauses it), `read` is not called and the kernel's window closes.
 *
 * @example
 * ```ts ignore
 * import { ConnDuplex } from "./conn_duplex.ts";
 * for await (const conn of Deno.listenTls(options)) {
 *   httpServer.emit("connection", new ConnDuplex(conn));
 * }
 * ```
 * @module
 */
import { Duplex } from "node:stream";

/** Bytes asked for in one read. */
const READ_BYTES = 16 * 1024;

/** A pulled, back-pressured Duplex over a Deno connection. */
export class ConnDuplex extends Duplex {
  /** What `node:http` and `ws` read from a socket. */
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly encrypted = true;
  readonly #conn: Deno.Conn;
  #reading = false;

  /** Wraps `conn`; the Duplex owns it from now on. */
  constructor(conn: Deno.Conn) {
    super({ allowHalfOpen: false });
    this.#conn = conn;
    const remote = conn.remoteAddr as Deno.NetAddr;
    this.remoteAddress = remote.hostname;
    this.remotePort = remote.port;
  }

  override _read(): void {
    if (this.#reading) return;
    this.#reading = true;
    this.#pump();
  }

  async #pump(): Promise<void> {
    try {
      while (true) {
        // A fresh buffer each time: push() keeps it.
        const buffer = new Uint8Array(READ_BYTES);
        const n = await this.#conn.read(buffer);
        if (n === null) {
          this.push(null);
          return;
        }
        if (!this.push(buffer.subarray(0, n))) break;
      }
    } catch (error) {
      this.destroy(error as Error);
    }
    this.#reading = false;
  }

  override _write(
    chunk: Uint8Array,
    _encoding: string,
    callback: (error?: Error | null) => void,
  ): void {
    this.#writeAll(chunk).then(() => callback(), callback);
  }

  async #writeAll(data: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < data.length) {
      offset += await this.#conn.write(data.subarray(offset));
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    try {
      this.#conn.close();
    } catch {
      // closed by the peer already
    }
    callback();
  }

  override _destroy(
    error: Error | null,
    callback: (error: Error | null) => void,
  ): void {
    try {
      this.#conn.close();
    } catch {
      // closed already
    }
    callback(error);
  }

  /** What `ws` and `node:http` call on sockets; Nagle is off already. */
  setNoDelay(): this {
    return this;
  }

  /** What `node:http` calls on sockets; timeouts are the server's own. */
  setTimeout(): this {
    return this;
  }

  /** What `node:http` may call on sockets. */
  setKeepAlive(): this {
    return this;
  }
}
