/**
 * The small interface between the relay and a byte-stream transport.
 *
 * The relay core knows nothing of `node:net`, `Deno.listenTls` or `ws`; a
 * transport (TCP, TLS, WebSocket) hands it sockets and chunks.
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
import type { ErrorCode } from "../../protocol/mod.ts";

/** One accepted connection, as the relay sees it. */
export interface TransportSocket {
  /** `address:port` of the peer, for logs and per-address limits. */
  readonly remote: string;
  /** The peer's IP address alone. */
  readonly remoteAddress: string;
  /**
   * True when the bytes are encrypted on the wire (TLS, WSS). A session on
   * such a socket never has its UDP secret accepted in clear.
   */
  readonly encrypted?: boolean;
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
  /**
   * The transport refused one unit of input without passing it on (a
   * WebSocket message with a `\n` in it): answer with this error line, in
   * order with the rest of the connection's output.
   */
  refuse?(code: ErrorCode, text: string): void;
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
