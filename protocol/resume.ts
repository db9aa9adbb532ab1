/**
 * The lines of resumable sessions (type `7`, both directions): turning
 * resume on and off, acknowledging lines, and resuming a session on a new
 * connection. They are the protocol's control lines: **a line whose first
 * byte is `7` is never counted** (in either direction) and never replayed;
 * every other line is, empty lines, notices and errors included. The away
 * and back notices (`6:<id>:away`, `6:<id>:back`) are ordinary counted lines
 * (see messages.ts). docs/protocol.md, "Resuming a session", is the
 * reference.
 *
 * | line                        | from   | meaning                                                        |
 * | --------------------------- | ------ | -------------------------------------------------------------- |
 * | `7:`                        | client | make my session resumable                                      |
 * | `7:<n>`                     | client | I have received `n` of your lines (answered by the server's)   |
 * | `7:<id>:<token>:<n>`        | client | resume session `id`; I have received `n` of its lines          |
 * | `7:-1`                      | client | my session is no longer resumable                              |
 * | `7:<id>:<n>:<token>[:<s>]`  | server | resumable: I have `n` of your lines; the token (UDP secret `s`) |
 * | `7:<n>`                     | server | I have received `n` of your lines                              |
 * | `7:-1`                      | server | your session is no longer resumable                            |
 *
 * @example
 * ```ts
 * import { decodeResumeClientLine, encodeResumeLine } from "./resume.ts";
 * const line = encodeResumeLine({ kind: "resume", id: 7, token: "0".repeat(32), count: 12 });
 * const msg = decodeResumeClientLine(line.subarray(0, line.length - 1));
 * console.assert(msg.kind === "resume" && msg.count === 12);
 * ```
 * @module
 */
import {
  COLON,
  commandOf,
  type DecodeFailure,
  fail,
  fieldEnd,
  parseId,
} from "./fields.ts";
import { ErrorCode } from "./messages.ts";

/** The first byte of every resume line: `7`. */
export const RESUME_BYTE = 0x37;

/** Hex digits in a resume token (128 random bits). */
export const RESUME_TOKEN_LENGTH = 32;

/**
 * Whether `line` counts for resume (is numbered, acknowledged and replayed):
 * every line does except the resume lines themselves.
 */
export function countsForResume(line: Uint8Array): boolean {
  return line[0] !== RESUME_BYTE;
}

/** A resume line from a client. */
export type ResumeClientMessage =
  | { readonly kind: "resume-on" }
  | { readonly kind: "resume-off" }
  | { readonly kind: "ack"; readonly count: number }
  | {
    readonly kind: "resume";
    readonly id: number;
    readonly token: string;
    readonly count: number;
  };

/** A resume line from the server. */
export type ResumeServerMessage =
  | {
    readonly kind: "resumable";
    readonly id: number;
    /** Lines of the client's the server has (0 when resume was just turned on). */
    readonly count: number;
    readonly token: string;
    /** The new UDP secret, after a resume on a server that offers UDP. */
    readonly udpSecret?: string;
  }
  | { readonly kind: "ack"; readonly count: number }
  | { readonly kind: "resume-off" };

const utf8 = new TextEncoder();
const MINUS = 0x2d;
const ONE = 0x31;

/** Encodes a resume line of either side, `\n` included. */
export function encodeResumeLine(
  msg: ResumeClientMessage | ResumeServerMessage,
): Uint8Array {
  switch (msg.kind) {
    case "resume-on":
      return utf8.encode("7:\n");
    case "resume-off":
      return utf8.encode("7:-1\n");
    case "ack":
      return utf8.encode(`7:${msg.count}\n`);
    case "resume":
      return utf8.encode(`7:${msg.id}:${msg.token}:${msg.count}\n`);
    case "resumable":
      return utf8.encode(
        `7:${msg.id}:${msg.count}:${msg.token}${
          msg.udpSecret === undefined ? "" : `:${msg.udpSecret}`
        }\n`,
      );
  }
}

/** Whether `line[start, end)` is a token: 32 lowercase hex digits. */
function isToken(line: Uint8Array, start: number, end: number): boolean {
  if (end - start !== RESUME_TOKEN_LENGTH) return false;
  for (let i = start; i < end; i++) {
    const c = line[i]!;
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

function ascii(line: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...line.subarray(start, end));
}

function isMinusOne(line: Uint8Array, start: number): boolean {
  return line.length === start + 2 && line[start] === MINUS &&
    line[start + 1] === ONE;
}

/**
 * Decodes a client line whose first byte is `7` (without its `\n`).
 * `7` alone is `7:`.
 */
export function decodeResumeClientLine(
  line: Uint8Array,
): ResumeClientMessage | DecodeFailure {
  if (line.length === 1 || (line.length === 2 && line[1] === COLON)) {
    return { kind: "resume-on" };
  }
  const usage = fail(
    "7",
    ErrorCode.Malformed,
    "expected 7:, 7:<count>, 7:<id>:<token>:<count> or 7:-1",
  );
  if (line[1] !== COLON) {
    return fail(commandOf(line), ErrorCode.UnknownCommand, "unknown command");
  }
  if (isMinusOne(line, 2)) return { kind: "resume-off" };
  const first = fieldEnd(line, 2);
  const number = parseId(line, 2, first);
  if (number === -1) return usage;
  if (first === line.length) return { kind: "ack", count: number };
  const tokenEnd = fieldEnd(line, first + 1);
  if (tokenEnd === line.length || !isToken(line, first + 1, tokenEnd)) {
    return usage;
  }
  const count = parseId(line, tokenEnd + 1, line.length);
  if (count === -1) return usage;
  return {
    kind: "resume",
    id: number,
    token: ascii(line, first + 1, tokenEnd),
    count,
  };
}

/** Decodes a server line whose first byte is `7` (without its `\n`); null if malformed. */
export function decodeResumeServerLine(
  line: Uint8Array,
): ResumeServerMessage | null {
  if (line.length < 3 || line[0] !== RESUME_BYTE || line[1] !== COLON) {
    return null;
  }
  if (isMinusOne(line, 2)) return { kind: "resume-off" };
  const first = fieldEnd(line, 2);
  const number = parseId(line, 2, first);
  if (number === -1) return null;
  if (first === line.length) return { kind: "ack", count: number };
  const countEnd = fieldEnd(line, first + 1);
  const count = parseId(line, first + 1, countEnd);
  if (count === -1 || countEnd === line.length) return null;
  const tokenEnd = fieldEnd(line, countEnd + 1);
  if (!isToken(line, countEnd + 1, tokenEnd)) return null;
  const token = ascii(line, countEnd + 1, tokenEnd);
  if (tokenEnd === line.length) {
    return { kind: "resumable", id: number, count, token };
  }
  const udpSecret = ascii(line, tokenEnd + 1, line.length);
  return udpSecret === ""
    ? { kind: "resumable", id: number, count, token }
    : { kind: "resumable", id: number, count, token, udpSecret };
}
