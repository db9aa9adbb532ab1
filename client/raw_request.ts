/**
 * What answer a raw line will get, so that the request queue can wait for
 * it and never mistake it for the answer to one of the library's requests.
 * Decoded with the same decoder (and default limits) as the server's. Pure.
 *
 * @example
 * ```ts
 * import { rawRequest } from "./raw_request.ts";
 * const line = new TextEncoder().encode("2:lobby");
 * console.assert(rawRequest(line, false)?.kind === "join");
 * console.assert(rawRequest(new TextEncoder().encode("3:0:hi"), false) === null);
 * ```
 * @module
 */
import { decodeClientLine } from "../protocol/mod.ts";
import type { Request } from "./request_queue.ts";

const CR = 0x0d;
/** Commands whose refusals the request queue pairs with requests. */
const REQUEST_COMMANDS = ["0", "1", "2"];

/**
 * The request a raw line amounts to, or null when its answer (if any) is
 * never paired with a request.
 *
 * @param line the line without its `\n`
 * @param loggedOut true when there is no session and no login on the way:
 *   then every line but a login is answered (`0:-1`, or `9:` if malformed)
 */
export function rawRequest(
  line: Uint8Array,
  loggedOut: boolean,
): Request | null {
  // the server drops a `\r` before the `\n`
  const end = line.length > 0 && line[line.length - 1] === CR
    ? line.length - 1
    : line.length;
  const msg = decodeClientLine(line.subarray(0, end));
  switch (msg.kind) {
    case "invalid":
      return loggedOut || REQUEST_COMMANDS.includes(msg.command)
        ? { kind: "one-reply", command: msg.command }
        : null;
    case "login":
      return { kind: "login", username: msg.username };
    case "list-rooms":
      return { kind: "list-rooms" };
    case "join":
      return { kind: "join", room: msg.room };
    case "leave":
      return { kind: "leave" };
    default:
      return loggedOut
        ? { kind: "one-reply", command: String.fromCharCode(line[0]!) }
        : null;
  }
}
