/**
 * TCP through `Deno.listen`, kept to measure against {@linkcode NodeTcpTransport}
 * (`serve --tcp-impl deno`, `deno task bench`).
 *
 * @example
 * ```ts
 * import { DenoTcpTransport } from "./deno_transport.ts";
 * const server = await new DenoTcpTransport().listen("127.0.0.1", 0, () => ({
 *   data() {},
 *   close() {},
 * }));
 * await server.close();
 * ```
 * @module
 */
import type {
  SocketEvents,
  Transport,
  TransportServer,
  TransportSocket,
} from "./transport.ts";

const READ_BUFFER_BYTES = 64 * 1024;

class DenoSocket implements TransportSocket {
  readonly remote: string;
  readonly remoteAddress: string;
  #paused: PromiseWithResolvers<void> | null = null;
  readonly #gone = Promise.withResolvers<void>();
  #closed = false;
  #ending = false;
  #writing = 0;

  constructor(readonly conn: Deno.TcpConn) {
    const addr = conn.remoteAddr;
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

  async readLoop(events: SocketEvents): Promise<void> {
    const buffer = new Uint8Array(READ_BUFFER_BYTES);
    let failure: Error | undefined;
    try {
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

/** Listens with `Deno.listen`. */
export class DenoTcpTransport implements Transport {
  /** Starts a listener. */
  listen(
    hostname: string,
    port: number,
    accept: (socket: TransportSocket) => SocketEvents,
  ): Promise<TransportServer> {
    const listener = Deno.listen({ hostname, port, transport: "tcp" });
    const loop = (async () => {
      try {
        for await (const conn of listener) {
          conn.setNoDelay(true);
          conn.setKeepAlive(true);
          const socket = new DenoSocket(conn);
          socket.readLoop(accept(socket));
        }
      } catch (error) {
        if (!(error instanceof Deno.errors.BadResource)) throw error;
      }
    })();
    return Promise.resolve({
      port: (listener.addr as Deno.NetAddr).port,
      close: async () => {
        listener.close();
        await loop;
      },
    });
  }
}
