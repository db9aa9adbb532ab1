/**
 * The small interface between the relay and a byte-stream transport.
 *
 * The relay core knows nothing of `node:net` or `Deno.listen`; a transport
 * (TCP today, TLS and WebSocket later) hands it sockets and chunks.
 *
 * @example
 * ```ts
 * import type { Transport } from "./transport.ts";
 * const echo = async (t: Transport) =>
 *   await t.listen("127.0.0.1", 0, (socket) => ({
 *     data: (chunk) => socket.write(chunk, () => {}),
 *     close: () => {},
 *   }));
 * ```
 * @module
 */

/** One accepted connection, as the relay sees it. */
export interface TransportSocket {
  /** `address:port` of the peer, for logs and per-address limits. */
  readonly remote: string;
  /** The peer's IP address alone. */
  readonly remoteAddress: string;
  /**
   * Writes `data`; `done` runs once the bytes are handed to the kernel (or
   * the write failed). The caller keeps at most one write in flight.
   */
  write(data: Uint8Array, done: (error?: Error | null) => void): void;
  /** Stops delivering chunks until {@linkcode resume}. */
  pause(): void;
  /** Resumes delivering chunks. */
  resume(): void;
  /** Closes after the writes already made. */
  end(): void;
  /** Closes at once, dropping unsent bytes. */
  destroy(): void;
}

/** What the relay does with a socket's events. */
export interface SocketEvents {
  /** A chunk arrived; it may be reused after the call returns. */
  data(chunk: Uint8Array): void;
  /**
   * The peer closed its sending side (half-close): no more chunks will come.
   * Without this handler the transport closes the socket after its writes.
   */
  end?(): void;
  /** The socket is closed, for whatever reason; called exactly once. */
  close(error?: Error): void;
}

/** A listening transport. */
export interface TransportServer {
  /** The port actually bound (useful after listening on port 0). */
  readonly port: number;
  /** Stops accepting; open sockets are left to their owners. */
  close(): Promise<void>;
}

/** Something that can accept byte-stream connections. */
export interface Transport {
  /** Listens; resolves once connections are accepted. */
  listen(
    hostname: string,
    port: number,
    accept: (socket: TransportSocket) => SocketEvents,
  ): Promise<TransportServer>;
}
