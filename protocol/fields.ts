/**
 * Field-level helpers shared by the client-line and server-line decoders:
 * ids, text fields, field boundaries and the failure value.
 *
 * @example
 * ```ts
 * import { fieldEnd, parseId } from "./fields.ts";
 * const line = new TextEncoder().encode("42:rest");
 * console.assert(parseId(line, 0, fieldEnd(line, 0)) === 42);
 * ```
 * @module
 */
import type { Limits } from "./limits.ts";
import type { ErrorCode } from "./messages.ts";

/** Why a line could not be decoded; becomes the error line `9:...`. */
export interface DecodeFailure {
  readonly kind: "invalid";
  /** The refused command's number, or `?` when it has none. */
  readonly command: string;
  readonly code: ErrorCode;
  readonly reason: string;
}

/** The limits the decoder enforces. */
export type DecodeLimits = Pick<
  Limits,
  "maxNameBytes" | "maxRecipients" | "maxGroupMembers"
>;

/** `:` */
export const COLON = 0x3a;
/** `0` */
export const ZERO = 0x30;
/** `9` */
export const NINE = 0x39;
/** Ids stay exact doubles. */
const MAX_ID_DIGITS = 15;
/**
 * Strict, and keeping a leading BOM: `new TextDecoder()` drops a U+FEFF at
 * the start of what it decodes, which would make `\uFEFFada` log in as `ada`.
 * Names are the exact bytes on the wire.
 */
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A {@linkcode DecodeFailure}. */
export function fail(
  command: string,
  code: ErrorCode,
  reason: string,
): DecodeFailure {
  return { kind: "invalid", command, code, reason };
}

/** Parses `line[start, end)` as a non-negative id, or returns -1. */
export function parseId(line: Uint8Array, start: number, end: number): number {
  if (end <= start || end - start > MAX_ID_DIGITS) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = line[i]!;
    if (c < ZERO || c > NINE) return -1;
    value = value * 10 + (c - ZERO);
  }
  return value;
}

/** `line[start, end)` as UTF-8 text, or null when it is not UTF-8. */
export function text(
  line: Uint8Array,
  start: number,
  end: number,
): string | null {
  try {
    return utf8.decode(line.subarray(start, end));
  } catch {
    return null;
  }
}

/** Index of the next `:` at or after `from`, or `line.length`. */
export function fieldEnd(line: Uint8Array, from: number): number {
  const i = line.indexOf(COLON, from);
  return i === -1 ? line.length : i;
}

/** The command number for error lines: the first field if it is short and numeric. */
export function commandOf(line: Uint8Array): string {
  const end = fieldEnd(line, 0);
  return end >= 1 && end <= 3 && parseId(line, 0, end) !== -1
    ? text(line, 0, end)!
    : "?";
}
