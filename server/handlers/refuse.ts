/**
 * The error line for a refused command.
 *
 * @example
 * ```ts
 * import { errorFrame } from "./refuse.ts";
 * const frame = errorFrame("2", "wrong-password", "room x needs its password");
 * console.assert(new TextDecoder().decode(frame).startsWith("9:2:wrong-password:"));
 * ```
 * @module
 */
import { encodeServerMessage, type ErrorCode } from "../../protocol/mod.ts";
import type { Peer } from "../sessions/peer.ts";

/** Encodes `9:<command>:<code>:<text>`. */
export function errorFrame(
  command: string,
  code: ErrorCode,
  text: string,
): Uint8Array {
  return encodeServerMessage({ kind: "error", command, code, text });
}

/** Sends the error line to `to`. */
export function refuse(
  to: Peer,
  command: string,
  code: ErrorCode,
  text: string,
): void {
  to.send(errorFrame(command, code, text));
}
