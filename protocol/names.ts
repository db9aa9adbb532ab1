/**
 * Validation of usernames, passwords, room and group names.
 *
 * Names are UTF-8 text without `:`, `,`, `\n` or other control characters,
 * at most `maxNameBytes` long. A room cannot be named `-1` (that means
 * "leave").
 *
 * @example
 * ```ts
 * import { checkName } from "./names.ts";
 * console.assert(checkName("lobby", 64) === null);
 * console.assert(checkName("a:b", 64) !== null);
 * ```
 * @module
 */

// deno-lint-ignore no-control-regex
const FORBIDDEN = /[:,\u0000-\u001f\u007f]/;

/**
 * Returns why `name` is not a valid name, or `null` when it is.
 * An empty name is invalid; use {@linkcode checkPassword} for passwords.
 */
export function checkName(name: string, maxBytes: number): string | null {
  if (name.length === 0) return "is empty";
  return checkPassword(name, maxBytes);
}

/** Like {@linkcode checkName}, but an empty string is allowed. */
export function checkPassword(text: string, maxBytes: number): string | null {
  if (utf8Length(text) > maxBytes) return `is longer than ${maxBytes} bytes`;
  if (FORBIDDEN.test(text)) return "contains ':', ',' or a control character";
  return null;
}

/** Returns why `room` cannot name a room, or `null` when it can. */
export function checkRoomName(room: string, maxBytes: number): string | null {
  if (room === "-1") return "is reserved for leaving";
  return checkName(room, maxBytes);
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
