/**
 * Which ends of a connection leave its resumable session held rather than
 * ended.
 *
 * @example
 * ```ts
 * import { HOLD_REASONS } from "./hold_reasons.ts";
 * console.assert(HOLD_REASONS.has("disconnected"));
 * ```
 * @module
 */

/**
 * Why a connection may end and leave its session held: the network or the
 * client went away, or stopped reading. Anything else (a protocol error, a
 * new login, the outbound budget, a shutdown, an administrator) ends it.
 */
export const HOLD_REASONS: ReadonlySet<string> = new Set([
  "disconnected",
  "client closed its side",
  "stalled",
  "idle timeout",
  "outbound cap",
]);
