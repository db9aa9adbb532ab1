/**
 * Checks of what the library is asked to send, so that a bad argument is an
 * {@linkcode InvalidArgumentError} here instead of a refusal (or a closed
 * connection) from the server.
 *
 * @example
 * ```ts
 * import { toPayload } from "./validate.ts";
 * console.assert(toPayload("hi").length === 2);
 * try {
 *   toPayload("two\nlines");
 * } catch (error) {
 *   console.assert((error as { code: string }).code === "invalid-argument");
 * }
 * ```
 * @module
 */
import {
  checkName,
  checkPassword,
  checkRoomName,
  DEFAULT_LIMITS,
} from "../protocol/mod.ts";
import { InvalidArgumentError } from "./errors.ts";

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const utf8 = new TextEncoder();
/** Ids the decoder accepts: up to 15 digits. */
const MAX_ID = 999_999_999_999_999;

/** Throws unless `name` is a valid user or group name. */
export function checkNameArg(what: string, name: string): void {
  const why = checkName(name, DEFAULT_LIMITS.maxNameBytes);
  if (why !== null) throw new InvalidArgumentError(`${what} ${why}`);
}

/** Throws unless `room` can name a room. */
export function checkRoomArg(room: string): void {
  const why = checkRoomName(room, DEFAULT_LIMITS.maxNameBytes);
  if (why !== null) throw new InvalidArgumentError(`room name ${why}`);
}

/** Throws unless `password` can be sent. */
export function checkPasswordArg(password: string): void {
  const why = checkPassword(password, DEFAULT_LIMITS.maxNameBytes);
  if (why !== null) throw new InvalidArgumentError(`password ${why}`);
}

/** Throws unless every id is a session id and there are 1 to `max` of them. */
export function checkIds(what: string, ids: readonly number[], max: number) {
  if (ids.length > max) {
    throw new InvalidArgumentError(`more than ${max} ${what}`);
  }
  for (const id of ids) {
    if (!Number.isSafeInteger(id) || id < 0 || id > MAX_ID) {
      throw new InvalidArgumentError(`${what}: ${id} is not a session id`);
    }
  }
}

/**
 * A payload as bytes. Strings are UTF-8 encoded; bytes are used as given.
 *
 * @throws {InvalidArgumentError} when it holds `\n` or ends with `\r`
 *   (the server would split the line, or drop the `\r`).
 */
export function toPayload(payload: string | Uint8Array): Uint8Array {
  const bytes = typeof payload === "string" ? utf8.encode(payload) : payload;
  if (bytes.includes(LF)) {
    throw new InvalidArgumentError(
      "a payload cannot contain a newline; base64-encode binary data",
    );
  }
  if (bytes.length > 0 && bytes[bytes.length - 1] === CR) {
    throw new InvalidArgumentError(
      "a payload cannot end with \\r (the server drops it)",
    );
  }
  return bytes;
}

/**
 * Throws when a `3:4` payload starts with digits and a `:`: the server
 * would read those digits as one more recipient.
 */
export function checkUsersPayload(payload: Uint8Array): void {
  let i = 0;
  while (i < payload.length && payload[i]! >= 0x30 && payload[i]! <= 0x39) i++;
  if (i > 0 && i < payload.length && payload[i] === COLON) {
    throw new InvalidArgumentError(
      "a message to users cannot start with digits and ':' (they would be read as a user id); encode it, e.g. base64",
    );
  }
}

/** Throws when an encoded line (with its `\n`) is over `maxLineBytes`. */
export function checkLineLength(frame: Uint8Array, maxLineBytes: number): void {
  if (frame.length - 1 > maxLineBytes) {
    throw new InvalidArgumentError(
      `line of ${frame.length - 1} bytes is over the limit of ${maxLineBytes}`,
    );
  }
}
