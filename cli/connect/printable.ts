/**
 * Bytes from the network made safe to print: control characters and
 * invalid UTF-8 are escaped, so a payload can never move the cursor or
 * change the terminal's colours. Invisible characters that make look-alike
 * names (a BOM, zero-width spaces, direction marks) are shown as `\u{…}`:
 * names are exact bytes, and `\u{feff}ada` is not `ada`. Payloads that are base64 of text are
 * decoded for people.
 *
 * @example
 * ```ts
 * import { describePayload, printable } from "./printable.ts";
 * const bytes = (s: string) => new TextEncoder().encode(s);
 * console.assert(printable(bytes("a\u001b[2Jb")) === "a\\x1b[2Jb");
 * console.assert(describePayload(bytes("aGVsbG8gYWRh")) === 'aGVsbG8gYWRh (base64 of "hello ada")');
 * ```
 * @module
 */

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/** Invisible or direction-changing: zero-width space, marks, bidi controls, BOM. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;
const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Explanations quote at most this much of a payload. */
export const MAX_QUOTED_CHARS = 200;

function hex(code: number): string {
  return `\\x${code.toString(16).padStart(2, "0")}`;
}

/** UTF-8 text, or null when the bytes are not valid UTF-8. */
function utf8(bytes: Uint8Array): string | null {
  try {
    return strict.decode(bytes);
  } catch {
    return null;
  }
}

/** The bytes as printable text: UTF-8 with control characters as `\xNN`. */
export function printable(bytes: Uint8Array): string {
  const text = utf8(bytes);
  if (text !== null) {
    return text.replace(CONTROL, (c) => hex(c.charCodeAt(0))).replace(
      INVISIBLE,
      (c) => `\\u{${c.charCodeAt(0).toString(16)}}`,
    );
  }
  let out = "";
  for (const b of bytes) {
    out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : hex(b);
  }
  return out;
}

/** True for UTF-8 text without control characters (tabs allowed). */
function isText(text: string | null): text is string {
  return text !== null &&
    // deno-lint-ignore no-control-regex
    !/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\ufffd]/.test(text);
}

/** Decodes base64 (standard or URL-safe) of text; null when it is not that. */
export function base64Text(text: string): string | null {
  if (text.length < 4) return null;
  const standard = BASE64.test(text);
  if (!standard && !(BASE64URL.test(text) && text.length % 4 !== 1)) {
    return null;
  }
  let bytes: Uint8Array;
  try {
    const b64 = standard
      ? text
      : text.replaceAll("-", "+").replaceAll("_", "/");
    const padded = b64 + "=".repeat((4 - (b64.length % 4)) % 4);
    bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
  const decoded = utf8(bytes);
  return isText(decoded) && /\S/.test(decoded) ? decoded : null;
}

function quote(text: string): string {
  return text.length > MAX_QUOTED_CHARS
    ? text.slice(0, MAX_QUOTED_CHARS) + "…"
    : text;
}

/**
 * A payload for people: its text, plus the decoded text when it is base64
 * of printable text; a byte count when it is binary.
 */
export function describePayload(payload: Uint8Array): string {
  if (payload.length === 0) return "(empty)";
  const text = utf8(payload);
  if (!isText(text)) return `${payload.length} bytes of binary data`;
  const decoded = base64Text(text);
  return decoded === null
    ? quote(text)
    : `${quote(text)} (base64 of ${JSON.stringify(quote(decoded))})`;
}
