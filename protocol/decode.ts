/**
 * One line -> one typed message. Only header fields are split; the payload
 * is handed on as a view of the line's bytes, never decoded.
 *
 * @example
 * ```ts
 * import { decodeClientLine } from "./decode.ts";
 * const msg = decodeClientLine(new TextEncoder().encode("3:1:a:b"));
 * console.assert(msg.kind === "send");
 * ```
 * @module
 */
import { DEFAULT_LIMITS, type Limits } from "./limits.ts";
import {
  type ClientMessage,
  ErrorCode,
  type RoomCount,
  type RoomSendMode,
  type ServerMessage,
} from "./messages.ts";
import { checkName, checkPassword, checkRoomName } from "./names.ts";

/** Why a line could not be decoded; becomes the error line `9:...`. */
export interface DecodeFailure {
  readonly kind: "invalid";
  /** The refused command's number, or `?` when it has none. */
  readonly command: string;
  readonly code: ErrorCode;
  readonly reason: string;
}

/** The limits the decoder enforces. */
export type DecodeLimits = Pick<
  Limits,
  "maxNameBytes" | "maxRecipients" | "maxGroupMembers"
>;

const COLON = 0x3a;
const ZERO = 0x30;
const NINE = 0x39;
const MINUS = 0x2d;
/** Ids stay exact doubles. */
const MAX_ID_DIGITS = 15;
const utf8 = new TextDecoder("utf-8", { fatal: true });

function fail(command: string, code: ErrorCode, reason: string): DecodeFailure {
  return { kind: "invalid", command, code, reason };
}

/** Parses `line[start, end)` as a non-negative id, or returns -1. */
function parseId(line: Uint8Array, start: number, end: number): number {
  if (end <= start || end - start > MAX_ID_DIGITS) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = line[i]!;
    if (c < ZERO || c > NINE) return -1;
    value = value * 10 + (c - ZERO);
  }
  return value;
}

function text(line: Uint8Array, start: number, end: number): string | null {
  try {
    return utf8.decode(line.subarray(start, end));
  } catch {
    return null;
  }
}

/** Index of the next `:` at or after `from`, or `line.length`. */
function fieldEnd(line: Uint8Array, from: number): number {
  const i = line.indexOf(COLON, from);
  return i === -1 ? line.length : i;
}

/** The command number for error lines: the first field if it is short and numeric. */
function commandOf(line: Uint8Array): string {
  const end = fieldEnd(line, 0);
  return end >= 1 && end <= 3 && parseId(line, 0, end) !== -1
    ? text(line, 0, end)!
    : "?";
}

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
