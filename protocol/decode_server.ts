/**
 * One server line -> one typed message, for clients. Unknown line types
 * decode to a failure that clients may ignore.
 *
 * @example
 * ```ts
 * import { decodeServerLine } from "./decode_server.ts";
 * const msg = decodeServerLine(new TextEncoder().encode("2:7:lobby"));
 * console.assert(msg.kind === "joined");
 * ```
 * @module
 */
import { ErrorCode, type RoomCount, type ServerMessage } from "./messages.ts";
import {
  COLON,
  commandOf,
  type DecodeFailure,
  fail,
  fieldEnd,
  parseId,
  text,
} from "./fields.ts";

const MINUS = 0x2d;

/** Parses `-1` or a non-negative id in `line[start, end)`; NaN when neither. */
function parseSignedId(line: Uint8Array, start: number, end: number): number {
  if (end - start === 2 && line[start] === MINUS && line[start + 1] === 0x31) {
    return -1;
  }
  const id = parseId(line, start, end);
  return id === -1 ? NaN : id;
}

/**
 * Decodes one server line (without its `\n`), for clients.
 * Unknown line types decode to a failure that clients may ignore.
 */
export function decodeServerLine(
  line: Uint8Array,
): ServerMessage | DecodeFailure {
  const command = commandOf(line);
  const bad = fail(command, ErrorCode.Malformed, "malformed server line");
  if (line.length < 2 || line[1] !== COLON) return bad;
  const idEnd = fieldEnd(line, 2);
  switch (line[0]) {
    case 0x30: { // 0:id, 0:id:udpSecret or 0:-1 (later fields are extensions)
      const id = parseSignedId(line, 2, idEnd);
      if (Number.isNaN(id)) return bad;
      if (id === -1) return { kind: "logged-out" };
      if (idEnd === line.length) return { kind: "welcome", id };
      const udpSecret = text(line, idEnd + 1, fieldEnd(line, idEnd + 1));
      return udpSecret === null || udpSecret === ""
        ? { kind: "welcome", id }
        : { kind: "welcome", id, udpSecret };
    }
    case 0x31:
      return decodeRoomList(line) ?? bad;
    case 0x32: { // 2:id:room or 2:id:
      const id = parseId(line, 2, idEnd);
      if (id === -1 || idEnd === line.length) return bad;
      const room = text(line, idEnd + 1, line.length);
      if (room === null) return bad;
      return room === "" ? { kind: "left", id } : { kind: "joined", id, room };
    }
    case 0x33: { // 3:id:payload
      const from = parseId(line, 2, idEnd);
      if (from === -1 || idEnd === line.length) return bad;
      return { kind: "message", from, payload: line.subarray(idEnd + 1) };
    }
    case 0x34: { // 4:id
      const id = parseId(line, 2, idEnd);
      return id === -1 ? bad : { kind: "master", id };
    }
    case 0x36: { // 6:id:away or 6:id:back
      const id = parseId(line, 2, idEnd);
      const word = text(line, idEnd + 1, line.length);
      if (id === -1 || idEnd === line.length) return bad;
      return word === "away"
        ? { kind: "away", id }
        : word === "back"
        ? { kind: "back", id }
        : fail(command, ErrorCode.UnknownCommand, "unknown presence notice");
    }
    case 0x38: { // 8:scope:text
      const scope = text(line, 2, idEnd);
      const body = idEnd < line.length
        ? text(line, idEnd + 1, line.length)
        : null;
      if (scope === null || scope === "" || body === null) return bad;
      return { kind: "notice", scope, text: body };
    }
    case 0x39: { // 9:command:code:text
      const codeEnd = fieldEnd(line, idEnd + 1);
      const cmd = text(line, 2, idEnd);
      const code = text(line, idEnd + 1, codeEnd);
      const reason = codeEnd < line.length
        ? text(line, codeEnd + 1, line.length)
        : "";
      if (
        cmd === null || code === null || reason === null ||
        idEnd === line.length
      ) return bad;
      return { kind: "error", command: cmd, code, text: reason };
    }
    default:
      return fail(command, ErrorCode.UnknownCommand, "unknown server line");
  }
}

function decodeRoomList(line: Uint8Array): ServerMessage | null {
  const body = text(line, 2, line.length);
  if (body === null) return null;
  const rooms: RoomCount[] = [];
  if (body !== "") {
    for (const entry of body.split(",")) {
      const dash = entry.lastIndexOf("-");
      const count = Number(entry.slice(dash + 1));
      if (dash < 1 || !/^\d+$/.test(entry.slice(dash + 1))) return null;
      rooms.push({ name: entry.slice(0, dash), count });
    }
  }
  return { kind: "room-list", rooms };
}
