/**
 * Every input limit of the protocol and the server, with its default.
 *
 * Each limit is checked before the input it bounds is buffered or acted on.
 * The protocol reference (docs/protocol.md, "Limits") and the operations
 * guide (docs/operations.md) list the same table, with each `serve` flag.
 *
 * @example
 * ```ts
 * import { DEFAULT_LIMITS, resolveLimits } from "./limits.ts";
 * const limits = resolveLimits({ maxLineBytes: 1024 });
 * console.assert(limits.maxRecipients === DEFAULT_LIMITS.maxRecipients);
 * ```
 */
export interface Limits {
  /** Bytes in one TCP line, not counting its `\n` (a trailing `\r` counts). */
  readonly maxLineBytes: number;
  /** Bytes in a username, password, room or group name. */
  readonly maxNameBytes: number;
  /** Recipients listed in one `3:4` message. */
  readonly maxRecipients: number;
  /** Groups one client may define with `5:`. */
  readonly maxGroupsPerClient: number;
  /** Members in one group. */
  readonly maxGroupMembers: number;
  /**
   * Hard cap on the bytes queued for one client (plus the write in flight):
   * past it the client is cut off, whether it reads or not. Protects memory;
   * back-pressure keeps a reading client far below it.
   */
  readonly maxOutboundBytes: number;
  /**
   * Bytes queued for one client above which whoever sends to it waits: the
   * server stops reading the sender until the queue is below a quarter of
   * this (or the receiver is judged stalled; see `maxHoldMs`). At most half
   * of `maxOutboundBytes` is used, whatever this says.
   */
  readonly outboundHighWater: number;
  /**
   * Bytes queued for all clients together; past it the largest queues of
   * stalled clients are cut first, then the largest queues.
   */
  readonly maxTotalOutboundBytes: number;
  /**
   * Milliseconds a client may have bytes queued without any of them being
   * written (no progress) before it is cut off as stalled.
   */
  readonly stallTimeoutMs: number;
  /**
   * Milliseconds a receiver that makes no progress may hold up the clients
   * sending to it; after that it stops counting for back-pressure until it
   * makes progress again.
   */
  readonly maxHoldMs: number;
  /**
   * Milliseconds a connection may stay without a session (from its opening,
   * or from the end of its last session) before it is closed.
   */
  readonly loginTimeoutMs: number;
  /** Rooms that may exist at once on one server. */
  readonly maxRooms: number;
  /**
   * Bytes in one UDP datagram from a client; larger ones are dropped unread.
   * 1200 keeps a datagram in one IP packet on practically every internet path.
   */
  readonly maxDatagramBytes: number;
  /** Open connections on one server; more are refused at accept. */
  readonly maxConnections: number;
  /** Open connections from one IP address; more are refused at accept. */
  readonly maxConnectionsPerAddress: number;
  /** Login attempts one connection may make per minute (a token bucket). */
  readonly maxLoginsPerMinute: number;
  /**
   * Lines one connection may send per second, on average (a token bucket).
   * Lines over it are delayed (the server stops reading), never refused.
   */
  readonly maxMessagesPerSecond: number;
  /** Lines one connection may send back to back above that rate. */
  readonly messageBurst: number;
  /**
   * Datagrams one UDP channel may send per second, on average (a token
   * bucket); datagrams over it are dropped and counted as `rate-limited`.
   */
  readonly maxDatagramsPerSecond: number;
  /** Datagrams one UDP channel may send back to back above that rate. */
  readonly datagramBurst: number;
  /**
   * Milliseconds a resumable session whose connection dropped is held (in
   * its room and groups, its lines kept) for the client to resume it; then
   * it ends as any session does.
   */
  readonly resumeWindowMs: number;
  /**
   * Bytes of lines a resumable session keeps for its client until they are
   * acknowledged: what it was sent while away, and what is in flight while
   * connected. Past it, an away session ends and a connected one stops
   * being resumable.
   */
  readonly resumeBufferBytes: number;
}

/**
 * The defaults, chosen for game and VR traffic (small, frequent messages).
 * What the server does when each is reached: docs/operations.md, "Pressure".
 */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxLineBytes: 64 * 1024,
  maxNameBytes: 64,
  maxRecipients: 256,
  maxGroupsPerClient: 64,
  maxGroupMembers: 256,
  maxOutboundBytes: 8 * 1024 * 1024,
  outboundHighWater: 256 * 1024,
  maxTotalOutboundBytes: 256 * 1024 * 1024,
  stallTimeoutMs: 5_000,
  maxHoldMs: 1_000,
  loginTimeoutMs: 30_000,
  maxRooms: 10_000,
  maxDatagramBytes: 1200,
  maxConnections: 10_000,
  maxConnectionsPerAddress: 256,
  maxLoginsPerMinute: 10,
  maxMessagesPerSecond: 1_000,
  messageBurst: 1_000,
  maxDatagramsPerSecond: 1_000,
  datagramBurst: 1_000,
  resumeWindowMs: 30_000,
  resumeBufferBytes: 1024 * 1024,
});

/**
 * Fills in defaults and rejects limits that are not positive whole numbers.
 *
 * @throws {RangeError} when a limit is not a positive safe integer.
 */
export function resolveLimits(overrides: Partial<Limits> = {}): Limits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(
        `limit ${name} must be a positive integer, got ${value}`,
      );
    }
  }
  return limits;
}
