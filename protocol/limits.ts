/**
 * Every input limit of the protocol and the server, with its default.
 *
 * Each limit is checked before the input it bounds is buffered or acted on.
 * The operations guide (docs/protocol.md, "Limits") lists the same table.
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
