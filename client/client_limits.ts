/**
 * Every limit of the client library, with its default.
 *
 * @example
 * ```ts
 * import { DEFAULT_CLIENT_LIMITS, resolveClientLimits } from "./client_limits.ts";
 * const limits = resolveClientLimits({ requestTimeoutMs: 2_000 });
 * console.assert(limits.maxLineBytes === DEFAULT_CLIENT_LIMITS.maxLineBytes);
 * ```
 * @module
 */
import { DEFAULT_LIMITS } from "../protocol/mod.ts";

/** The client's limits. */
export interface ClientLimits {
  /** Longest line the client sends, `\n` not counted (the server's default cap). */
  readonly maxLineBytes: number;
  /**
   * Longest line accepted from the server. Larger than the server's own
   * line cap: relayed lines gain a `3:<id>:` header, and a room list of
   * thousands of rooms is one line.
   */
  readonly maxIncomingLineBytes: number;
  /** Bytes waiting to be written before sends fail with SendBufferFullError. */
  readonly maxPendingBytes: number;
  /** Messages one `messages()` iterator holds before reading pauses. */
  readonly maxBufferedMessages: number;
  /** How long login, listRooms, join and leave wait for their answer. */
  readonly requestTimeoutMs: number;
  /** How long connecting may take. */
  readonly connectTimeoutMs: number;
}

/** The defaults. */
export const DEFAULT_CLIENT_LIMITS: Readonly<ClientLimits> = Object.freeze({
  maxLineBytes: DEFAULT_LIMITS.maxLineBytes,
  maxIncomingLineBytes: 1024 * 1024,
  maxPendingBytes: 1024 * 1024,
  maxBufferedMessages: 10_000,
  requestTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
});

/**
 * Fills in defaults and rejects limits that are not positive whole numbers.
 *
 * @throws {RangeError} when a limit is not a positive safe integer.
 */
export function resolveClientLimits(
  overrides: Partial<ClientLimits> = {},
): ClientLimits {
  const limits = { ...DEFAULT_CLIENT_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(
        `client limit ${name} must be a positive integer, got ${value}`,
      );
    }
  }
  return limits;
}
