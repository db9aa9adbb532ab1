/**
 * One client line -> one typed message. Only header fields are split; the
 * payload is handed on as a view of the line's bytes, never decoded. Server
 * lines, for clients, are in decode_server.ts.
 *
 * @example
 * ```ts
 * import { decodeClientLine } from "./decode.ts";
 * const msg = decodeClientLine(new TextEncoder().encode("3:1:a:b"));
 * console.assert(msg.kind === "send");
 * ```
 * @module
 */
import { DEFAULT_LIMITS } from "./limits.ts";
import {
  type ClientMessage,
  ErrorCode,
  type RoomSendMode,
} from "./messages.ts";
import { checkName, checkPassword, checkRoomName } from "./names.ts";
import {
  COLON,
  commandOf,
  type DecodeFailure,
  type DecodeLimits,
  fail,
  fieldEnd,
  parseId,
  text,
  ZERO,
} from "./fields.ts";

export type { DecodeFailure, DecodeLimits } from "./fields.ts";

/** Parses colon-separated ids from `start` to the end of the line. */
function parseIdList(
  line: Uint8Array,
  start: number,
  command: string,
  max: number,
): number[] | DecodeFailure {
  const ids: number[] = [];
  if (start >= line.length) return ids;
  let from = start;
  while (true) {
    const end = fieldEnd(line, from);
    const id = parseId(line, from, end);
    if (id === -1) {
      return fail(command, ErrorCode.Malformed, "member ids must be numbers");
    }
    if (ids.length === max) {
      return fail(
        command,
        ErrorCode.TooManyMembers,
        `more than ${max} members`,
      );
    }
    ids.push(id);
    if (end === line.length) return ids;
    from = end + 1;
  }
}

/**
 * Decodes one client line (without its `\n`).
 *
 * Names are validated here (see `names.ts`), so handlers receive only valid
 * names. The payload of send messages is a view of `line`: copy it to keep it.
 */
export function decodeClientLine(
  line: Uint8Array,
  limits: DecodeLimits = DEFAULT_LIMITS,
): ClientMessage | DecodeFailure {
  if (line.length < 1 || (line.length > 1 && line[1] !== COLON)) {
    return line.length === 0
      ? fail("?", ErrorCode.Malformed, "empty line")
      : fail(commandOf(line), ErrorCode.UnknownCommand, "unknown command");
  }
  switch (line[0]) {
    case 0x33: // 3
      return decodeSend(line, limits);
    case 0x30: // 0
      return decodeLogin(line, limits);
    case 0x31: { // 1
      const password = line.length > 2 ? text(line, 2, line.length) : "";
      const why = password === null
        ? "is not UTF-8"
        : checkPassword(password, limits.maxNameBytes);
      if (why !== null) {
        return fail("1", ErrorCode.InvalidName, `password ${why}`);
      }
      return { kind: "list-rooms", password: password! };
    }
    case 0x32: // 2
      return decodeJoin(line, limits);
    case 0x34: // 4
      return decodeGroupSend(line, limits);
    case 0x35: // 5
      return decodeDefineGroup(line, limits);
    default:
      return fail(commandOf(line), ErrorCode.UnknownCommand, "unknown command");
  }
}

function decodeSend(
  line: Uint8Array,
  limits: DecodeLimits,
): ClientMessage | DecodeFailure {
  const mode = line[2];
  if (
    line.length < 4 || line[3] !== COLON || mode === undefined || mode < ZERO ||
    mode > 0x34
  ) {
    return fail("3", ErrorCode.Malformed, "expected 3:<mode 0-4>:<message>");
  }
  if (mode !== 0x34) {
    return {
      kind: "send",
      mode: (mode - ZERO) as RoomSendMode,
      payload: line.subarray(4),
    };
  }
  const to: number[] = [];
  let from = 4;
  while (true) {
    const end = line.indexOf(COLON, from);
    if (end === -1) break; // the last field is always the message
    const id = parseId(line, from, end);
    if (id === -1) break;
    if (to.length === limits.maxRecipients) {
      return fail(
        "3",
        ErrorCode.TooManyRecipients,
        `more than ${limits.maxRecipients} recipients`,
      );
    }
    to.push(id);
    from = end + 1;
  }
  if (to.length === 0) {
    return fail("3", ErrorCode.NoRecipients, "3:4 needs at least one user id");
  }
  return { kind: "send-users", to, payload: line.subarray(from) };
}

function decodeLogin(
  line: Uint8Array,
  limits: DecodeLimits,
): ClientMessage | DecodeFailure {
  const nameEnd = fieldEnd(line, 2);
  const username = text(line, 2, nameEnd);
  const password = nameEnd < line.length
    ? text(line, nameEnd + 1, line.length)
    : "";
  if (username === null || password === null) {
    return fail(
      "0",
      ErrorCode.InvalidName,
      "username and password must be UTF-8",
    );
  }
  const why = checkName(username, limits.maxNameBytes);
  if (why !== null) return fail("0", ErrorCode.InvalidName, `username ${why}`);
  const pwWhy = checkPassword(password, limits.maxNameBytes);
  if (pwWhy !== null) {
    return fail("0", ErrorCode.InvalidName, `password ${pwWhy}`);
  }
  return { kind: "login", username, password };
}

function decodeJoin(
  line: Uint8Array,
  limits: DecodeLimits,
): ClientMessage | DecodeFailure {
  const roomEnd = fieldEnd(line, 2);
  const room = text(line, 2, roomEnd);
  if (room === "-1") return { kind: "leave" };
  const password = roomEnd < line.length
    ? text(line, roomEnd + 1, line.length)
    : "";
  if (room === null || password === null) {
    return fail("2", ErrorCode.InvalidName, "room and password must be UTF-8");
  }
  const why = checkRoomName(room, limits.maxNameBytes);
  if (why !== null) return fail("2", ErrorCode.InvalidName, `room name ${why}`);
  const pwWhy = checkPassword(password, limits.maxNameBytes);
  if (pwWhy !== null) {
    return fail("2", ErrorCode.InvalidName, `password ${pwWhy}`);
  }
  return { kind: "join", room, password };
}

function groupName(line: Uint8Array, command: string, limits: DecodeLimits) {
  const end = fieldEnd(line, 2);
  const group = text(line, 2, end);
  const why = group === null
    ? "is not UTF-8"
    : checkName(group, limits.maxNameBytes);
  if (why !== null) {
    return fail(command, ErrorCode.InvalidName, `group name ${why}`);
  }
  return { group: group!, end };
}

function decodeGroupSend(
  line: Uint8Array,
  limits: DecodeLimits,
): ClientMessage | DecodeFailure {
  const name = groupName(line, "4", limits);
  if ("kind" in name) return name;
  if (name.end === line.length) {
    return fail("4", ErrorCode.Malformed, "expected 4:<group>:<message>");
  }
  return {
    kind: "send-group",
    group: name.group,
    payload: line.subarray(name.end + 1),
  };
}

function decodeDefineGroup(
  line: Uint8Array,
  limits: DecodeLimits,
): ClientMessage | DecodeFailure {
  const name = groupName(line, "5", limits);
  if ("kind" in name) return name;
  const members = parseIdList(line, name.end + 1, "5", limits.maxGroupMembers);
  if (!Array.isArray(members)) return members;
  return { kind: "define-group", group: name.group, members };
}
