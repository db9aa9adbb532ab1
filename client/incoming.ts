/**
 * One line from the server as the client hands it on: the decoded message
 * and the raw bytes.
 *
 * @example
 * ```ts
 * import { decodeIncoming, payloadText } from "./incoming.ts";
 * const incoming = decodeIncoming(new TextEncoder().encode("3:7:hello"));
 * if (incoming.message.kind === "message") {
 *   console.assert(payloadText(incoming.message.payload) === "hello");
 * }
 * ```
 * @module
 */
import { decodeServerLine, type ServerMessage } from "../protocol/mod.ts";

/**
 * A line this version of the protocol does not know (a newer server's line
 * type, or a malformed one). The library ignores it; it is still delivered.
 */
export interface UnknownLine {
  readonly kind: "unknown";
  /** Why it could not be decoded. */
  readonly reason: string;
}

/** A line received from the server. */
export interface Incoming {
  /** The typed message; switch on `message.kind`. */
  readonly message: ServerMessage | UnknownLine;
  /** The line as received, without its `\n`; the client's own copy. */
  readonly raw: Uint8Array;
  /** `"udp"` for a message that came as a datagram; absent for TCP lines. */
  readonly via?: "udp";
}

/** Lossy, but keeping a leading BOM: payloads are the bytes as sent. */
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Decodes a line into an {@linkcode Incoming}. `line` is copied, so the
 * result (and a message's payload, a view of the copy) may be kept.
 */
export function decodeIncoming(line: Uint8Array): Incoming {
  const raw = line.slice();
  const decoded = decodeServerLine(raw);
  const message = decoded.kind === "invalid"
    ? { kind: "unknown" as const, reason: decoded.reason }
    : decoded;
  return { message, raw };
}

/** A payload (or a raw line) as text; invalid UTF-8 becomes U+FFFD. */
export function payloadText(payload: Uint8Array): string {
  return utf8.decode(payload);
}
