/**
 * One typed message -> the bytes of its line, `\n` included.
 *
 * The relay hot path uses {@linkcode messagePrefix} and
 * {@linkcode relayFrame}: the `3:<id>:` prefix is built once per sender and
 * each message is copied once into a frame shared by all its receivers.
 *
 * @example
 * ```ts
 * import { encodeServerMessage } from "./encode.ts";
 * const bytes = encodeServerMessage({ kind: "joined", id: 7, room: "lobby" });
 * console.assert(new TextDecoder().decode(bytes) === "2:7:lobby\n");
 * ```
 * @module
 */
import type { ClientMessage, ServerMessage } from "./messages.ts";

const utf8 = new TextEncoder();
const LF = 0x0a;

function line(text: string): Uint8Array {
  const bytes = ascii(text, 1);
  if (bytes === null) return utf8.encode(text + "\n");
  bytes[text.length] = LF;
  return bytes;
}

/**
 * `text`'s bytes with `spare` bytes free after them, or null when it is not
 * all ASCII. Control lines are short, and a short typed array made this way
 * lives in the JavaScript heap: no separate buffer to allocate and free, as
 * `TextEncoder.encode` makes (a burst of logins makes thousands).
 */
function ascii(text: string, spare: number): Uint8Array | null {
  const n = text.length;
  const bytes = new Uint8Array(n + spare);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return null;
    bytes[i] = c;
  }
  return bytes;
}

/** Joins a text header and a byte payload into one line. */
function withPayload(header: string, payload: Uint8Array): Uint8Array {
  return relayFrame(utf8.encode(header), payload);
}

/** The bytes `3:<id>:`, to be cached per sender. */
export function messagePrefix(id: number): Uint8Array {
  return ascii(`3:${id}:`, 0)!;
}

/** `prefix + payload + \n` in one new buffer. */
export function relayFrame(
  prefix: Uint8Array,
  payload: Uint8Array,
): Uint8Array {
  const frame = new Uint8Array(prefix.length + payload.length + 1);
  frame.set(prefix, 0);
  frame.set(payload, prefix.length);
  frame[frame.length - 1] = LF;
  return frame;
}

/** Encodes a server line. */
export function encodeServerMessage(msg: ServerMessage): Uint8Array {
  switch (msg.kind) {
    case "welcome":
      return line(
        msg.udpSecret === undefined
          ? `0:${msg.id}`
          : `0:${msg.id}:${msg.udpSecret}`,
      );
    case "logged-out":
      return line("0:-1");
    case "room-list":
      return line(
        `1:${msg.rooms.map((r) => `${r.name}-${r.count}`).join(",")}`,
      );
    case "joined":
      return line(`2:${msg.id}:${msg.room}`);
    case "left":
      return line(`2:${msg.id}:`);
    case "message":
      return withPayload(`3:${msg.from}:`, msg.payload);
    case "master":
      return line(`4:${msg.id}`);
    case "away":
      return line(`6:${msg.id}:away`);
    case "back":
      return line(`6:${msg.id}:back`);
    case "notice":
      return line(`8:${msg.scope}:${msg.text.replaceAll("\n", " ")}`);
    case "error":
      return line(
        `9:${msg.command}:${msg.code}:${msg.text.replaceAll("\n", " ")}`,
      );
  }
}

/** Encodes a client line. */
export function encodeClientMessage(msg: ClientMessage): Uint8Array {
  switch (msg.kind) {
    case "login":
      return line(`0:${msg.username}:${msg.password}`);
    case "list-rooms":
      return line(`1:${msg.password}`);
    case "join":
      return line(
        msg.password === "" ? `2:${msg.room}` : `2:${msg.room}:${msg.password}`,
      );
    case "leave":
      return line("2:-1");
    case "send":
      return withPayload(`3:${msg.mode}:`, msg.payload);
    case "send-users":
      return withPayload(`3:4:${msg.to.join(":")}:`, msg.payload);
    case "send-group":
      return withPayload(`4:${msg.group}:`, msg.payload);
    case "define-group":
      return line(`5:${msg.group}:${msg.members.join(":")}`);
  }
}
