/**
 * Field values as wire tokens: one token per value, never holding a space,
 * a `:` or a newline (docs/network-objects.md, "Values").
 *
 * | type | token |
 * |---|---|
 * | `n` number | shortest round-trip decimal (`1.5`, `-0`, `1e+21`, `NaN`, `Infinity`) |
 * | `s` string | UTF-8 with `%XX` escapes; `~` is the empty string |
 * | `b` boolean | `1` or `0` |
 * | `x` bytes | base64url without padding (padding accepted); `~` is no bytes |
 * | `v` vector | numbers joined by `,`; `~` is the empty vector |
 *
 * @example
 * ```ts
 * import { decodeValue, encodeValue } from "./value_codec.ts";
 * console.assert(encodeValue("s", "a b") === "a%20b");
 * console.assert(encodeValue("v", [1.5, 0, -2]) === "1.5,0,-2");
 * console.assert((decodeValue("v", "1.5,0,-2") as number[])[2] === -2);
 * ```
 * @module
 */
import {
  FieldType,
  type FieldValue,
  MAX_VECTOR_LENGTH,
} from "./field_value.ts";
import { WireFormatError } from "./scene_errors.ts";

/** The token of an empty string, byte array or vector. */
export const EMPTY = "~";

/**
 * A number token: JSON's number grammar (RFC 8259 §6), the exponent's sign
 * optional. No `.5`, `1.`, `00012` or `+1`.
 */
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const HEX = "0123456789ABCDEF";
const utf8 = new TextEncoder();
// ignoreBOM: a string field that starts with U+FEFF keeps it.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The token of `value`, a value of `type` (see {@linkcode checkedValue}). */
export function encodeValue(type: FieldType, value: FieldValue): string {
  switch (type) {
    case FieldType.Number:
      return encodeNumber(value as number);
    case FieldType.String:
      return encodeString(value as string);
    case FieldType.Boolean:
      return value ? "1" : "0";
    case FieldType.Bytes: {
      const bytes = value as Uint8Array;
      if (bytes.length === 0) return EMPTY;
      return bytes.toBase64({ alphabet: "base64url", omitPadding: true });
    }
    case FieldType.Vector: {
      const vector = value as readonly number[];
      return vector.length === 0 ? EMPTY : vector.map(encodeNumber).join(",");
    }
  }
}

/**
 * The value of a token of `type`.
 *
 * @throws {WireFormatError} when the token is not one `encodeValue` could make.
 */
export function decodeValue(type: FieldType, token: string): FieldValue {
  switch (type) {
    case FieldType.Number:
      return decodeNumber(token);
    case FieldType.String:
      return token === EMPTY ? "" : decodeString(token);
    case FieldType.Boolean:
      if (token === "1") return true;
      if (token === "0") return false;
      throw new WireFormatError(
        `boolean ${JSON.stringify(token)} is not 1 or 0`,
      );
    case FieldType.Bytes:
      if (token === EMPTY) return new Uint8Array(0);
      return decodeBytes(token);
    case FieldType.Vector: {
      if (token === EMPTY) return Object.freeze([]);
      const parts = token.split(",");
      if (parts.length > MAX_VECTOR_LENGTH) {
        throw new WireFormatError(
          `vector of ${parts.length} components, over ${MAX_VECTOR_LENGTH}`,
        );
      }
      return Object.freeze(parts.map(decodeNumber));
    }
  }
}

/** A number in its shortest round-trip form; `-0` keeps its sign. */
export function encodeNumber(x: number): string {
  return Object.is(x, -0) ? "-0" : String(x);
}

function decodeNumber(token: string): number {
  if (NUMBER.test(token)) {
    const n = Number(token);
    // `1e400` reads as Infinity: the sender meant no number a double holds.
    if (Number.isFinite(n)) return n;
    throw new WireFormatError(`${JSON.stringify(token)} overflows a double`);
  }
  if (token === "NaN") return NaN;
  if (token === "Infinity") return Infinity;
  if (token === "-Infinity") return -Infinity;
  throw new WireFormatError(`${JSON.stringify(token)} is not a number`);
}

/** Bytes `%XX`-escaped: controls, space, `%`, `:`, `~` and DEL. */
function mustEscape(code: number): boolean {
  return code <= 0x20 || code === 0x25 || code === 0x3a || code === 0x7e ||
    code === 0x7f;
}

function encodeString(text: string): string {
  if (text === "") return EMPTY;
  let plain = true;
  for (let i = 0; i < text.length && plain; i++) {
    plain = !mustEscape(text.charCodeAt(i));
  }
  if (plain) return text;
  let out = "";
  for (const char of text) {
    const code = char.charCodeAt(0);
    out += code < 0x80 && mustEscape(code)
      ? `%${HEX[code >> 4]}${HEX[code & 15]}`
      : char;
  }
  return out;
}

function decodeString(token: string): string {
  if (token === "") {
    throw new WireFormatError("an empty token (the empty string is ~)");
  }
  if (!token.includes("%")) {
    checkUnescaped(token);
    return token;
  }
  const bytes = utf8.encode(token);
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte !== 0x25) {
      if (mustEscape(byte)) throw unescaped(byte);
      out[n++] = byte;
      continue;
    }
    const high = hexDigit(bytes[i + 1]);
    const low = hexDigit(bytes[i + 2]);
    if (high < 0 || low < 0) {
      throw new WireFormatError(`bad %-escape in ${JSON.stringify(token)}`);
    }
    out[n++] = high * 16 + low;
    i += 2;
  }
  try {
    return strictUtf8.decode(out.subarray(0, n));
  } catch (cause) {
    throw Object.assign(
      new WireFormatError("string escapes are not UTF-8"),
      { cause },
    );
  }
}

function checkUnescaped(token: string): void {
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code < 0x80 && mustEscape(code)) throw unescaped(code);
  }
}

function unescaped(code: number): WireFormatError {
  return new WireFormatError(
    `byte 0x${code.toString(16)} must be %-escaped in a string`,
  );
}

function hexDigit(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

function decodeBytes(token: string): Uint8Array {
  const padded = token.endsWith("=");
  if (
    !BASE64URL.test(token) || token.length % 4 === 1 ||
    (padded && token.length % 4 !== 0)
  ) {
    throw new WireFormatError(`${JSON.stringify(token)} is not base64url`);
  }
  return Uint8Array.fromBase64(token, {
    alphabet: "base64url",
    lastChunkHandling: "loose",
  });
}
