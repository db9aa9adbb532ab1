/**
 * A `Deno.Conn` behind the {@linkcode TransportSocket} interface: reads are
 * pulled in a loop, so {@linkcode DenoSocket.pause} really stops reading and
 * the kernel's window closes on the peer. Used by the `Deno.listen` TCP
 * transport and by the TLS transport (`Deno.listenTls`).
 *
 * @example
 * ```ts
 * import { DenoSocket } from "./deno_socket.ts";
 * console.assert(typeof DenoSocket === "function");
 * ```
 * @module
 */
import type { SocketEvents, TransportSocket } from "./transport.ts";

const READ_BUFFER_BYTES = 64 * 1024;

/** A `Deno.Conn` (TCP or TLS) as a {@linkcode TransportSocket}. */
export class DenoSocket implements TransportSocket {
  readonly remote: string;
  readonly remoteAddress: string;
  #paused: PromiseWithResolvers<void> | null = null;
  readonly #gone = Promise.withResolvers<void>();
  #closed = false;
  #ending = false;
  #writing = 0;

  /** Wraps `conn`; `encrypted` says whether it is a TLS connection. */
  constructor(readonly conn: Deno.Conn, readonly encrypted = false) {
    const addr = conn.remoteAddr as Deno.NetAddr;
    this.remoteAddress = addr.hostname;
    this.remote = `${addr.hostname}:${addr.port}`;
  }

  write(data: Uint8Array, done: (error?: Error | null) => void): void {
    this.#writing++;
    this.#writeAll(data).then(() => done(), (error) => done(error)).finally(
      () => {
        this.#writing--;
        if (this.#ending && this.#writing === 0) this.destroy();
      },
    );
  }

  async #writeAll(data: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < data.length) {
      offset += await this.conn.write(data.subarray(offset));
    }
  }

  pause(): void {
    this.#paused ??= Promise.withResolvers<void>();
  }

  resume(): void {
    this.#paused?.resolve();
    this.#paused = null;
  }

  end(): void {
    this.#ending = true;
    if (this.#writing === 0) this.destroy();
  }

  destroy(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#gone.resolve();
    this.resume();
    try {
      this.conn.close();
    } catch {
      // already closed by the peer: nothing left to release
    }
  }

  /**
   * Reads until the connection ends, handing chunks to `events`; reading
   * stops while paused, so the peer's TCP window closes. `before` runs
   * first (a TLS handshake): if it throws, the socket closes with its error.
   */
  async readLoop(
    events: SocketEvents,
    before?: () => Promise<void>,
  ): Promise<void> {
    const buffer = new Uint8Array(READ_BUFFER_BYTES);
    let failure: Error | undefined;
    try {
      await before?.();
      while (!this.#closed) {
        if (this.#paused) await this.#paused.promise;
        const n = await this.conn.read(buffer);
        if (n === null) {
          // Half-closed by the peer: let the owner answer, then close.
          if (events.end !== undefined && !this.#closed) {
            events.end();
            await this.#gone.promise;
          }
          break;
        }
        events.data(buffer.subarray(0, n));
      }
    } catch (error) {
      if (!this.#closed) failure = error as Error;
    }
    this.destroy();
    events.close(failure);
  }
}
