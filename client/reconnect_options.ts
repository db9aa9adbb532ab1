/**
 * How a {@linkcode RelayClient} connected with `reconnect` gets back after a
 * drop: retries with exponential backoff and jitter, a heartbeat that finds
 * a connection that died silently, and the bound on the lines it keeps for
 * re-sending. Pure.
 *
 * @example
 * ```ts
 * import { backoffMs, resolveReconnectOptions } from "./reconnect_options.ts";
 * const options = resolveReconnectOptions({ maxDelayMs: 1_000 });
 * console.assert(backoffMs(options, 10, 0.5) <= 1_000);
 * ```
 * @module
 */

/** Options of automatic reconnection; every one has a default. */
export interface ReconnectOptions {
  /** First retry within this long (ms, at random); then doubling. Default 100. */
  readonly minDelayMs?: number;
  /** Longest wait between two tries (ms). Default 5,000. */
  readonly maxDelayMs?: number;
  /**
   * Stop trying after this long without a connection (ms); the client then
   * closes with `session-ended` (code `unreachable`). Default 60,000.
   */
  readonly giveUpAfterMs?: number;
  /**
   * Send a heartbeat (an acknowledgement, which the server answers) when
   * nothing was written for this long (ms). Default 5,000.
   */
  readonly heartbeatMs?: number;
  /**
   * Judge the connection dead when nothing arrived for this long while
   * reading (ms), and reconnect. Default 15,000.
   */
  readonly deadAfterMs?: number;
  /**
   * Bytes of our lines kept until the server acknowledges them (queued
   * sends while disconnected included); past it sends fail with
   * `SendBufferFullError`. Default 4 MiB.
   */
  readonly maxResendBytes?: number;
}

/** {@linkcode ReconnectOptions} with every default filled in. */
export type ResolvedReconnectOptions = Required<ReconnectOptions>;

/** The defaults. */
export const DEFAULT_RECONNECT: ResolvedReconnectOptions = Object.freeze({
  minDelayMs: 100,
  maxDelayMs: 5_000,
  giveUpAfterMs: 60_000,
  heartbeatMs: 5_000,
  deadAfterMs: 15_000,
  maxResendBytes: 4 * 1024 * 1024,
});

/**
 * Fills in defaults; `true` means all of them.
 *
 * @throws {RangeError} when an option is not a positive whole number.
 */
export function resolveReconnectOptions(
  options: ReconnectOptions | true = {},
): ResolvedReconnectOptions {
  const resolved = {
    ...DEFAULT_RECONNECT,
    ...(options === true ? {} : options),
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(
        `reconnect option ${name} must be a positive integer, got ${value}`,
      );
    }
  }
  return resolved;
}

/**
 * How long to wait before try number `attempt` (0 first): up to
 * `minDelayMs` at random at first, then `minDelayMs × 2^attempt` capped at
 * `maxDelayMs`, of which a random half (so that many clients dropped at
 * once do not all come back at once). `random` is in [0, 1).
 */
export function backoffMs(
  options: ResolvedReconnectOptions,
  attempt: number,
  random: number,
): number {
  if (attempt === 0) return Math.floor(random * options.minDelayMs);
  const base = Math.min(
    options.maxDelayMs,
    options.minDelayMs * 2 ** Math.min(attempt, 30),
  );
  return Math.floor(base / 2 + random * base / 2);
}
