/**
 * The bench's client socket, over `node:net` or `Deno.connect` (to measure
 * the generator's own overhead with each).
 *
 * @example
 * ```ts
 * import { connectSim } from "./sim_socket.ts";
 * console.assert(typeof connectSim === "function");
 * ```
 * @module
 */
import net from "node:net";

/** What a simulated client needs of its connection. */
export interface SimSocket {
  write(data: Uint8Array | string): void;
  destroy(): void;
}

/** Callbacks of a {@linkcode SimSocket}. */
export interface SimSocketEvents {
  data(chunk: Uint8Array): void;
  close(): void;
}

/** Which client socket API to use. */
export type SocketApi = "node" | "deno";

const enc = new TextEncoder();

/** Opens a connection with the chosen API. */
export function connectSim(
  api: SocketApi,
  host: string,
  port: number,
  events: SimSocketEvents,
): SimSocket {
  if (api === "node") {
    const socket = net.connect(port, host);
    // Set once connected: before that Deno's node:net may not apply it, and
    // Nagle's algorithm with delayed ACKs would add ~40 ms to paced sends.
    socket.on("connect", () => socket.setNoDelay(true));
    socket.on("data", (chunk: Uint8Array) => events.data(chunk));
    socket.on("error", () => {});
    socket.on("close", () => events.close());
    return {
      write: (data) => socket.write(data),
      destroy: () => socket.destroy(),
    };
  }
  return new DenoSimSocket(host, port, events);
}

class DenoSimSocket implements SimSocket {
  #conn: Deno.TcpConn | null = null;
  #queue: Uint8Array[] = [];
  #writing = false;
  #closed = false;

  constructor(host: string, port: number, readonly events: SimSocketEvents) {
    Deno.connect({ hostname: host, port }).then((conn) => {
      conn.setNoDelay(true);
      this.#conn = conn;
      if (this.#closed) conn.close();
      else {
        this.#pump();
        this.#read(conn);
      }
    }, () => this.events.close());
  }

  write(data: Uint8Array | string): void {
    this.#queue.push(typeof data === "string" ? enc.encode(data) : data);
    this.#pump();
  }

  async #pump(): Promise<void> {
    if (this.#writing || this.#conn === null) return;
    this.#writing = true;
    try {
      while (this.#queue.length > 0 && !this.#closed) {
        const parts = this.#queue.splice(0);
        let data = parts[0]!;
        if (parts.length > 1) {
          data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
          let offset = 0;
          for (const p of parts) {
            data.set(p, offset);
            offset += p.length;
          }
        }
        let offset = 0;
        while (offset < data.length) {
          offset += await this.#conn.write(data.subarray(offset));
        }
      }
    } catch {
      this.destroy();
    } finally {
      this.#writing = false;
    }
  }

  async #read(conn: Deno.TcpConn): Promise<void> {
    const buffer = new Uint8Array(64 * 1024);
    try {
      while (true) {
        const n = await conn.read(buffer);
        if (n === null) break;
        this.events.data(buffer.subarray(0, n));
      }
    } catch {
      // reset: same as closed
    }
    this.destroy();
    this.events.close();
  }

  destroy(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn?.close();
    } catch {
      // already closed
    }
  }
}
