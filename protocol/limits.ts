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
  /** Bytes queued for one client before it is cut off as a slow reader. */
  readonly maxOutboundBytes: number;
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
  /** Lines one connection may send per second, on average (a token bucket). */
  readonly maxMessagesPerSecond: number;
  /** Lines one connection may send back to back above that rate. */
  readonly messageBurst: number;
  /**
   * Lines refused for the message rate within 10 seconds before the
   * connection is closed as a flood.
   */
  readonly maxRateRefusals: number;
}

/** The defaults, chosen for game and VR traffic (small, frequent messages). */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxLineBytes: 64 * 1024,
  maxNameBytes: 64,
  maxRecipients: 256,
  maxGroupsPerClient: 64,
  maxGroupMembers: 256,
  maxOutboundBytes: 1024 * 1024,
  maxRooms: 10_000,
  maxDatagramBytes: 1200,
  maxConnections: 10_000,
  maxConnectionsPerAddress: 256,
  maxLoginsPerMinute: 10,
  maxMessagesPerSecond: 200,
  messageBurst: 400,
  maxRateRefusals: 200,
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
