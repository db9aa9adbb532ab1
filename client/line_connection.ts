/**
 * What {@linkcode RelayClient} needs from a connection to a server, whatever
 * carries it: TCP or TLS from Deno (tcp_connection.ts), a WebSocket in a
 * browser or in Deno (ws_connection.ts). Lines go out with their `\n` and
 * come in without it.
 *
 * @example
 * ```ts
 * import type { LineConnection } from "./line_connection.ts";
 * const sendHello = (conn: LineConnection) =>
 *   conn.write(new TextEncoder().encode("1:\n"));
 * console.assert(typeof sendHello === "function");
 * ```
 * @module
 */

/** How the connection ended. */
export interface CloseInfo {
  /** True when `close()` was called; false when the server or network ended it. */
  readonly byClient: boolean;
  /** The transport's error, when there was one. */
  readonly error?: Error;
}

/** What every connection is opened with. */
export interface LineConnectionOptions {
  /** Longest incoming line; a longer one ends the connection. */
  readonly maxLineBytes: number;
  /** Bytes queued to be written before writes fail with SendBufferFullError. */
  readonly maxPendingBytes: number;
  /** How long connecting may take. */
  readonly connectTimeoutMs: number;
  /**
   * Lines received while the consumer is behind (`ready()` pending) that a
   * transport which cannot stop reading (a browser's WebSocket) may hold;
   * past it the connection is closed rather than growing without bound.
   */
  readonly maxHeldLines: number;
  /** Each line, without `\n`; valid only during the call. */
  onLine(line: Uint8Array): void;
  /** Asked before each read; a promise pauses reading until it settles. */
  ready(): Promise<void> | undefined;
}

/** One open connection to a relay server that carries lines. */
export interface LineConnection {
  /** Resolves once the connection has ended, for whatever reason. */
  readonly closed: Promise<CloseInfo>;
  /** True once closing has begun or the connection has ended. */
  readonly isClosed: boolean;
  /** Bytes accepted by {@linkcode write} and not yet handed to the network. */
  readonly pendingBytes: number;
  /**
   * Queues `bytes` (whole lines, each with its `\n`); resolves once they are
   * handed on.
   *
   * @throws {SendBufferFullError} past `maxPendingBytes`.
   * @throws {ConnectionClosedError} when the connection has ended.
   */
  write(bytes: Uint8Array): Promise<void>;
  /**
   * Ends the conversation: writes what is queued, then closes, delivering
   * what the server still sends where the transport allows. Bounded in time.
   */
  close(): Promise<CloseInfo>;
}
