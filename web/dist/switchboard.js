// protocol/messages.ts
var SendMode = {
  Others: 0,
  All: 1,
  OthersOrdered: 2,
  AllOrdered: 3,
  Users: 4
};
var ErrorCode = {
  Malformed: "malformed",
  UnknownCommand: "unknown-command",
  LineTooLong: "line-too-long",
  InvalidName: "invalid-name",
  NotInRoom: "not-in-room",
  AlreadyInRoom: "already-in-room",
  WrongPassword: "wrong-password",
  RoomFull: "room-full",
  TooManyRooms: "too-many-rooms",
  NoRecipients: "no-recipients",
  UnknownRecipients: "unknown-recipients",
  TooManyRecipients: "too-many-recipients",
  UnknownGroup: "unknown-group",
  TooManyGroups: "too-many-groups",
  TooManyMembers: "too-many-members",
  RateLimited: "rate-limited",
  ServerFull: "server-full",
  TooManyConnections: "too-many-connections",
  IdleTimeout: "idle-timeout",
  LoginTimeout: "login-timeout",
  Internal: "internal",
  /** The session ended because its user logged in on another connection. */
  Superseded: "superseded",
  /** The session ended because its account was disabled, removed or re-passworded. */
  Revoked: "revoked",
  /** An administrator ended the session. */
  Kicked: "kicked",
  /** The server is stopping. */
  ShuttingDown: "shutting-down",
  /**
   * A resume (`7:<id>:<token>:<n>`) was refused: no such resumable session
   * (ended, or its window passed), a wrong token, or counts that do not
   * match. The client logs in afresh.
   */
  ResumeRefused: "resume-refused",
  /**
   * The session is no longer resumable: more of the server's lines went
   * unacknowledged than the resume buffer holds.
   */
  ResumeLost: "resume-lost",
  /** Too many password checks are waiting: try again in a moment. */
  Busy: "busy",
  /** The deployment's shared store (Redis) cannot be reached: try again later. */
  Unavailable: "unavailable"
};

// protocol/limits.ts
var DEFAULT_LIMITS = Object.freeze({
  maxLineBytes: 64 * 1024,
  maxNameBytes: 64,
  maxRecipients: 256,
  maxGroupsPerClient: 64,
  maxGroupMembers: 256,
  maxOutboundBytes: 8 * 1024 * 1024,
  outboundHighWater: 256 * 1024,
  maxTotalOutboundBytes: 256 * 1024 * 1024,
  stallTimeoutMs: 5e3,
  maxHoldMs: 1e3,
  loginTimeoutMs: 3e4,
  maxRooms: 1e4,
  maxDatagramBytes: 1200,
  maxConnections: 1e4,
  maxConnectionsPerAddress: 256,
  maxLoginsPerMinute: 10,
  maxMessagesPerSecond: 1e3,
  messageBurst: 1e3,
  maxDatagramsPerSecond: 1e3,
  datagramBurst: 1e3,
  resumeWindowMs: 3e4,
  resumeBufferBytes: 1024 * 1024
});

// protocol/names.ts
var FORBIDDEN = /[:,\u0000-\u001f\u007f]/;
function checkName(name, maxBytes) {
  if (name.length === 0) return "is empty";
  return checkPassword(name, maxBytes);
}
function checkPassword(text2, maxBytes) {
  if (utf8Length(text2) > maxBytes) return `is longer than ${maxBytes} bytes`;
  if (FORBIDDEN.test(text2)) return "contains ':', ',' or a control character";
  return null;
}
function checkRoomName(room, maxBytes) {
  if (room === "-1") return "is reserved for leaving";
  return checkName(room, maxBytes);
}
function utf8Length(text2) {
  let bytes = 0;
  for (let i = 0; i < text2.length; i++) {
    const c = text2.charCodeAt(i);
    if (c < 128) bytes += 1;
    else if (c < 2048) bytes += 2;
    else if (c >= 55296 && c <= 56319) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

// protocol/fields.ts
var COLON = 58;
var ZERO = 48;
var NINE = 57;
var MAX_ID_DIGITS = 15;
var utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
function fail(command, code, reason) {
  return { kind: "invalid", command, code, reason };
}
function parseId(line2, start, end) {
  if (end <= start || end - start > MAX_ID_DIGITS) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = line2[i];
    if (c < ZERO || c > NINE) return -1;
    value = value * 10 + (c - ZERO);
  }
  return value;
}
function text(line2, start, end) {
  try {
    return utf8.decode(line2.subarray(start, end));
  } catch {
    return null;
  }
}
function fieldEnd(line2, from) {
  const i = line2.indexOf(COLON, from);
  return i === -1 ? line2.length : i;
}
function commandOf(line2) {
  const end = fieldEnd(line2, 0);
  return end >= 1 && end <= 3 && parseId(line2, 0, end) !== -1 ? text(line2, 0, end) : "?";
}

// protocol/decode.ts
function parseIdList(line2, start, command, max) {
  const ids = [];
  if (start >= line2.length) return ids;
  let from = start;
  while (true) {
    const end = fieldEnd(line2, from);
    const id = parseId(line2, from, end);
    if (id === -1) {
      return fail(command, ErrorCode.Malformed, "member ids must be numbers");
    }
    if (ids.length === max) {
      return fail(
        command,
        ErrorCode.TooManyMembers,
        `more than ${max} members`
      );
    }
    ids.push(id);
    if (end === line2.length) return ids;
    from = end + 1;
  }
}
function decodeClientLine(line2, limits = DEFAULT_LIMITS) {
  if (line2.length < 1 || line2.length > 1 && line2[1] !== COLON) {
    return line2.length === 0 ? fail("?", ErrorCode.Malformed, "empty line") : fail(commandOf(line2), ErrorCode.UnknownCommand, "unknown command");
  }
  switch (line2[0]) {
    case 51:
      return decodeSend(line2, limits);
    case 48:
      return decodeLogin(line2, limits);
    case 49: {
      const password = line2.length > 2 ? text(line2, 2, line2.length) : "";
      const why = password === null ? "is not UTF-8" : checkPassword(password, limits.maxNameBytes);
      if (why !== null) {
        return fail("1", ErrorCode.InvalidName, `password ${why}`);
      }
      return { kind: "list-rooms", password };
    }
    case 50:
      return decodeJoin(line2, limits);
    case 52:
      return decodeGroupSend(line2, limits);
    case 53:
      return decodeDefineGroup(line2, limits);
    default:
      return fail(commandOf(line2), ErrorCode.UnknownCommand, "unknown command");
  }
}
function decodeSend(line2, limits) {
  const mode = line2[2];
  if (line2.length < 4 || line2[3] !== COLON || mode === void 0 || mode < ZERO || mode > 52) {
    return fail("3", ErrorCode.Malformed, "expected 3:<mode 0-4>:<message>");
  }
  if (mode !== 52) {
    return {
      kind: "send",
      mode: mode - ZERO,
      payload: line2.subarray(4)
    };
  }
  const to = [];
  let from = 4;
  while (true) {
    const end = line2.indexOf(COLON, from);
    if (end === -1) break;
    const id = parseId(line2, from, end);
    if (id === -1) break;
    if (to.length === limits.maxRecipients) {
      return fail(
        "3",
        ErrorCode.TooManyRecipients,
        `more than ${limits.maxRecipients} recipients`
      );
    }
    to.push(id);
    from = end + 1;
  }
  if (to.length === 0) {
    return fail("3", ErrorCode.NoRecipients, "3:4 needs at least one user id");
  }
  return { kind: "send-users", to, payload: line2.subarray(from) };
}
function decodeLogin(line2, limits) {
  const nameEnd = fieldEnd(line2, 2);
  const username = text(line2, 2, nameEnd);
  const password = nameEnd < line2.length ? text(line2, nameEnd + 1, line2.length) : "";
  if (username === null || password === null) {
    return fail(
      "0",
      ErrorCode.InvalidName,
      "username and password must be UTF-8"
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
function decodeJoin(line2, limits) {
  const roomEnd = fieldEnd(line2, 2);
  const room = text(line2, 2, roomEnd);
  if (room === "-1") return { kind: "leave" };
  const password = roomEnd < line2.length ? text(line2, roomEnd + 1, line2.length) : "";
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
function groupName(line2, command, limits) {
  const end = fieldEnd(line2, 2);
  const group = text(line2, 2, end);
  const why = group === null ? "is not UTF-8" : checkName(group, limits.maxNameBytes);
  if (why !== null) {
    return fail(command, ErrorCode.InvalidName, `group name ${why}`);
  }
  return { group, end };
}
function decodeGroupSend(line2, limits) {
  const name = groupName(line2, "4", limits);
  if ("kind" in name) return name;
  if (name.end === line2.length) {
    return fail("4", ErrorCode.Malformed, "expected 4:<group>:<message>");
  }
  return {
    kind: "send-group",
    group: name.group,
    payload: line2.subarray(name.end + 1)
  };
}
function decodeDefineGroup(line2, limits) {
  const name = groupName(line2, "5", limits);
  if ("kind" in name) return name;
  const members = parseIdList(line2, name.end + 1, "5", limits.maxGroupMembers);
  if (!Array.isArray(members)) return members;
  return { kind: "define-group", group: name.group, members };
}

// protocol/decode_server.ts
var MINUS = 45;
function parseSignedId(line2, start, end) {
  if (end - start === 2 && line2[start] === MINUS && line2[start + 1] === 49) {
    return -1;
  }
  const id = parseId(line2, start, end);
  return id === -1 ? NaN : id;
}
function decodeServerLine(line2) {
  const command = commandOf(line2);
  const bad = fail(command, ErrorCode.Malformed, "malformed server line");
  if (line2.length < 2 || line2[1] !== COLON) return bad;
  const idEnd = fieldEnd(line2, 2);
  switch (line2[0]) {
    case 48: {
      const id = parseSignedId(line2, 2, idEnd);
      if (Number.isNaN(id)) return bad;
      if (id === -1) return { kind: "logged-out" };
      if (idEnd === line2.length) return { kind: "welcome", id };
      const udpSecret = text(line2, idEnd + 1, fieldEnd(line2, idEnd + 1));
      return udpSecret === null || udpSecret === "" ? { kind: "welcome", id } : { kind: "welcome", id, udpSecret };
    }
    case 49:
      return decodeRoomList(line2) ?? bad;
    case 50: {
      const id = parseId(line2, 2, idEnd);
      if (id === -1 || idEnd === line2.length) return bad;
      const room = text(line2, idEnd + 1, line2.length);
      if (room === null) return bad;
      return room === "" ? { kind: "left", id } : { kind: "joined", id, room };
    }
    case 51: {
      const from = parseId(line2, 2, idEnd);
      if (from === -1 || idEnd === line2.length) return bad;
      return { kind: "message", from, payload: line2.subarray(idEnd + 1) };
    }
    case 52: {
      const id = parseId(line2, 2, idEnd);
      return id === -1 ? bad : { kind: "master", id };
    }
    case 54: {
      const id = parseId(line2, 2, idEnd);
      const word = text(line2, idEnd + 1, line2.length);
      if (id === -1 || idEnd === line2.length) return bad;
      return word === "away" ? { kind: "away", id } : word === "back" ? { kind: "back", id } : fail(command, ErrorCode.UnknownCommand, "unknown presence notice");
    }
    case 56: {
      const scope = text(line2, 2, idEnd);
      const body = idEnd < line2.length ? text(line2, idEnd + 1, line2.length) : null;
      if (scope === null || scope === "" || body === null) return bad;
      return { kind: "notice", scope, text: body };
    }
    case 57: {
      const codeEnd = fieldEnd(line2, idEnd + 1);
      const cmd = text(line2, 2, idEnd);
      const code = text(line2, idEnd + 1, codeEnd);
      const reason = codeEnd < line2.length ? text(line2, codeEnd + 1, line2.length) : "";
      if (cmd === null || code === null || reason === null || idEnd === line2.length) return bad;
      return { kind: "error", command: cmd, code, text: reason };
    }
    default:
      return fail(command, ErrorCode.UnknownCommand, "unknown server line");
  }
}
function decodeRoomList(line2) {
  const body = text(line2, 2, line2.length);
  if (body === null) return null;
  const rooms = [];
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

// protocol/encode.ts
var utf82 = new TextEncoder();
var LF = 10;
function line(text2) {
  const bytes = ascii(text2, 1);
  if (bytes === null) return utf82.encode(text2 + "\n");
  bytes[text2.length] = LF;
  return bytes;
}
function ascii(text2, spare) {
  const n = text2.length;
  const bytes = new Uint8Array(n + spare);
  for (let i = 0; i < n; i++) {
    const c = text2.charCodeAt(i);
    if (c > 127) return null;
    bytes[i] = c;
  }
  return bytes;
}
function withPayload(header, payload) {
  return relayFrame(utf82.encode(header), payload);
}
function relayFrame(prefix, payload) {
  const frame = new Uint8Array(prefix.length + payload.length + 1);
  frame.set(prefix, 0);
  frame.set(payload, prefix.length);
  frame[frame.length - 1] = LF;
  return frame;
}
function encodeClientMessage(msg) {
  switch (msg.kind) {
    case "login":
      return line(`0:${msg.username}:${msg.password}`);
    case "list-rooms":
      return line(`1:${msg.password}`);
    case "join":
      return line(
        msg.password === "" ? `2:${msg.room}` : `2:${msg.room}:${msg.password}`
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

// protocol/udp.ts
var utf83 = new TextEncoder();
var CONNECTED = utf83.encode("connected");
var PACK = utf83.encode(":pack");

// protocol/line_log.ts
var MIN_SEGMENT_BYTES = 1024;
var MAX_SEGMENT_BYTES = 64 * 1024;
var MIN_RING = 16;
var LineCountError = class extends RangeError {
  /** Stable, for programs. */
  code = "line-count";
  /** `count` is not between `acked` and `last`. */
  constructor(count, acked, last) {
    super(
      `line count ${count} is outside what was sent and not yet acknowledged (${acked} to ${last})`
    );
    this.name = "LineCountError";
  }
};
var LineLog = class {
  /** Segments, oldest first; the first is read from `#headOffset`. */
  #segments = [];
  #headOffset = 0;
  /** Bytes used in the last segment. */
  #tailFill = 0;
  #lastSegmentBytes = 0;
  /** Lengths of the lines held, oldest first, in a ring. */
  #lengths = new Uint32Array(MIN_RING);
  #ringHead = 0;
  #held = 0;
  /** Number of the last line acknowledged (0: none). */
  #acked = 0;
  #bytes = 0;
  /** Number of the last line appended (0: none yet). */
  get last() {
    return this.#acked + this.#held;
  }
  /** Number of the last line acknowledged by the other side. */
  get acked() {
    return this.#acked;
  }
  /** Lines held (appended, not acknowledged). */
  get count() {
    return this.#held;
  }
  /** Bytes of the lines held. */
  get bytes() {
    return this.#bytes;
  }
  /** Copies one line (with its `\n`) in; returns its number. */
  append(frame) {
    this.#pushLength(frame.length);
    this.#copy(frame);
    this.#bytes += frame.length;
    return this.last;
  }
  /**
   * The other side has lines up to `count`: drops them.
   *
   * @throws {LineCountError} when `count` is below what was acknowledged or
   *   above the last line appended.
   */
  ackTo(count) {
    this.#check(count);
    let drop = count - this.#acked;
    let bytes = 0;
    const ring = this.#lengths;
    while (drop-- > 0) {
      bytes += ring[this.#ringHead];
      this.#ringHead = (this.#ringHead + 1) % ring.length;
      this.#held--;
      this.#acked++;
    }
    this.#bytes -= bytes;
    this.#dropBytes(bytes);
  }
  /**
   * Calls `visit` with the bytes of every line after `count`, in order, in
   * as few contiguous ranges as the segments allow. The views are valid
   * until the log next changes.
   *
   * @throws {LineCountError} as {@linkcode ackTo}.
   */
  replayAfter(count, visit) {
    this.#check(count);
    let skip = 0;
    const ring = this.#lengths;
    for (let i = 0; i < count - this.#acked; i++) {
      skip += ring[(this.#ringHead + i) % ring.length];
    }
    let offset = this.#headOffset + skip;
    const segments = this.#segments;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i];
      const end = i === segments.length - 1 ? this.#tailFill : segment.length;
      if (offset < end) visit(segment.subarray(offset, end));
      offset = Math.max(0, offset - end);
    }
  }
  /** Forgets every line held (numbering goes on). */
  clear() {
    this.#acked = this.last;
    this.#held = 0;
    this.#ringHead = 0;
    if (this.#lengths.length > MIN_RING) {
      this.#lengths = new Uint32Array(MIN_RING);
    }
    this.#bytes = 0;
    this.#segments = [];
    this.#headOffset = 0;
    this.#tailFill = 0;
    this.#lastSegmentBytes = 0;
  }
  #check(count) {
    if (!Number.isSafeInteger(count) || count < this.#acked || count > this.last) {
      throw new LineCountError(count, this.#acked, this.last);
    }
  }
  #pushLength(length) {
    let ring = this.#lengths;
    if (this.#held === ring.length) {
      const grown = new Uint32Array(ring.length * 2);
      for (let i = 0; i < this.#held; i++) {
        grown[i] = ring[(this.#ringHead + i) % ring.length];
      }
      this.#lengths = ring = grown;
      this.#ringHead = 0;
    }
    ring[(this.#ringHead + this.#held) % ring.length] = length;
    this.#held++;
  }
  #copy(frame) {
    let at = 0;
    while (at < frame.length) {
      let tail = this.#segments.at(-1);
      if (tail === void 0 || this.#tailFill === tail.length) {
        const size = Math.min(
          MAX_SEGMENT_BYTES,
          Math.max(MIN_SEGMENT_BYTES, this.#lastSegmentBytes * 2)
        );
        tail = new Uint8Array(Math.max(size, frame.length - at));
        this.#lastSegmentBytes = tail.length;
        this.#segments.push(tail);
        this.#tailFill = 0;
      }
      const n = Math.min(frame.length - at, tail.length - this.#tailFill);
      tail.set(frame.subarray(at, at + n), this.#tailFill);
      this.#tailFill += n;
      at += n;
    }
  }
  /** Drops `bytes` from the front, freeing segments that are fully read. */
  #dropBytes(bytes) {
    if (this.#held === 0) {
      this.clear();
      return;
    }
    let left = bytes;
    const segments = this.#segments;
    while (left > 0) {
      const head = segments[0];
      const available = head.length - this.#headOffset;
      if (left < available) {
        this.#headOffset += left;
        return;
      }
      left -= available;
      segments.shift();
      this.#headOffset = 0;
    }
  }
};

// protocol/resume.ts
var RESUME_BYTE = 55;
var RESUME_TOKEN_LENGTH = 32;
function countsForResume(line2) {
  return line2[0] !== RESUME_BYTE;
}
var utf84 = new TextEncoder();
var MINUS2 = 45;
var ONE = 49;
function encodeResumeLine(msg) {
  switch (msg.kind) {
    case "resume-on":
      return utf84.encode("7:\n");
    case "resume-off":
      return utf84.encode("7:-1\n");
    case "ack":
      return utf84.encode(`7:${msg.count}
`);
    case "resume":
      return utf84.encode(`7:${msg.id}:${msg.token}:${msg.count}
`);
    case "resumable":
      return utf84.encode(
        `7:${msg.id}:${msg.count}:${msg.token}${msg.udpSecret === void 0 ? "" : `:${msg.udpSecret}`}
`
      );
  }
}
function isToken(line2, start, end) {
  if (end - start !== RESUME_TOKEN_LENGTH) return false;
  for (let i = start; i < end; i++) {
    const c = line2[i];
    if (!(c >= 48 && c <= 57 || c >= 97 && c <= 102)) return false;
  }
  return true;
}
function ascii2(line2, start, end) {
  return String.fromCharCode(...line2.subarray(start, end));
}
function isMinusOne(line2, start) {
  return line2.length === start + 2 && line2[start] === MINUS2 && line2[start + 1] === ONE;
}
function decodeResumeServerLine(line2) {
  if (line2.length < 3 || line2[0] !== RESUME_BYTE || line2[1] !== COLON) {
    return null;
  }
  if (isMinusOne(line2, 2)) return { kind: "resume-off" };
  const first = fieldEnd(line2, 2);
  const number = parseId(line2, 2, first);
  if (number === -1) return null;
  if (first === line2.length) return { kind: "ack", count: number };
  const countEnd = fieldEnd(line2, first + 1);
  const count = parseId(line2, first + 1, countEnd);
  if (count === -1 || countEnd === line2.length) return null;
  const tokenEnd = fieldEnd(line2, countEnd + 1);
  if (!isToken(line2, countEnd + 1, tokenEnd)) return null;
  const token = ascii2(line2, countEnd + 1, tokenEnd);
  if (tokenEnd === line2.length) {
    return { kind: "resumable", id: number, count, token };
  }
  const udpSecret = ascii2(line2, tokenEnd + 1, line2.length);
  return udpSecret === "" ? { kind: "resumable", id: number, count, token } : { kind: "resumable", id: number, count, token, udpSecret };
}

// protocol/ack_counter.ts
var ACK_EVERY_LINES = 32;
var ACK_EVERY_BYTES = 16 * 1024;
var ACK_DELAY_MS = 250;
var AckCounter = class {
  #sender;
  /** The lines counted since counting started. */
  #received = 0;
  /** The count in the last acknowledgement sent. */
  #ackSent = 0;
  #bytesSinceAck = 0;
  #ackTimer;
  /** Acknowledgements go out through `sender`. */
  constructor(sender) {
    this.#sender = sender;
  }
  /** The lines counted so far. */
  get received() {
    return this.#received;
  }
  /** Whether lines have been counted since the last acknowledgement. */
  get behind() {
    return this.#received > this.#ackSent;
  }
  /** One counted line of `length` bytes (without its `\n`) arrived. */
  count(length) {
    this.#received++;
    this.#bytesSinceAck += length + 1;
    if (this.#received - this.#ackSent >= ACK_EVERY_LINES || this.#bytesSinceAck >= ACK_EVERY_BYTES) {
      this.flush();
    } else {
      this.#ackTimer ??= setTimeout(this.flush, ACK_DELAY_MS);
    }
  }
  /** Acknowledges everything counted, if an acknowledgement may go now. */
  flush = () => {
    this.stop();
    if (!this.#sender.canSend()) return;
    this.#ackSent = this.#received;
    this.#bytesSinceAck = 0;
    this.#sender.send(this.#received);
  };
  /** The other side was told the count some other way (a resume's count). */
  caughtUp() {
    this.#ackSent = this.#received;
    this.#bytesSinceAck = 0;
  }
  /** Counting starts again from zero (a new resumable session). */
  reset() {
    this.stop();
    this.#received = 0;
    this.#ackSent = 0;
    this.#bytesSinceAck = 0;
  }
  /** No acknowledgement is due any more (dropped, away, off, ended). */
  stop() {
    clearTimeout(this.#ackTimer);
    this.#ackTimer = void 0;
  }
};

// client/client_limits.ts
var DEFAULT_CLIENT_LIMITS = Object.freeze({
  maxLineBytes: DEFAULT_LIMITS.maxLineBytes,
  maxIncomingLineBytes: 1024 * 1024,
  maxPendingBytes: 1024 * 1024,
  maxBufferedMessages: 1e4,
  requestTimeoutMs: 1e4,
  connectTimeoutMs: 1e4
});
function resolveClientLimits(overrides = {}) {
  const limits = { ...DEFAULT_CLIENT_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(
        `client limit ${name} must be a positive integer, got ${value}`
      );
    }
  }
  return limits;
}

// client/errors.ts
var ClientErrorCode = {
  LoginRefused: "login-refused",
  NotLoggedIn: "not-logged-in",
  ConnectionClosed: "connection-closed",
  ConnectFailed: "connect-failed",
  Timeout: "timeout",
  UdpUnavailable: "udp-unavailable",
  SessionEnded: "session-ended"
};
var ClientError = class extends Error {
  /**
   * @param code stable, for programs
   * @param message for people
   */
  constructor(code, message, options) {
    super(message, options);
    this.code = code;
    this.name = "ClientError";
  }
  code;
};
var LoginRefusedError = class extends ClientError {
  /** Creates the error for a login as `username`. */
  constructor(username) {
    super(
      ClientErrorCode.LoginRefused,
      `login as ${username} refused (wrong name or password)`
    );
    this.username = username;
    this.name = "LoginRefusedError";
  }
  username;
};
var NotLoggedInError = class extends ClientError {
  /** Creates the error for a request named `what`. */
  constructor(what) {
    super(ClientErrorCode.NotLoggedIn, `${what}: not logged in`);
    this.name = "NotLoggedInError";
  }
};
var RefusedError = class extends ClientError {
  /**
   * @param command the refused command's number (`"2"` for a join)
   * @param code the server's stable code
   * @param reason the server's text, for people
   */
  constructor(command, code, reason) {
    super(code, `command ${command} refused (${code}): ${reason}`);
    this.command = command;
    this.reason = reason;
    this.name = "RefusedError";
  }
  command;
  reason;
};
var ConnectionClosedError = class extends ClientError {
  /** Creates the error; `cause` is the transport's error, if any. */
  constructor(message = "connection closed", options) {
    super(ClientErrorCode.ConnectionClosed, message, options);
    this.name = "ConnectionClosedError";
  }
};
var ConnectFailedError = class extends ClientError {
  /** Creates the error for `address`, keeping the transport's `cause`. */
  constructor(address, options) {
    const why = options?.cause instanceof Error ? `: ${options.cause.message}` : "";
    super(
      ClientErrorCode.ConnectFailed,
      `cannot connect to ${address}${why}`,
      options
    );
    this.address = address;
    this.name = "ConnectFailedError";
  }
  address;
};
var RequestTimeoutError = class extends ClientError {
  /** Creates the error for a request named `what` after `ms`. */
  constructor(what, ms) {
    super(ClientErrorCode.Timeout, `${what}: no answer within ${ms} ms`);
    this.ms = ms;
    this.name = "RequestTimeoutError";
  }
  ms;
};
var InvalidArgumentError = class extends TypeError {
  /** Stable code for programs. */
  code = "invalid-argument";
  /** Creates the error with a message for people. */
  constructor(message) {
    super(message);
    this.name = "InvalidArgumentError";
  }
};
var SendBufferFullError = class extends RangeError {
  /** Creates the error for a cap of `maxPendingBytes`. */
  constructor(maxPendingBytes) {
    super(`more than ${maxPendingBytes} bytes waiting to be sent`);
    this.maxPendingBytes = maxPendingBytes;
    this.name = "SendBufferFullError";
  }
  maxPendingBytes;
  /** Stable code for programs. */
  code = "send-buffer-full";
};
var UdpUnavailableError = class extends ClientError {
  /** Creates the error with the reason for people. */
  constructor(reason, options) {
    super(ClientErrorCode.UdpUnavailable, `UDP channel: ${reason}`, options);
    this.name = "UdpUnavailableError";
  }
};
var SessionEndedError = class extends ClientError {
  /** Creates the error; `reason` is for people. */
  constructor(endCode, reason) {
    super(
      ClientErrorCode.SessionEnded,
      `session ended (${endCode}): ${reason}`
    );
    this.endCode = endCode;
    this.name = "SessionEndedError";
  }
  endCode;
};

// client/incoming.ts
var utf85 = new TextDecoder("utf-8", { ignoreBOM: true });
function decodeIncoming(line2) {
  const raw = line2.slice();
  const decoded = decodeServerLine(raw);
  const message = decoded.kind === "invalid" ? { kind: "unknown", reason: decoded.reason } : decoded;
  return { message, raw };
}
function payloadText(payload) {
  return utf85.decode(payload);
}

// client/client_udp.ts
var ClientUdp = class {
  #parts;
  #udp = null;
  /** The channel's client. */
  constructor(parts) {
    this.#parts = parts;
  }
  /** The channel while it is open, else null. */
  get channel() {
    const udp = this.#udp;
    return udp === null || udp.isClosed ? null : udp;
  }
  /**
   * Opens the channel of the current session (closing one still open).
   *
   * @throws {NotLoggedInError} before a login.
   * @throws {UdpUnavailableError} when the server offers no UDP (no secret in
   *   its login reply) or does not answer the handshake.
   */
  async open(options) {
    const { state, transport, server } = this.#parts;
    const sessionId = state.sessionId;
    if (sessionId === null) throw new NotLoggedInError("openUdp");
    const secret = state.udpSecret;
    if (secret === null) {
      throw new UdpUnavailableError(
        "the server's login reply has no UDP secret (is UDP off?)"
      );
    }
    const openUdp = transport.openUdp;
    if (openUdp === void 0) {
      throw new UdpUnavailableError(
        `the ${transport.name} transport has no UDP`
      );
    }
    const udpPort = server.udpPort;
    if (udpPort === null) {
      throw new UdpUnavailableError(
        "connected by WebSocket: give ConnectOptions.udpPort to use UDP"
      );
    }
    await this.closeChannel();
    this.#udp = await openUdp({
      ...options,
      host: server.address.host,
      port: udpPort,
      sessionId,
      secret,
      onDatagram: (data) => this.#parts.deliver({ ...decodeIncoming(data), via: "udp" })
    });
    this.#parts.rejoin.udp = true;
  }
  /** Closes the channel, if open, and not to be opened again after a resume. */
  async close() {
    this.#parts.rejoin.udp = false;
    await this.closeChannel();
  }
  /** Closes the channel, if open (a resume opens it again if it was). */
  async closeChannel() {
    const udp = this.#udp;
    this.#udp = null;
    await udp?.close();
  }
};

// client/server_address.ts
var DEFAULT_PORTS = {
  tcp: 7777,
  tls: 7777,
  ws: 80,
  wss: 443
};
var DEFAULT_WS_PATH = "/ws";
function parseServerUrl(text2) {
  const match = /^([a-z]+):\/\//i.exec(text2.trim());
  const scheme = match?.[1]?.toLowerCase();
  if (scheme !== "tcp" && scheme !== "tls" && scheme !== "ws" && scheme !== "wss") {
    throw new InvalidArgumentError(
      `not a server URL: ${JSON.stringify(text2)} (expected tcp://, tls://, ws:// or wss://)`
    );
  }
  let url;
  try {
    url = new URL(text2.trim().replace(/^[a-z]+:/i, "http:"));
  } catch {
    throw new InvalidArgumentError(`not a server URL: ${JSON.stringify(text2)}`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = url.port === "" ? DEFAULT_PORTS[scheme] : Number(url.port);
  const ws = scheme === "ws" || scheme === "wss";
  const path = ws ? (url.pathname === "/" ? DEFAULT_WS_PATH : url.pathname) + url.search : "/";
  return { scheme, host: host === "" ? "127.0.0.1" : host, port, path };
}
function formatServerUrl(address) {
  const host = address.host.includes(":") ? `[${address.host}]` : address.host;
  const path = address.scheme === "ws" || address.scheme === "wss" ? address.path : "";
  return `${address.scheme}://${host}:${address.port}${path}`;
}

// client/connect_options.ts
var DEFAULT_SERVER_PORT = 7777;
function resolveServer(options) {
  const address = options.url === void 0 ? {
    scheme: "tcp",
    host: options.host ?? "127.0.0.1",
    port: options.port ?? DEFAULT_SERVER_PORT,
    path: "/"
  } : parseServerUrl(options.url);
  const streamed = address.scheme === "tcp" || address.scheme === "tls";
  return {
    address,
    udpPort: options.udpPort ?? (streamed ? address.port : null)
  };
}

// client/validate.ts
var LF2 = 10;
var CR = 13;
var COLON2 = 58;
var utf86 = new TextEncoder();
var MAX_ID = 999999999999999;
function checkNameArg(what, name) {
  const why = checkName(name, DEFAULT_LIMITS.maxNameBytes);
  if (why !== null) throw new InvalidArgumentError(`${what} ${why}`);
}
function checkRoomArg(room) {
  const why = checkRoomName(room, DEFAULT_LIMITS.maxNameBytes);
  if (why !== null) throw new InvalidArgumentError(`room name ${why}`);
}
function checkPasswordArg(password) {
  const why = checkPassword(password, DEFAULT_LIMITS.maxNameBytes);
  if (why !== null) throw new InvalidArgumentError(`password ${why}`);
}
function checkIds(what, ids, max) {
  if (ids.length > max) {
    throw new InvalidArgumentError(`more than ${max} ${what}`);
  }
  for (const id of ids) {
    if (!Number.isSafeInteger(id) || id < 0 || id > MAX_ID) {
      throw new InvalidArgumentError(`${what}: ${id} is not a session id`);
    }
  }
}
function toPayload(payload) {
  const bytes = typeof payload === "string" ? utf86.encode(payload) : payload;
  if (bytes.includes(LF2)) {
    throw new InvalidArgumentError(
      "a payload cannot contain a newline; base64-encode binary data"
    );
  }
  if (bytes.length > 0 && bytes[bytes.length - 1] === CR) {
    throw new InvalidArgumentError(
      "a payload cannot end with \\r (the server drops it)"
    );
  }
  return bytes;
}
function checkUsersPayload(payload) {
  let i = 0;
  while (i < payload.length && payload[i] >= 48 && payload[i] <= 57) i++;
  if (i > 0 && i < payload.length && payload[i] === COLON2) {
    throw new InvalidArgumentError(
      "a message to users cannot start with digits and ':' (they would be read as a user id); encode it, e.g. base64"
    );
  }
}
function checkLineLength(frame, maxLineBytes) {
  if (frame.length - 1 > maxLineBytes) {
    throw new InvalidArgumentError(
      `line of ${frame.length - 1} bytes is over the limit of ${maxLineBytes}`
    );
  }
}

// client/with_timeout.ts
function withTimeout(answer, ms, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new RequestTimeoutError(what, ms)),
      ms
    );
    answer.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

// client/outbox.ts
var Outbox = class {
  #parts;
  #sent = /* @__PURE__ */ new Set();
  #tcp;
  /** The outbox of one connection. */
  constructor(parts) {
    this.#parts = parts;
    this.#tcp = {
      name: "tcp",
      send: (msg) => this.write(encodeClientMessage(msg))
    };
  }
  /** Calls `listener` with every line written; returns the unsubscriber. */
  onSent(listener) {
    this.#sent.add(listener);
    return () => this.#sent.delete(listener);
  }
  /**
   * Writes `msg` and resolves with the answer to `request`.
   *
   * @throws {ConnectionClosedError} when the connection is closed.
   * @throws {RequestTimeoutError} when no answer comes in time.
   */
  request(request, msg) {
    const { conn, limits, requests } = this.#parts;
    const frame = encodeClientMessage(msg);
    checkLineLength(frame, limits.maxLineBytes);
    if (conn.isClosed) throw new ConnectionClosedError();
    const answer = requests.track(request);
    this.write(frame).catch(() => {
    });
    return withTimeout(answer, limits.requestTimeoutMs, request.kind);
  }
  /**
   * Sends `msg` over the channel `options` name (TCP by default).
   *
   * @throws {NotLoggedInError} before a login.
   * @throws {UdpUnavailableError} for UDP while its channel is not open.
   */
  deliver(msg, options) {
    const channel = options?.channel ?? "tcp";
    if (this.loggedOut()) {
      return Promise.reject(new NotLoggedInError(msg.kind));
    }
    if (channel === "udp") {
      const udp = this.#parts.udp.channel;
      return udp === null ? Promise.reject(
        new UdpUnavailableError("not open (call openUdp() after login)")
      ) : udp.send(msg).then(() => this.#sentOverUdp(msg));
    }
    checkLineLength(encodeClientMessage(msg), this.#parts.limits.maxLineBytes);
    return this.#tcp.send(msg);
  }
  /** Writes one line (with its `\n`) and tells the listeners. */
  write(frame) {
    const written = this.#parts.conn.write(frame);
    for (const listener of this.#sent) listener(frame, "tcp");
    return written;
  }
  /** No session and none on the way: the server answers anything but a login with `0:-1`. */
  loggedOut() {
    return this.#parts.state.sessionId === null && !this.#parts.requests.loginPending;
  }
  /** Tells the listeners of a datagram sent (encoded again only for them). */
  #sentOverUdp(msg) {
    if (this.#sent.size === 0) return;
    const line2 = encodeClientMessage(msg);
    for (const listener of this.#sent) listener(line2, "udp");
  }
};

// client/receiver.ts
var SERVER_CLOSES = /* @__PURE__ */ new Set([
  "line-too-long",
  "internal",
  "idle-timeout",
  "login-timeout",
  "server-full",
  "too-many-connections"
]);
var Receiver = class {
  #parts;
  /** `9:0:<code>:<text>` just before a `0:-1` that ends our session. */
  #endNotice = null;
  /** The receiver of one client. */
  constructor(parts) {
    this.#parts = parts;
  }
  /** One line from the server (without its `\n`). */
  receive(line2) {
    const { state, requests, incoming: listeners } = this.#parts;
    const incoming = decodeIncoming(line2);
    const msg = incoming.message;
    if (msg.kind !== "unknown") {
      const self = state.sessionId;
      if (msg.kind === "welcome" || msg.kind === "logged-out") {
        this.#parts.sessionChanged();
        if (msg.kind === "logged-out" && self !== null) this.#endedByServer();
      }
      if (msg.kind === "error" && msg.command === "0") {
        this.#endNotice = { code: msg.code, text: msg.text };
      }
      if (msg.kind === "error" && msg.command === "?" && SERVER_CLOSES.has(msg.code)) {
        this.#endNotice = { code: msg.code, text: msg.text };
        this.#endedByServer();
      }
      state.apply(msg);
      requests.offer(msg, self);
    }
    listeners.deliver(incoming);
  }
  /** The server ended our session (`0:-1`): no rejoin; say why. */
  #endedByServer() {
    const { rejoin, events, state } = this.#parts;
    const notice = this.#endNotice;
    this.#endNotice = null;
    const back = rejoin.wanted;
    rejoin.forget();
    if (!back) return;
    events.emit("session-ended", {
      sessionId: state.sessionId,
      code: notice?.code ?? "logged-out",
      reason: notice?.text ?? "the server ended the session",
      rejoining: false
    });
  }
};

// client/request_queue.ts
var RequestQueue = class {
  #entries = [];
  /** How many requests are waiting for their answer. */
  get length() {
    return this.#entries.length;
  }
  /** True when a login is waiting for its answer. */
  get loginPending() {
    return this.#entries.some((e) => e.request.kind === "login");
  }
  /** Starts waiting for the answer to `request`, sent just now. */
  track(request) {
    return new Promise((resolve, reject) => {
      this.#entries.push({
        request,
        seenSelf: false,
        others: [],
        resolve,
        reject
      });
    });
  }
  /**
   * Offers the next message from the server; settles the oldest request if
   * the message answers it. `self` is our session id as known before this
   * message.
   */
  offer(msg, self) {
    const head = this.#entries[0];
    if (head === void 0) return;
    const request = head.request;
    if (msg.kind === "error") {
      if (msg.command !== commandOf2(request)) return;
      this.#settle(
        (e) => request.kind === "one-reply" ? e.resolve(void 0) : e.reject(new RefusedError(msg.command, msg.code, msg.text))
      );
      return;
    }
    if (msg.kind === "logged-out") {
      this.#settle(
        (e) => request.kind === "login" ? e.reject(new LoginRefusedError(request.username)) : request.kind === "one-reply" ? e.resolve(void 0) : e.reject(new NotLoggedInError(request.kind))
      );
      return;
    }
    switch (request.kind) {
      case "login":
        if (msg.kind === "welcome") this.#settle((e) => e.resolve(msg.id));
        return;
      case "list-rooms":
        if (msg.kind === "room-list") {
          this.#settle((e) => e.resolve(msg.rooms));
        }
        return;
      case "leave":
        if (msg.kind === "left" && msg.id === self) {
          this.#settle((e) => e.resolve(void 0));
        }
        return;
      case "join":
        return this.#offerJoin(head, request.room, msg, self);
      case "one-reply":
        return;
    }
  }
  #offerJoin(head, room, msg, self) {
    if (msg.kind === "joined" && msg.room === room) {
      if (msg.id === self) head.seenSelf = true;
      else if (head.seenSelf) head.others.push(msg.id);
    } else if (msg.kind === "master" && head.seenSelf && self !== null) {
      const members = [...head.others, self];
      this.#settle((e) => e.resolve({ room, members, master: msg.id }));
    }
  }
  /** Rejects every open request with `error` (the connection ended). */
  failAll(error) {
    for (const entry of this.#entries.splice(0)) entry.reject(error);
  }
  #settle(how) {
    how(this.#entries.shift());
  }
};
function commandOf2(request) {
  switch (request.kind) {
    case "login":
      return "0";
    case "list-rooms":
      return "1";
    case "join":
    case "leave":
      return "2";
    case "one-reply":
      return request.command;
  }
}

// client/room_state.ts
var RoomState = class {
  #sessionId = null;
  #udpSecret = null;
  #room = null;
  #members = [];
  #master = null;
  /** Between our own `2:id:room` and the `4:` that ends the join sequence. */
  #joining = false;
  /** Members whose sessions are held for them (`6:<id>:away`). */
  #away = /* @__PURE__ */ new Set();
  /** Our session id, or null when not logged in. */
  get sessionId() {
    return this.#sessionId;
  }
  /** The UDP secret of our login reply, or null (not logged in, or no UDP). */
  get udpSecret() {
    return this.#udpSecret;
  }
  /** The room we are in, or null. */
  get room() {
    return this.#room;
  }
  /** The room's members (us included) in the order they joined. */
  get members() {
    return this.#members;
  }
  /** The room's master client, or null when unknown or not in a room. */
  get master() {
    return this.#master;
  }
  /** Members of the room that are away (their connection dropped). */
  get away() {
    return this.#away;
  }
  /** The UDP secret changed: a resumed session gets a new one. */
  setUdpSecret(secret) {
    this.#udpSecret = secret;
  }
  /** True while our join sequence is arriving (before its `4:`). */
  get joining() {
    return this.#joining;
  }
  /** Updates the state from one server message. */
  apply(msg) {
    switch (msg.kind) {
      case "welcome":
        this.#sessionId = msg.id;
        this.#udpSecret = msg.udpSecret ?? null;
        this.#clearRoom();
        return;
      case "logged-out":
        this.#sessionId = null;
        this.#udpSecret = null;
        this.#clearRoom();
        return;
      case "joined":
        return this.#joined(msg.id, msg.room);
      case "left":
        this.#away.delete(msg.id);
        if (msg.id === this.#sessionId) this.#clearRoom();
        else this.#members = this.#members.filter((id) => id !== msg.id);
        return;
      case "away":
        if (this.#members.includes(msg.id)) this.#away.add(msg.id);
        return;
      case "back":
        this.#away.delete(msg.id);
        return;
      case "master":
        if (this.#room === null) return;
        this.#master = msg.id;
        this.#joining = false;
        return;
      default:
        return;
    }
  }
  #joined(id, room) {
    if (id === this.#sessionId) {
      this.#room = room;
      this.#members = [id];
      this.#master = null;
      this.#joining = true;
      return;
    }
    if (room !== this.#room || this.#members.includes(id)) return;
    if (this.#joining) {
      this.#members.splice(this.#members.length - 1, 0, id);
    } else {
      this.#members.push(id);
    }
  }
  #clearRoom() {
    this.#away.clear();
    this.#room = null;
    this.#members = [];
    this.#master = null;
    this.#joining = false;
  }
};

// client/message_stream.ts
var MessageStream = class {
  #max;
  #onReturn;
  #buffer = [];
  #ended = false;
  #reader = null;
  #space = null;
  /**
   * @param maxBuffered items held before {@linkcode full} turns true
   * @param onReturn called once when the consumer stops (`break`, `return()`)
   */
  constructor(maxBuffered, onReturn) {
    this.#max = maxBuffered;
    this.#onReturn = onReturn;
  }
  /** True when the buffer holds its maximum: the producer should wait. */
  get full() {
    return !this.#ended && this.#buffer.length >= this.#max;
  }
  /** Resolves once the buffer has room again (or the stream ended). */
  whenSpace() {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.#space = resolve);
  }
  /** Adds an item; ignored after the stream ended. */
  push(item) {
    if (this.#ended) return;
    const reader = this.#reader;
    if (reader !== null) {
      this.#reader = null;
      reader({ value: item, done: false });
    } else {
      this.#buffer.push(item);
    }
  }
  /** No more items: the consumer gets what is buffered, then `done`. */
  end() {
    if (this.#ended) return;
    this.#ended = true;
    this.#reader?.({ value: void 0, done: true });
    this.#reader = null;
    this.#release();
  }
  /** The next item, waiting for one if needed. */
  next() {
    if (this.#buffer.length > 0) {
      const value = this.#buffer.shift();
      if (this.#buffer.length < this.#max) this.#release();
      return Promise.resolve({ value, done: false });
    }
    if (this.#ended) return Promise.resolve({ value: void 0, done: true });
    return new Promise((resolve) => this.#reader = resolve);
  }
  /** Stops the stream early (what `break` in `for await` calls). */
  return() {
    this.#buffer.length = 0;
    if (!this.#ended) {
      this.end();
      this.#onReturn();
    }
    return Promise.resolve({ value: void 0, done: true });
  }
  [Symbol.asyncIterator]() {
    return this;
  }
  #release() {
    const space = this.#space;
    this.#space = null;
    space?.();
  }
};

// client/subscribers.ts
var Subscribers = class {
  #maxBuffered;
  #listeners = /* @__PURE__ */ new Set();
  #streams = /* @__PURE__ */ new Set();
  #ended = false;
  /** `maxBuffered`: items one iterator holds before {@linkcode ready} waits. */
  constructor(maxBuffered) {
    this.#maxBuffered = maxBuffered;
  }
  /** Calls `listener` with every item; returns the unsubscriber. */
  listen(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  /** An iterator over the items delivered from now on, until the end. */
  iterate() {
    const stream = new MessageStream(
      this.#maxBuffered,
      () => this.#streams.delete(stream)
    );
    if (this.#ended) stream.end();
    else this.#streams.add(stream);
    return stream;
  }
  /** Hands `item` to every listener and iterator. */
  deliver(item) {
    for (const listener of this.#listeners) {
      try {
        listener(item);
      } catch (error) {
        reportError(error);
      }
    }
    for (const stream of this.#streams) stream.push(item);
  }
  /** Undefined when every iterator has room; else resolves when one has. */
  ready() {
    for (const stream of this.#streams) {
      if (stream.full) return stream.whenSpace();
    }
    return void 0;
  }
  /** No more items: iterators finish what they hold, then end. */
  end() {
    this.#ended = true;
    for (const stream of this.#streams) stream.end();
    this.#streams.clear();
  }
};

// client/ws_connection.ts
var LF3 = 10;
var utf87 = new TextEncoder();
var CLOSE_WAIT_MS = 2e3;
var WsConnection = class _WsConnection {
  #ws;
  #options;
  #closed;
  #closing = false;
  #done = false;
  #failure;
  #held = [];
  #waiting = false;
  constructor(ws, options) {
    this.#ws = ws;
    this.#options = options;
    const { promise, resolve } = Promise.withResolvers();
    this.#closed = promise;
    ws.onmessage = (event) => this.#message(event.data);
    ws.onclose = (event) => {
      this.#done = true;
      this.#held = [];
      const error = this.#failure ?? (this.#closing || event.code === 1e3 ? void 0 : new ConnectionClosedError(
        `the server closed the WebSocket (${event.code}${event.reason ? `: ${event.reason}` : ""})`
      ));
      resolve({ byClient: this.#closing, error });
    };
  }
  /**
   * Opens `url` (ws:// or wss://). `init` is passed to the `WebSocket`
   * constructor when given (Deno's non-standard options: a custom CA).
   *
   * @throws {ConnectFailedError} when the server cannot be reached in time.
   */
  static open(url, options, init) {
    let ws;
    try {
      ws = init === void 0 ? new WebSocket(url) : new WebSocket(
        url,
        init
      );
    } catch (cause) {
      return Promise.reject(new ConnectFailedError(url, { cause }));
    }
    ws.binaryType = "arraybuffer";
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        ws.onopen = ws.onerror = ws.onclose = null;
        ws.close();
        reject(
          new ConnectFailedError(url, {
            cause: new Error(`no answer within ${options.connectTimeoutMs} ms`)
          })
        );
      }, options.connectTimeoutMs);
      ws.onerror = (event) => {
        clearTimeout(timer);
        ws.onopen = ws.onerror = ws.onclose = null;
        const message = event.message ?? "the WebSocket failed";
        reject(new ConnectFailedError(url, { cause: new Error(message) }));
      };
      ws.onclose = ws.onerror;
      ws.onopen = () => {
        clearTimeout(timer);
        ws.onopen = null;
        const conn = new _WsConnection(ws, options);
        ws.onerror = () => {
          conn.#failure ??= new ConnectionClosedError("WebSocket error");
        };
        resolve(conn);
      };
    });
  }
  get closed() {
    return this.#closed;
  }
  get isClosed() {
    return this.#closing || this.#done;
  }
  get pendingBytes() {
    return this.#ws.bufferedAmount;
  }
  write(bytes) {
    if (this.isClosed) return Promise.reject(new ConnectionClosedError());
    if (this.#ws.bufferedAmount + bytes.length > this.#options.maxPendingBytes) {
      return Promise.reject(
        new SendBufferFullError(this.#options.maxPendingBytes)
      );
    }
    let start = 0;
    while (start < bytes.length) {
      let end = bytes.indexOf(LF3, start);
      if (end === -1) end = bytes.length;
      this.#ws.send(bytes.subarray(start, end));
      start = end + 1;
    }
    return Promise.resolve();
  }
  #message(data) {
    if (this.#done) return;
    const line2 = typeof data === "string" ? utf87.encode(data) : new Uint8Array(data);
    if (line2.length > this.#options.maxLineBytes) {
      this.#fail(
        `a ${line2.length}-byte line from the server is over the ${this.#options.maxLineBytes}-byte limit`
      );
      return;
    }
    if (this.#held.length > 0 || this.#waiting) {
      this.#hold(line2);
      return;
    }
    const paused = this.#closing ? void 0 : this.#options.ready();
    if (paused === void 0) {
      this.#options.onLine(line2);
      return;
    }
    this.#hold(line2);
    this.#waitFor(paused);
  }
  #hold(line2) {
    if (this.#held.length >= this.#options.maxHeldLines) {
      this.#fail(
        `the consumer fell ${this.#options.maxHeldLines} lines behind a WebSocket, which cannot pause`
      );
      return;
    }
    this.#held.push(line2);
  }
  #waitFor(paused) {
    this.#waiting = true;
    paused.then(() => {
      this.#waiting = false;
      while (this.#held.length > 0 && !this.#done) {
        const next = this.#closing ? void 0 : this.#options.ready();
        if (next !== void 0) return this.#waitFor(next);
        this.#options.onLine(this.#held.shift());
      }
    });
  }
  #fail(reason) {
    this.#failure ??= new ConnectionClosedError(reason);
    this.#held = [];
    this.#ws.close(1008, "client limit");
  }
  async close() {
    if (!this.isClosed) {
      this.#closing = true;
      this.#ws.close(1e3);
      let timer;
      await Promise.race([
        this.#closed,
        new Promise((r) => timer = setTimeout(r, CLOSE_WAIT_MS))
      ]);
      clearTimeout(timer);
    }
    return await this.#closed;
  }
};

// client/browser_transport.ts
var browserTransport = Object.freeze(
  {
    name: "browser",
    connect(address, options) {
      if (address.scheme !== "ws" && address.scheme !== "wss") {
        return Promise.reject(
          new InvalidArgumentError(
            `a web page cannot open ${address.scheme}:// connections: use ws:// or wss://`
          )
        );
      }
      return WsConnection.open(formatServerUrl(address), options);
    }
  }
);

// client/client_events.ts
var ClientEvents = class {
  #listeners = /* @__PURE__ */ new Map();
  /** Calls `listener` on each `type` event; returns the unsubscriber. */
  on(type, listener) {
    let set = this.#listeners.get(type);
    if (set === void 0) this.#listeners.set(type, set = /* @__PURE__ */ new Set());
    set.add(listener);
    return () => set.delete(listener);
  }
  /** Hands `event` to every listener of `type`. */
  emit(type, event) {
    for (const listener of this.#listeners.get(type) ?? []) {
      try {
        listener(event);
      } catch (error) {
        reportError(error);
      }
    }
  }
};

// client/reconnect_options.ts
var DEFAULT_RECONNECT = Object.freeze({
  minDelayMs: 100,
  maxDelayMs: 5e3,
  giveUpAfterMs: 6e4,
  heartbeatMs: 5e3,
  deadAfterMs: 15e3,
  maxResendBytes: 4 * 1024 * 1024
});
function resolveReconnectOptions(options = {}) {
  const resolved = {
    ...DEFAULT_RECONNECT,
    ...options === true ? {} : options
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(
        `reconnect option ${name} must be a positive integer, got ${value}`
      );
    }
  }
  return resolved;
}
function backoffMs(options, attempt, random) {
  if (attempt === 0) return Math.floor(random * options.minDelayMs);
  const base = Math.min(
    options.maxDelayMs,
    options.minDelayMs * 2 ** Math.min(attempt, 30)
  );
  return Math.floor(base / 2 + random * base / 2);
}

// client/rejoin.ts
var Rejoin = class {
  #login = null;
  #room = null;
  /** The UDP channel was open when the session ended. */
  udp = false;
  /** Whether there is a session to get back to. */
  get wanted() {
    return this.#login !== null;
  }
  /** A login succeeded. */
  loggedIn(username, password) {
    this.#login = { username, password };
  }
  /** The server ended the session (superseded, kicked): do not log in again. */
  forget() {
    this.#login = null;
    this.#room = null;
  }
  /** A join succeeded. */
  joined(room, password) {
    this.#room = { room, password };
  }
  /** We left our room. */
  left() {
    this.#room = null;
  }
  /**
   * Logs in afresh, rejoins the room `inRoom` (if it is the one joined),
   * reopens UDP if it was open; says so with `rejoined`. A refused login
   * ends the client (`session-ended`, then closed); a drop meanwhile is left
   * to the connection, which tries again.
   */
  async run(client, inRoom, events) {
    const login = this.#login;
    const room = this.#room?.room === inRoom ? this.#room : null;
    const udp = this.udp;
    if (login === null) return;
    try {
      await client.login(login.username, login.password);
    } catch (error) {
      if (error instanceof ConnectionClosedError) return;
      this.forget();
      events.emit("session-ended", {
        sessionId: null,
        code: error instanceof LoginRefusedError ? "login-refused" : error.code ?? "login-failed",
        reason: error.message,
        rejoining: false
      });
      await client.close();
      return;
    }
    if (room !== null) {
      try {
        await client.join(room.room, room.password);
      } catch (error) {
        if (error instanceof ConnectionClosedError) return;
        this.left();
      }
    }
    if (udp) await client.openUdp().catch(() => {
    });
    events.emit("rejoined", {
      sessionId: client.sessionId,
      room: client.room
    });
  }
};

// client/back_signal.ts
var nothing = () => {
};
var BackSignal = class {
  #back = null;
  /** Resolves once the session is back; rejects if it ends instead. */
  wait() {
    if (this.#back === null) {
      this.#back = Promise.withResolvers();
      this.#back.promise.catch(nothing);
    }
    return this.#back.promise;
  }
  /** The session is back: the waiting writes are sent. */
  resolve() {
    const back = this.#back;
    this.#back = null;
    back?.resolve();
  }
  /** The session ended: the waiting writes fail with `error`. */
  fail(error) {
    const back = this.#back;
    this.#back = null;
    back?.reject(error);
  }
};

// client/current_link.ts
var CurrentLink = class {
  /** The connection in use; null while down or closed. */
  link = null;
  /** Up: connected; down: getting back; closed: for good. */
  state = "up";
  /** Closing has begun: a drop is no longer one. */
  closing = false;
  #open;
  #parts;
  /** Lines from connections of older generations are ignored. */
  #gen = 0;
  #lastIn = performance.now();
  #lastOut = performance.now();
  #paused = false;
  /** Connections come from `open`; what they say goes to `parts`. */
  constructor(open, parts) {
    this.#open = open;
    this.#parts = parts;
  }
  /**
   * Opens a connection of a new generation (not yet adopted).
   *
   * @throws {ConnectFailedError} when the server cannot be reached.
   */
  connect() {
    const gen = ++this.#gen;
    return this.#open({
      onLine: (line2) => {
        if (gen === this.#gen) this.#parts.onLine(line2);
      },
      ready: this.#ready
    });
  }
  /** Makes `link` the current connection and watches for its end. */
  adopt(link) {
    const gen = this.#gen;
    this.link = link;
    this.#lastIn = this.#lastOut = performance.now();
    link.closed.then((info) => {
      if (gen === this.#gen && !this.closing) this.#parts.dropped(info);
    });
  }
  /** Cuts `link` at once, as a network failure would. */
  cut(link) {
    if (link.abort === void 0) void link.close();
    else link.abort();
  }
  /** The current connection is gone: nothing more from it counts. */
  retire() {
    this.link = null;
    this.#gen++;
  }
  /** A line came in. */
  heard() {
    this.#lastIn = performance.now();
  }
  /** A line went out. */
  spoke() {
    this.#lastOut = performance.now();
  }
  /**
   * What the heartbeat finds: `dead` when nothing came for `deadAfterMs`
   * (while reading), `idle` when nothing went for `heartbeatMs`.
   */
  silence(deadAfterMs, heartbeatMs) {
    const now = performance.now();
    if (!this.#paused && now - this.#lastIn >= deadAfterMs) return "dead";
    return now - this.#lastOut >= heartbeatMs ? "idle" : null;
  }
  #ready = () => {
    const waiting = this.#parts.ready();
    if (waiting === void 0) return void 0;
    this.#paused = true;
    return waiting.then(() => {
      this.#paused = false;
      this.#lastIn = performance.now();
    });
  };
};

// client/reconnector.ts
var Reconnector = class {
  #parts;
  #looping = false;
  #downSince = 0;
  #holdDownUntil = 0;
  /** The drop was asked for (dropConnection): the transport's error is ours. */
  #dropping = false;
  #wake = null;
  /** The way back of the connection made of `parts`. */
  constructor(parts) {
    this.#parts = parts;
  }
  /** The next drop is asked for; stay down `downMs` first. */
  holdDown(downMs) {
    this.#holdDownUntil = performance.now() + downMs;
    this.#dropping = true;
  }
  /** Ends the wait before the next try (closing). */
  wake() {
    this.#wake?.();
  }
  /** The current connection ended with `info`. */
  dropped(info) {
    const { links, acks, resume, hooks } = this.#parts;
    if (links.state === "closed") return;
    const wasUp = links.state === "up";
    links.retire();
    links.state = "down";
    acks.stop();
    resume.dropped();
    if (!wasUp) return;
    if (!hooks.wantsBack()) {
      this.#parts.finish(info);
      return;
    }
    this.#downSince = performance.now();
    hooks.dropped();
    hooks.events.emit("disconnected", {
      error: this.#dropping ? void 0 : info.error,
      resumable: resume.resumable
    });
    this.#dropping = false;
    if (!this.#looping) this.#startBack();
  }
  /**
   * Runs the way back; should it fail unexpectedly (a listener of ours that
   * throws, the session ending under a resume), the client ends with that
   * error rather than leaving a rejection nobody handles.
   */
  #startBack() {
    this.#getBack().catch((error) => {
      this.#parts.finish({
        byClient: false,
        error: error instanceof Error ? error : new Error(String(error))
      });
    });
  }
  /** Tries connections, with backoff, until resumed, replaced or given up. */
  async #getBack() {
    this.#looping = true;
    let replaced = false;
    try {
      replaced = await this.#tryConnections();
    } finally {
      this.#looping = false;
    }
    const links = this.#parts.links;
    if (links.state === "down" && !links.closing) {
      return this.#getBack();
    }
    if (replaced) await this.#parts.hooks.relogin();
  }
  /** True when the session was lost and the client must log in afresh. */
  async #tryConnections() {
    const { links, options } = this.#parts;
    for (let attempt = 0; !links.closing; attempt++) {
      if (performance.now() - this.#downSince > options.giveUpAfterMs) {
        this.#giveUp();
        return false;
      }
      await this.#sleep(Math.max(
        backoffMs(options, attempt, Math.random()),
        this.#holdDownUntil - performance.now()
      ));
      if (links.closing) return false;
      let link;
      try {
        link = await links.connect();
      } catch {
        continue;
      }
      if (links.closing) {
        links.cut(link);
        return false;
      }
      const tried = await this.#tryOn(link, attempt + 1);
      if (tried === "retry") continue;
      return tried === "replaced";
    }
    return false;
  }
  #sleep(ms) {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
  /** Resumes on `link`, or replaces the session there when it cannot be. */
  async #tryOn(link, attempts) {
    const { resume, kept, links } = this.#parts;
    let refusal = {
      code: "not-resumable",
      text: "the session was not resumable"
    };
    if (resume.resumable) {
      const outcome = await resume.attempt(link, links);
      if (outcome.kind === "closed") return "retry";
      if (outcome.kind === "resumable") {
        const resent = kept.last - outcome.count;
        if (!await this.#resend(link, outcome.count)) return "retry";
        await this.#up(outcome, resent, attempts);
        return "resumed";
      }
      refusal = {
        code: "resume-refused",
        text: outcome.text.replace(/^9:7:[^:]*:/, "")
      };
    }
    this.#replace(link, refusal);
    return "replaced";
  }
  /** Sends again every line of ours after `count`, then those written meanwhile. */
  async #resend(link, count) {
    const acks = this.#parts.acks;
    try {
      return await this.#parts.kept.replay(link, count);
    } finally {
      if (acks.behind) acks.flush();
    }
  }
  async #up(answer, resent, attempts) {
    const { links, back, hooks, resume } = this.#parts;
    links.state = "up";
    links.spoke();
    back.resolve();
    const downtimeMs = Math.round(performance.now() - this.#downSince);
    const sessionId = resume.session?.id;
    await hooks.resumed(answer.udpSecret ?? null);
    if (sessionId === void 0 || resume.session === null) return;
    hooks.events.emit("resumed", {
      sessionId,
      downtimeMs,
      resent,
      attempts
    });
  }
  /** The session is lost: the client is to log in afresh on `link`. */
  #replace(link, why) {
    const { links, resume, back, kept, hooks } = this.#parts;
    const sessionId = hooks.sessionId();
    resume.lost();
    if (links.link !== link) links.adopt(link);
    links.state = "up";
    back.fail(new SessionEndedError(why.code, why.text));
    kept.failWaiting(new SessionEndedError(why.code, why.text));
    hooks.events.emit("session-ended", {
      sessionId,
      code: why.code,
      reason: why.text,
      rejoining: true
    });
  }
  #giveUp() {
    const { back, kept, hooks } = this.#parts;
    const reason = `no connection to the server for ${Math.round(performance.now() - this.#downSince)} ms`;
    back.fail(new SessionEndedError("unreachable", reason));
    kept.failWaiting(new SessionEndedError("unreachable", reason));
    hooks.events.emit("session-ended", {
      sessionId: hooks.sessionId(),
      code: "unreachable",
      reason,
      rejoining: false
    });
    this.#parts.finish({
      byClient: false,
      error: new ConnectionClosedError(reason)
    });
  }
};

// client/resend_log.ts
var REPLAY_SLICE_BYTES = 64 * 1024;
var ResendLog = class {
  #limits;
  #send;
  /** Our lines are numbered and kept (from our `7:` on). */
  #counting = false;
  #log = new LineLog();
  /** Our lines waiting for the log to have room (acknowledgements). */
  #waiting = [];
  #waitingBytes = 0;
  /**
   * Our lines are being sent again: in slices that may end inside a line,
   * so nothing else (an acknowledgement) may be written in between.
   */
  #resending = false;
  /** `send` writes a line (`kept`: it is in the log). */
  constructor(limits, send) {
    this.#limits = limits;
    this.#send = send;
  }
  /** The number of our last line kept. */
  get last() {
    return this.#log.last;
  }
  /** True while lines are being sent again. */
  get resending() {
    return this.#resending;
  }
  /** Lines are kept from now on, in a new log. */
  start() {
    this.#counting = true;
    this.#log = new LineLog();
  }
  /** Lines are no longer kept; the log goes. */
  stop() {
    this.#counting = false;
    this.#log = new LineLog();
  }
  /**
   * Writes one line: kept when counting, waiting while the log is full.
   *
   * @throws {SendBufferFullError} past `maxResendBytes` kept, or
   *   `maxWaitingBytes` waiting.
   */
  write(frame) {
    const kept = this.#counting && countsForResume(frame);
    if (!kept) return this.#send(frame, false);
    const limit = this.#limits.maxResendBytes;
    if (frame.length > limit) {
      return Promise.reject(new SendBufferFullError(limit));
    }
    if (this.#waiting.length > 0 || this.#log.bytes + frame.length > limit) {
      const maxWaiting = this.#limits.maxWaitingBytes;
      if (this.#waitingBytes + frame.length > maxWaiting) {
        return Promise.reject(new SendBufferFullError(maxWaiting));
      }
      this.#waitingBytes += frame.length;
      return new Promise((resolve, reject) => {
        this.#waiting.push({ frame, resolve, reject });
      });
    }
    return this.#keep(frame);
  }
  #keep(frame) {
    this.#log.append(frame);
    return this.#send(frame, true);
  }
  /** Sends the lines waiting for room in the log, as far as it has room. */
  drain() {
    const limit = this.#limits.maxResendBytes;
    while (this.#waiting.length > 0) {
      const next = this.#waiting[0];
      if (this.#counting && this.#log.bytes + next.frame.length > limit) return;
      this.#waiting.shift();
      this.#waitingBytes -= next.frame.length;
      const sent = this.#counting ? this.#keep(next.frame) : this.#send(next.frame, false);
      sent.then(next.resolve, next.reject);
    }
  }
  /** The waiting lines fail with `error`. */
  failWaiting(error) {
    const waiting = this.#waiting.splice(0);
    this.#waitingBytes = 0;
    for (const w of waiting) w.reject(error);
  }
  /** Whether the server may have `count` of our lines (kept, not acknowledged). */
  holds(count) {
    return count >= this.#log.acked && count <= this.#log.last;
  }
  /** The server has `count` of our lines: they go, waiting lines take their room. */
  acked(count) {
    if (!this.holds(count)) return;
    this.#log.ackTo(count);
    this.drain();
  }
  /** Sends again every line of ours after `count`, then those written meanwhile. */
  async replay(link, count) {
    this.#resending = true;
    try {
      return await this.#replayAll(link, count);
    } finally {
      this.#resending = false;
    }
  }
  async #replayAll(link, count) {
    let sent = count;
    while (sent < this.#log.last) {
      const end = this.#log.last;
      const runs = [];
      this.#log.replayAfter(sent, (bytes) => runs.push(bytes));
      for (const run of runs) {
        for (let i = 0; i < run.length; i += REPLAY_SLICE_BYTES) {
          try {
            await link.write(run.subarray(i, i + REPLAY_SLICE_BYTES));
          } catch {
            return false;
          }
        }
      }
      sent = end;
    }
    return !link.isClosed;
  }
};

// client/resume_session.ts
var nothing2 = () => {
};
var utf88 = new TextDecoder();
var ResumeSession = class {
  #kept;
  #acks;
  #times;
  /** The resumable session: its id and current token. */
  #session = null;
  #enabling = null;
  #attempt = null;
  /** Our lines are kept in `kept`; the server's are counted in `acks`. */
  constructor(kept, acks, times) {
    this.#kept = kept;
    this.#acks = acks;
    this.#times = times;
  }
  /** True while the session can be resumed after a drop. */
  get resumable() {
    return this.#session !== null;
  }
  /** The resumable session (its id), or null. */
  get session() {
    return this.#session;
  }
  /** True while a resume waits for its answer. */
  get attempting() {
    return this.#attempt !== null;
  }
  /**
   * Asks the server on `link` to make the session resumable (`7:`);
   * resolves true once it is. False when the server does not know resume,
   * or the connection dropped first.
   */
  async enable(link) {
    this.#kept.start();
    const enabling = this.#enabling = Promise.withResolvers();
    link.write(encodeResumeLine({ kind: "resume-on" })).catch(
      () => enabling.resolve(false)
    );
    const timer = setTimeout(
      () => enabling.resolve(false),
      this.#times.requestTimeoutMs
    );
    const ok = await enabling.promise;
    clearTimeout(timer);
    if (this.#enabling === enabling) this.#enabling = null;
    if (!ok && this.#session === null) {
      this.#kept.stop();
      this.#kept.drain();
    }
    return this.#session !== null;
  }
  /**
   * The session changed (a new login, or the server ended it): whatever
   * resume state there was belongs to the old one.
   */
  changed() {
    this.lost();
    this.#enabling?.resolve(false);
    this.#kept.drain();
  }
  /** The session can no longer be resumed: its kept lines and count go. */
  lost() {
    this.#session = null;
    this.#kept.stop();
    this.#acks.reset();
  }
  /** The connection dropped: an enabling `7:` gets no answer. */
  dropped() {
    this.#enabling?.resolve(false);
  }
  /** Closing: a resume waiting for its answer ends as closed. */
  cancel() {
    this.#attempt?.resolve({ kind: "closed" });
  }
  /**
   * Presents our token and count on `link` (adopted as current); resolves
   * with the answer, or closed when none comes in time.
   */
  attempt(link, links) {
    const session = this.#session;
    const attempt = this.#attempt = Promise.withResolvers();
    links.adopt(link);
    link.closed.then(() => attempt.resolve({ kind: "closed" }));
    const timer = setTimeout(() => {
      attempt.resolve({ kind: "closed" });
      links.cut(link);
    }, this.#times.deadAfterMs);
    link.write(encodeResumeLine({
      kind: "resume",
      id: session.id,
      token: session.token,
      count: this.#acks.received
    })).catch(nothing2);
    return attempt.promise.finally(() => {
      clearTimeout(timer);
      if (this.#attempt === attempt) this.#attempt = null;
    });
  }
  /** A line of the server's that is not a `7:` line, before the client gets it. */
  screen(line2) {
    const refusal = line2[0] === 57 && line2[1] === 58 && line2[2] === 55 && line2[3] === 58;
    if (this.#attempt !== null) {
      if (refusal) {
        this.#attempt.resolve({ kind: "refused", text: utf88.decode(line2) });
      }
      return;
    }
    if (refusal && this.#enabling !== null && this.#session === null) {
      this.#enabling.resolve(false);
    }
    if (this.#session !== null) this.#acks.count(line2.length);
  }
  /** A `7:` line from the server. */
  control(line2) {
    const msg = decodeResumeServerLine(line2);
    if (msg === null) return;
    switch (msg.kind) {
      case "ack":
        this.#kept.acked(msg.count);
        return;
      case "resume-off":
        this.#session = null;
        this.#kept.stop();
        this.#enabling?.resolve(false);
        this.#kept.drain();
        return;
      case "resumable":
        return this.#resumable(msg);
    }
  }
  #resumable(msg) {
    const attempt = this.#attempt;
    if (attempt !== null) {
      this.#attempt = null;
      if (msg.id !== this.#session?.id || !this.#kept.holds(msg.count)) {
        attempt.resolve({
          kind: "refused",
          text: `the server's answer (${msg.count} of our lines) does not match ours`
        });
        return;
      }
      this.#kept.acked(msg.count);
      this.#session.token = msg.token;
      this.#acks.caughtUp();
      attempt.resolve(msg);
      return;
    }
    if (this.#enabling !== null) {
      this.#session = { id: msg.id, token: msg.token };
      this.#acks.reset();
      this.#enabling.resolve(true);
      return;
    }
    if (this.#session !== null) this.#session.token = msg.token;
  }
};

// client/resuming_connection.ts
var nothing3 = () => {
};
var ResumingConnection = class _ResumingConnection {
  #options;
  #hooks;
  #final = Promise.withResolvers();
  #links;
  #kept;
  #acks;
  #resume;
  #back = new BackSignal();
  #reconnector;
  #heartbeat;
  constructor(open, options, hooks, limits) {
    this.#options = options;
    this.#hooks = hooks;
    this.#links = new CurrentLink(open, {
      onLine: (line2) => this.#line(line2),
      ready: () => hooks.ready(),
      dropped: (info) => this.#reconnector.dropped(info)
    });
    this.#kept = new ResendLog({
      maxResendBytes: options.maxResendBytes,
      maxWaitingBytes: limits.maxPendingBytes
    }, (frame, kept) => this.#send(frame, kept));
    this.#acks = new AckCounter({
      canSend: () => this.#links.link !== null && this.#resume.resumable && !this.#resume.attempting && !this.#kept.resending,
      send: (count) => {
        this.#links.spoke();
        this.#links.link.write(encodeResumeLine({ kind: "ack", count })).catch(nothing3);
      }
    });
    this.#resume = new ResumeSession(this.#kept, this.#acks, {
      requestTimeoutMs: limits.requestTimeoutMs,
      deadAfterMs: options.deadAfterMs
    });
    this.#reconnector = new Reconnector({
      links: this.#links,
      resume: this.#resume,
      kept: this.#kept,
      acks: this.#acks,
      back: this.#back,
      hooks,
      options,
      finish: (info) => this.#finish(info)
    });
    this.#heartbeat = setInterval(this.#beat, options.heartbeatMs);
  }
  /**
   * Opens the first connection. `limits`: how long `7:` may wait for its
   * answer, and how many bytes of lines may wait for room in the log.
   *
   * @throws {ConnectFailedError} when the server cannot be reached.
   */
  static async open(open, options, hooks, limits) {
    const rc = new _ResumingConnection(open, options, hooks, limits);
    try {
      rc.#links.adopt(await rc.#links.connect());
    } catch (error) {
      clearInterval(rc.#heartbeat);
      throw error;
    }
    return rc;
  }
  /** Resolves once the client is done: closed, or given up. */
  get closed() {
    return this.#final.promise;
  }
  /** True once closing has begun or the client gave up (not while reconnecting). */
  get isClosed() {
    return this.#links.closing || this.#links.state === "closed";
  }
  /** True while a connection is up (false while reconnecting). */
  get connected() {
    return this.#links.state === "up";
  }
  /** True while the session can be resumed after a drop. */
  get resumable() {
    return this.#resume.resumable;
  }
  /** Bytes written and not yet handed to the network. */
  get pendingBytes() {
    return this.#links.link?.pendingBytes ?? 0;
  }
  /**
   * Writes one line (with its `\n`). While the session is resumable it is
   * kept until acknowledged, and a line written while disconnected waits:
   * the promise then resolves once it has been sent on the new connection.
   *
   * @throws {SendBufferFullError} past `maxResendBytes` kept.
   * @throws {SessionEndedError} when the session ended before it was sent.
   * @throws {ConnectionClosedError} when closed, or down without a session
   *   to resume.
   */
  write(frame) {
    if (this.isClosed) return Promise.reject(new ConnectionClosedError());
    return this.#kept.write(frame);
  }
  /** Writes `frame` on the connection, or waits for the session to be back. */
  #send(frame, kept) {
    const link = this.#links.link;
    if (this.#links.state === "up" && link !== null) {
      this.#links.spoke();
      const written = link.write(frame);
      return kept ? written.catch(
        (error) => this.#resume.resumable ? this.#back.wait() : Promise.reject(error)
      ) : written;
    }
    if (kept && this.#resume.resumable) return this.#back.wait();
    return Promise.reject(
      new ConnectionClosedError("disconnected; the session is being replaced")
    );
  }
  /**
   * Asks the server to make the session resumable (`7:`); resolves true
   * once it is. False when the server does not know resume, or the
   * connection dropped first.
   */
  async enableResume() {
    const link = this.#links.link;
    if (this.#resume.resumable) return true;
    if (link === null || this.#links.state !== "up") return false;
    return await this.#resume.enable(link);
  }
  /**
   * The session changed (a new login, or the server ended it): whatever
   * resume state there was belongs to the old one.
   */
  sessionChanged() {
    this.#resume.changed();
  }
  /**
   * Cuts the connection as a network failure would, then gets back as after
   * any drop; `downMs` keeps it down that long first. Nothing happens when
   * it is down already.
   */
  dropConnection(downMs = 0) {
    const link = this.#links.link;
    if (this.#links.state !== "up" || link === null) return;
    this.#reconnector.holdDown(downMs);
    this.#links.cut(link);
  }
  /**
   * Ends the session and the connection: turns resume off (`7:-1`, so the
   * server ends the session at once rather than holding it), writes what is
   * queued and closes. While disconnected, what waits to be sent is dropped.
   */
  async close() {
    const links = this.#links;
    if (links.state === "closed" || links.closing) return await this.closed;
    links.closing = true;
    this.#reconnector.wake();
    this.#resume.cancel();
    this.#back.fail(new ConnectionClosedError("closed"));
    const link = links.link;
    let info = { byClient: true };
    if (link !== null && links.state === "up") {
      if (this.#resume.resumable) {
        link.write(encodeResumeLine({ kind: "resume-off" })).catch(nothing3);
      }
      info = await link.close();
    } else if (link !== null) {
      links.cut(link);
    }
    this.#finish({ ...info, byClient: true });
    return info;
  }
  #finish(info) {
    if (this.#links.state === "closed") return;
    this.#links.state = "closed";
    this.#links.retire();
    clearInterval(this.#heartbeat);
    this.#acks.stop();
    this.#reconnector.wake();
    this.#back.fail(new ConnectionClosedError());
    this.#kept.failWaiting(new ConnectionClosedError());
    this.#final.resolve(info);
  }
  #line(line2) {
    this.#links.heard();
    if (line2[0] === RESUME_BYTE) return this.#resume.control(line2);
    this.#resume.screen(line2);
    this.#hooks.onLine(line2);
  }
  /** The heartbeat: an acknowledgement when idle; a silent connection is cut. */
  #beat = () => {
    const link = this.#links.link;
    if (link === null || this.#links.state !== "up" || !this.#resume.resumable || this.#resume.attempting) {
      return;
    }
    const options = this.#options;
    const silence = this.#links.silence(
      options.deadAfterMs,
      options.heartbeatMs
    );
    if (silence === "dead") this.#links.cut(link);
    else if (silence === "idle") this.#acks.flush();
  };
};

// client/client_core.ts
var ClientCore = class _ClientCore {
  /** The limits the client keeps. */
  limits;
  /** Our session, room, members and master as the server's lines tell. */
  state = new RoomState();
  /** Requests waiting for their answers. */
  requests = new RequestQueue();
  /** The listeners and iterators of incoming lines. */
  incoming;
  /** `disconnected`, `resumed`, `session-ended`, `rejoined`. */
  events = new ClientEvents();
  /** With `reconnect`: the connection that comes back, and what to rejoin. */
  resuming = null;
  /** What a fresh login needs when a session cannot be resumed. */
  rejoin = new Rejoin();
  /** The handling of each line from the server. */
  receiver;
  /** The server, and its UDP port. */
  server;
  /** The session's UDP channel. */
  udp;
  /** The connection (a {@linkcode ResumingConnection} with `reconnect`). */
  conn;
  /** Every line written goes through it. */
  out;
  /** Resolves once the connection has ended and the client with it. */
  closed;
  /** The client a fresh login and rejoin act through (set by the client). */
  client = null;
  constructor(options, limits) {
    this.limits = limits;
    this.incoming = new Subscribers(limits.maxBufferedMessages);
    this.receiver = new Receiver({
      state: this.state,
      requests: this.requests,
      incoming: this.incoming,
      rejoin: this.rejoin,
      events: this.events,
      sessionChanged: () => {
        void this.udp.close();
        this.resuming?.sessionChanged();
      }
    });
    this.server = resolveServer(options);
    this.udp = new ClientUdp({
      transport: options.transport ?? browserTransport,
      server: this.server,
      state: this.state,
      rejoin: this.rejoin,
      deliver: (incoming) => this.incoming.deliver(incoming)
    });
  }
  /**
   * Connects to a server.
   *
   * @throws {ConnectFailedError} when the server cannot be reached.
   */
  static async open(options) {
    const limits = resolveClientLimits(options.limits);
    const core = new _ClientCore(options, limits);
    const transport = options.transport ?? browserTransport;
    const open = ({ onLine, ready }) => transport.connect(core.server.address, {
      maxLineBytes: limits.maxIncomingLineBytes,
      maxPendingBytes: limits.maxPendingBytes,
      connectTimeoutMs: limits.connectTimeoutMs,
      maxHeldLines: limits.maxBufferedMessages,
      onLine,
      ready
    }, options.tls);
    if (options.reconnect) {
      core.conn = core.resuming = await ResumingConnection.open(
        open,
        resolveReconnectOptions(options.reconnect),
        core.#resumeHooks(),
        limits
      );
    } else {
      core.conn = await open({
        onLine: (line2) => core.receiver.receive(line2),
        ready: () => core.incoming.ready()
      });
    }
    core.out = new Outbox({
      conn: core.conn,
      limits,
      requests: core.requests,
      state: core.state,
      udp: core.udp
    });
    core.closed = core.conn.closed.then((info) => core.#ended(info));
    return core;
  }
  #resumeHooks() {
    return {
      onLine: (line2) => this.receiver.receive(line2),
      ready: () => this.incoming.ready(),
      events: this.events,
      wantsBack: () => this.rejoin.wanted,
      sessionId: () => this.state.sessionId,
      // The server closed our channel with the connection; a resume brings
      // a new secret, and the channel is opened again with it.
      dropped: () => void this.udp.closeChannel(),
      resumed: async (secret) => {
        this.state.setUdpSecret(secret);
        if (this.rejoin.udp && secret !== null) {
          await this.udp.open({}).catch(() => {
          });
        }
      },
      relogin: () => {
        const inRoom = this.state.room;
        this.requests.failAll(
          new SessionEndedError("resume-refused", "the session ended")
        );
        this.state.apply({ kind: "logged-out" });
        return this.rejoin.run(this.client, inRoom, this.events);
      }
    };
  }
  #ended(info) {
    void this.udp.close();
    this.requests.failAll(
      new ConnectionClosedError(
        info.byClient ? "connection closed" : "connection lost",
        info.error ? { cause: info.error } : void 0
      )
    );
    this.incoming.end();
    return info;
  }
};

// client/message_sender.ts
var MessageSender = class {
  /** Sends to the room with `mode` 0–3 (see {@linkcode SendMode}). */
  async send(mode, payload, options) {
    if (![0, 1, 2, 3].includes(mode)) {
      throw new InvalidArgumentError(`send mode ${mode} is not 0 to 3`);
    }
    return await this.deliver(
      { kind: "send", mode, payload: toPayload(payload) },
      options
    );
  }
  /** `3:0`: to the others in the room. */
  sendToOthers(payload, options) {
    return this.send(SendMode.Others, payload, options);
  }
  /** `3:1`: to everyone in the room, us included. */
  sendToAll(payload, options) {
    return this.send(SendMode.All, payload, options);
  }
  /** `3:2`: to the others, in the room's total order. */
  sendToOthersOrdered(payload, options) {
    return this.send(SendMode.OthersOrdered, payload, options);
  }
  /** `3:3`: to everyone, in the room's total order. */
  sendToAllOrdered(payload, options) {
    return this.send(SendMode.AllOrdered, payload, options);
  }
  /** `3:4`: to the listed users, wherever they are. */
  async sendTo(ids, payload, options) {
    if (ids.length === 0) throw new InvalidArgumentError("no recipients");
    checkIds("recipients", ids, DEFAULT_LIMITS.maxRecipients);
    const bytes = toPayload(payload);
    checkUsersPayload(bytes);
    return await this.deliver(
      { kind: "send-users", to: ids, payload: bytes },
      options
    );
  }
  /** `5:`: defines (replaces) our group `group`; no ids deletes it. */
  async defineGroup(group, ids) {
    checkNameArg("group name", group);
    checkIds("group members", ids, DEFAULT_LIMITS.maxGroupMembers);
    return await this.deliver({
      kind: "define-group",
      group,
      members: ids
    });
  }
  /** `4:`: to the members of our group `group`. */
  async sendToGroup(group, payload, options) {
    checkNameArg("group name", group);
    return await this.deliver(
      { kind: "send-group", group, payload: toPayload(payload) },
      options
    );
  }
};

// client/raw_request.ts
var CR2 = 13;
var REQUEST_COMMANDS = ["0", "1", "2"];
function rawRequest(line2, loggedOut) {
  const end = line2.length > 0 && line2[line2.length - 1] === CR2 ? line2.length - 1 : line2.length;
  const msg = decodeClientLine(line2.subarray(0, end));
  switch (msg.kind) {
    case "invalid":
      return loggedOut || REQUEST_COMMANDS.includes(msg.command) ? { kind: "one-reply", command: msg.command } : null;
    case "login":
      return { kind: "login", username: msg.username };
    case "list-rooms":
      return { kind: "list-rooms" };
    case "join":
      return { kind: "join", room: msg.room };
    case "leave":
      return { kind: "leave" };
    default:
      return loggedOut ? { kind: "one-reply", command: String.fromCharCode(line2[0]) } : null;
  }
}

// client/relay_client.ts
var LF4 = 10;
var utf89 = new TextEncoder();
var RelayClient = class _RelayClient extends MessageSender {
  #core;
  constructor(core) {
    super();
    this.#core = core;
    core.client = this;
  }
  /**
   * Connects to a server.
   *
   * @throws {ConnectFailedError} when the server cannot be reached.
   */
  static async connect(options = {}) {
    return new _RelayClient(await ClientCore.open(options));
  }
  /**
   * Calls `listener` on each `type` event — `disconnected`, `resumed`,
   * `session-ended`, `rejoined` (with `reconnect` on); returns the
   * unsubscriber.
   */
  on(type, listener) {
    return this.#core.events.on(type, listener);
  }
  /** False while reconnecting after a drop (with `reconnect` on). */
  get connected() {
    return this.#core.resuming?.connected ?? !this.isClosed;
  }
  /** True while the session can be resumed after a drop. */
  get resumable() {
    return this.#core.resuming?.resumable ?? false;
  }
  /** Members of our room whose sessions are held for them (`6:<id>:away`). */
  get away() {
    return this.#core.state.away;
  }
  /**
   * Cuts the connection as a network failure would and gets back as after
   * any drop (a demonstration, a test, the REPL's `/reconnect`); `downMs`
   * keeps it down that long first.
   *
   * @throws {InvalidArgumentError} unless connected with `reconnect`.
   */
  dropConnection(downMs = 0) {
    if (this.#core.resuming === null) {
      throw new InvalidArgumentError(
        "dropConnection needs RelayClient.connect({ reconnect: true })"
      );
    }
    this.#core.resuming.dropConnection(downMs);
  }
  /** How this client reached the server (`ws`, `tls`, ...). */
  get scheme() {
    return this.#core.server.address.scheme;
  }
  /** Our session id, or null when not logged in. */
  get sessionId() {
    return this.#core.state.sessionId;
  }
  /** The room we are in, or null. */
  get room() {
    return this.#core.state.room;
  }
  /** The current room's members in join order (us included). */
  get members() {
    return this.#core.state.members;
  }
  /** The current room's master client, or null. */
  get master() {
    return this.#core.state.master;
  }
  /** True while a UDP channel is open (see {@linkcode openUdp}). */
  get udp() {
    return this.#core.udp.channel !== null;
  }
  /**
   * Opens the UDP channel of the current session: lossy sends can then go
   * with `{ channel: "udp" }`, and other clients' lossy messages to us arrive
   * as datagrams (`Incoming.via === "udp"`). It ends with the session.
   *
   * @throws {NotLoggedInError} before a login.
   * @throws {UdpUnavailableError} when the server offers no UDP (no secret in
   *   its login reply) or does not answer the handshake.
   */
  async openUdp(options = {}) {
    await this.#core.udp.open(options);
  }
  /** Closes the UDP channel, if open; sends then go over TCP only. */
  async closeUdp() {
    await this.#core.udp.close();
  }
  /** True once the connection is closing or closed. */
  get isClosed() {
    return this.#core.conn.isClosed;
  }
  /** Resolves (never rejects) once the connection has ended. */
  get closed() {
    return this.#core.closed;
  }
  /**
   * Logs in; resolves to the session id.
   *
   * @throws {LoginRefusedError} on `0:-1` (code `login-refused`).
   */
  async login(username, password = "") {
    checkNameArg("username", username);
    checkPasswordArg(password);
    const id = await this.#core.out.request(
      { kind: "login", username },
      { kind: "login", username, password }
    );
    if (this.#core.resuming !== null) {
      this.#core.rejoin.loggedIn(username, password);
      await this.#core.resuming.enableResume();
    }
    return id;
  }
  /** Lists public rooms, plus the private ones `password` opens. */
  async listRooms(password = "") {
    checkPasswordArg(password);
    return await this.#core.out.request({ kind: "list-rooms" }, {
      kind: "list-rooms",
      password
    });
  }
  /**
   * Joins `room` (leaving the current one), resolving once the whole join
   * sequence has arrived: our own `2:`, the members, then the master.
   *
   * @throws {RefusedError} e.g. code `wrong-password` or `already-in-room`.
   */
  async join(room, password = "") {
    checkRoomArg(room);
    checkPasswordArg(password);
    const joined = await this.#core.out.request(
      { kind: "join", room },
      { kind: "join", room, password }
    );
    this.#core.rejoin.joined(room, password);
    return joined;
  }
  /** Leaves the current room. @throws {RefusedError} `not-in-room`. */
  async leave() {
    await this.#core.out.request({ kind: "leave" }, { kind: "leave" });
    this.#core.rejoin.left();
  }
  /**
   * Sends one line verbatim (a `\n` is added), for debugging servers. Its
   * answers arrive as events; the library still tracks them so that they
   * are not mistaken for answers to its own requests.
   */
  async sendRaw(line2) {
    const bytes = typeof line2 === "string" ? utf89.encode(line2) : line2;
    if (bytes.includes(LF4)) {
      throw new InvalidArgumentError("a raw line cannot contain a newline");
    }
    if (this.#core.resuming !== null && !countsForResume(bytes)) {
      throw new InvalidArgumentError(
        "7 lines are the library's own with reconnect on (resume)"
      );
    }
    const frame = new Uint8Array(bytes.length + 1);
    frame.set(bytes);
    frame[bytes.length] = LF4;
    const request = rawRequest(bytes, this.#core.out.loggedOut());
    if (request !== null) this.#core.requests.track(request).catch(() => {
    });
    return await this.#core.out.write(frame);
  }
  /** Calls `listener` with every incoming line; returns the unsubscriber. */
  onMessage(listener) {
    return this.#core.incoming.listen(listener);
  }
  /**
   * Calls `listener` with every line written (with its `\n`), for traces;
   * `via` is `"udp"` for a message sent as a datagram (given as its line).
   */
  onSent(listener) {
    return this.#core.out.onSent(listener);
  }
  /**
   * Every line that arrives from now on, until the connection ends. When
   * the consumer falls `maxBufferedMessages` behind, reading pauses.
   */
  messages() {
    return this.#core.incoming.iterate();
  }
  /** Same as {@linkcode messages}. */
  [Symbol.asyncIterator]() {
    return this.messages();
  }
  /**
   * Writes what is queued, tells the server we are done, delivers the lines
   * it still sends (the answers to our last lines), and resolves once the
   * connection has ended. Bounded: each phase waits at most 2 s.
   */
  async close() {
    await this.#core.conn.close();
    return await this.#core.closed;
  }
  async [Symbol.asyncDispose]() {
    await this.close();
  }
  /** Sends `msg` through the outbox (see {@linkcode MessageSender}). */
  deliver(msg, options) {
    return this.#core.out.deliver(msg, options);
  }
};

// client/objects/network_object.ts
var NetworkObject = class {
  /** `<creatorId>-<counter>`, or `-1-<n>` for a scene object. */
  id;
  /** The type name given to `instantiate`. */
  type;
  /** Destroyed when its owner leaves, instead of adopted by the master. */
  boundToOwner;
  /** The field names, in the order of their change-mask bits. */
  fieldNames;
  #host;
  #last;
  /** A handle for `state`, read through `host`. */
  constructor(state, host) {
    this.id = state.id;
    this.type = state.type;
    this.boundToOwner = state.boundToOwner;
    this.fieldNames = state.names;
    this.#host = host;
    this.#last = state;
  }
  /** True once the object has left the scene. */
  get destroyed() {
    return this.#host.state(this.id) === void 0;
  }
  /** The owner as every client agrees, by the room's order (the last known one once destroyed). */
  get owner() {
    return this.#state().owner;
  }
  /** True when this client owns the object or has a claim on it in flight. */
  get isMine() {
    const state = this.#host.state(this.id);
    return state !== void 0 && this.#host.local.acts(state);
  }
  /**
   * A field's value (with this client's changes while its claim is in
   * flight). Vectors are frozen; do not change a returned byte array.
   *
   * @throws {InvalidArgumentError} when there is no such field.
   */
  get(name) {
    const state = this.#state();
    const index = state.indexOf(name);
    if (index < 0) {
      throw new InvalidArgumentError(`object ${this.id} has no field ${name}`);
    }
    return this.#host.local.value(state, index);
  }
  /** Every field's value by name (a fresh object). */
  fields() {
    const state = this.#state();
    return state.fields((i) => this.#host.local.value(state, i));
  }
  /**
   * Changes a field; sent with the next tick, if it differs.
   *
   * @throws {NotOwnerError} unless this client owns or has claimed the object.
   * @throws {UnknownObjectError} once the object is destroyed.
   * @throws {InvalidArgumentError} for an unknown field or a value of another type.
   */
  set(name, value) {
    this.#host.local.set(this.id, name, value);
    return this;
  }
  #state() {
    const state = this.#host.state(this.id);
    if (state !== void 0) this.#last = state;
    return this.#last;
  }
  /** The object as JSON: id, type, owner and fields. */
  toJSON() {
    return {
      id: this.id,
      type: this.type,
      owner: this.owner,
      boundToOwner: this.boundToOwner,
      fields: this.fields()
    };
  }
};

// client/objects/field_value.ts
var FieldType = {
  Number: "n",
  String: "s",
  Boolean: "b",
  Bytes: "x",
  Vector: "v"
};
var MAX_VECTOR_LENGTH = 16;
function vec2(x, y) {
  return Object.freeze([x, y]);
}
function vec3(x, y, z) {
  return Object.freeze([x, y, z]);
}
function vec4(x, y, z, w) {
  return Object.freeze([x, y, z, w]);
}
function fieldTypeOf(value) {
  switch (typeof value) {
    case "number":
      return FieldType.Number;
    case "string":
      return FieldType.String;
    case "boolean":
      return FieldType.Boolean;
  }
  if (value instanceof Uint8Array) return FieldType.Bytes;
  if (Array.isArray(value)) return FieldType.Vector;
  throw new InvalidArgumentError(
    `a field holds a number, string, boolean, Uint8Array or number[]; got ${value === null ? "null" : typeof value}`
  );
}
function checkedValue(name, type, value) {
  const actual = fieldTypeOf(value);
  if (actual !== type) {
    throw new InvalidArgumentError(
      `field ${name} is of type ${typeName(type)}, not ${typeName(actual)}`
    );
  }
  if (typeof value === "string" && !value.isWellFormed()) {
    throw new InvalidArgumentError(
      `field ${name}: string has a lone surrogate`
    );
  }
  if (value instanceof Uint8Array) return value.slice();
  if (Array.isArray(value)) {
    if (value.length > MAX_VECTOR_LENGTH) {
      throw new InvalidArgumentError(
        `field ${name}: vector of ${value.length} components, over ${MAX_VECTOR_LENGTH}`
      );
    }
    if (!value.every((c) => typeof c === "number")) {
      throw new InvalidArgumentError(`field ${name}: vector of non-numbers`);
    }
    return Object.freeze([...value]);
  }
  return value;
}
function sameValue(a, b) {
  if (a instanceof Uint8Array) {
    return b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
  }
  return Object.is(a, b);
}
function typeName(type) {
  switch (type) {
    case FieldType.Number:
      return "number";
    case FieldType.String:
      return "string";
    case FieldType.Boolean:
      return "boolean";
    case FieldType.Bytes:
      return "bytes";
    case FieldType.Vector:
      return "vector";
  }
}

// client/objects/scene_errors.ts
var SceneErrorCode = {
  NotOwner: "not-owner",
  UnknownObject: "unknown-object",
  WireFormat: "wire-format",
  SyncTimeout: "sync-timeout",
  SyncOverflow: "sync-overflow",
  TooManyObjects: "too-many-objects",
  SceneClosed: "scene-closed"
};
var WireFormatError = class extends SyntaxError {
  /** Stable code for programs. */
  code = SceneErrorCode.WireFormat;
  /** Creates the error with what is wrong. */
  constructor(message) {
    super(message);
    this.name = "WireFormatError";
  }
};
var NotOwnerError = class extends ClientError {
  /** Creates the error for `action` on object `id`. */
  constructor(id, action) {
    super(SceneErrorCode.NotOwner, `${action} ${id}: not its owner`);
    this.id = id;
    this.name = "NotOwnerError";
  }
  id;
};
var UnknownObjectError = class extends ClientError {
  /** Creates the error for object `id`. */
  constructor(id) {
    super(SceneErrorCode.UnknownObject, `no object ${id} in the scene`);
    this.id = id;
    this.name = "UnknownObjectError";
  }
  id;
};
var SceneSyncError = class extends ClientError {
  /** Creates the error with code `sync-timeout` or `sync-overflow`. */
  constructor(code, message, options) {
    super(code, message, options);
    this.name = "SceneSyncError";
  }
};
var SceneClosedError = class extends ClientError {
  /** Creates the error; `cause` says why the scene ended, when known. */
  constructor(message = "the scene has ended", options) {
    super(SceneErrorCode.SceneClosed, message, options);
    this.name = "SceneClosedError";
  }
};
var TooManyObjectsError = class extends ClientError {
  /** Creates the error for a cap of `max`. */
  constructor(max) {
    super(
      SceneErrorCode.TooManyObjects,
      `the scene holds its limit of ${max} objects`
    );
    this.max = max;
    this.name = "TooManyObjectsError";
  }
  max;
};

// client/objects/value_codec.ts
var EMPTY = "~";
var NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
var BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
var HEX = "0123456789ABCDEF";
var utf810 = new TextEncoder();
var strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
function encodeValue(type, value) {
  switch (type) {
    case FieldType.Number:
      return encodeNumber(value);
    case FieldType.String:
      return encodeString(value);
    case FieldType.Boolean:
      return value ? "1" : "0";
    case FieldType.Bytes: {
      const bytes = value;
      if (bytes.length === 0) return EMPTY;
      return bytes.toBase64({ alphabet: "base64url", omitPadding: true });
    }
    case FieldType.Vector: {
      const vector = value;
      return vector.length === 0 ? EMPTY : vector.map(encodeNumber).join(",");
    }
  }
}
function decodeValue(type, token) {
  switch (type) {
    case FieldType.Number:
      return decodeNumber(token);
    case FieldType.String:
      return token === EMPTY ? "" : decodeString(token);
    case FieldType.Boolean:
      if (token === "1") return true;
      if (token === "0") return false;
      throw new WireFormatError(
        `boolean ${JSON.stringify(token)} is not 1 or 0`
      );
    case FieldType.Bytes:
      if (token === EMPTY) return new Uint8Array(0);
      return decodeBytes(token);
    case FieldType.Vector: {
      if (token === EMPTY) return Object.freeze([]);
      const parts = token.split(",");
      if (parts.length > MAX_VECTOR_LENGTH) {
        throw new WireFormatError(
          `vector of ${parts.length} components, over ${MAX_VECTOR_LENGTH}`
        );
      }
      return Object.freeze(parts.map(decodeNumber));
    }
  }
}
function encodeNumber(x) {
  return Object.is(x, -0) ? "-0" : String(x);
}
function decodeNumber(token) {
  if (NUMBER.test(token)) {
    const n = Number(token);
    if (Number.isFinite(n)) return n;
    throw new WireFormatError(`${JSON.stringify(token)} overflows a double`);
  }
  if (token === "NaN") return NaN;
  if (token === "Infinity") return Infinity;
  if (token === "-Infinity") return -Infinity;
  throw new WireFormatError(`${JSON.stringify(token)} is not a number`);
}
function mustEscape(code) {
  return code <= 32 || code === 37 || code === 58 || code === 126 || code === 127;
}
function encodeString(text2) {
  if (text2 === "") return EMPTY;
  let plain = true;
  for (let i = 0; i < text2.length && plain; i++) {
    plain = !mustEscape(text2.charCodeAt(i));
  }
  if (plain) return text2;
  let out = "";
  for (const char of text2) {
    const code = char.charCodeAt(0);
    out += code < 128 && mustEscape(code) ? `%${HEX[code >> 4]}${HEX[code & 15]}` : char;
  }
  return out;
}
function decodeString(token) {
  if (token === "") {
    throw new WireFormatError("an empty token (the empty string is ~)");
  }
  if (!token.includes("%")) {
    checkUnescaped(token);
    return token;
  }
  const bytes = utf810.encode(token);
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte !== 37) {
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
      { cause }
    );
  }
}
function checkUnescaped(token) {
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code < 128 && mustEscape(code)) throw unescaped(code);
  }
}
function unescaped(code) {
  return new WireFormatError(
    `byte 0x${code.toString(16)} must be %-escaped in a string`
  );
}
function hexDigit(byte) {
  if (byte === void 0) return -1;
  if (byte >= 48 && byte <= 57) return byte - 48;
  if (byte >= 65 && byte <= 70) return byte - 55;
  if (byte >= 97 && byte <= 102) return byte - 87;
  return -1;
}
function decodeBytes(token) {
  const padded = token.endsWith("=");
  if (!BASE64URL.test(token) || token.length % 4 === 1 || padded && token.length % 4 !== 0) {
    throw new WireFormatError(`${JSON.stringify(token)} is not base64url`);
  }
  return Uint8Array.fromBase64(token, {
    alphabet: "base64url",
    lastChunkHandling: "loose"
  });
}

// client/objects/object_state.ts
var ObjectState = class {
  id;
  type;
  boundToOwner;
  /** Field names in instantiate order: field i is mask bit i. */
  names;
  types;
  #index;
  #values;
  /** The confirmed owner's session id. */
  owner;
  /** Newest update sequence number applied, per sender. */
  seqs = /* @__PURE__ */ new Map();
  /** An object as `description` gives it, owned by `owner`. */
  constructor(description, owner) {
    this.id = description.id;
    this.type = description.type;
    this.boundToOwner = description.boundToOwner;
    this.names = description.fields.map((f) => f.name);
    this.types = description.fields.map((f) => f.type);
    this.#index = new Map(this.names.map((name, i) => [name, i]));
    this.#values = description.fields.map((f) => f.value);
    this.owner = owner;
  }
  /** The mask with every field's bit set. */
  get fullMask() {
    return this.names.length === 32 ? 4294967295 : (1 << this.names.length) - 1;
  }
  /** The field's index, or -1 when there is no such field. */
  indexOf(name) {
    return this.#index.get(name) ?? -1;
  }
  /** A field's value by name (undefined when there is no such field). */
  get(name) {
    const i = this.#index.get(name);
    return i === void 0 ? void 0 : this.#values[i];
  }
  /** A field's value by index. */
  at(index) {
    return this.#values[index];
  }
  /** Sets field `index` to a value already checked against its type. */
  setAt(index, value) {
    this.#values[index] = value;
  }
  /**
   * Applies the value tokens of an update with `mask`; returns the names of
   * the fields that changed. Nothing is applied if a token is bad.
   *
   * @throws {WireFormatError} for a bit beyond the fields, or a bad token.
   */
  applyTokens(mask, tokens) {
    if ((mask & ~this.fullMask) !== 0) {
      throw new WireFormatError(
        `mask ${mask.toString(16)} names fields ${this.id} does not have`
      );
    }
    const decoded = [];
    let t = 0;
    for (let i = 0; i < this.names.length; i++) {
      if (mask >>> i & 1) {
        decoded.push([i, decodeValue(this.types[i], tokens[t++])]);
      }
    }
    for (const [i, value] of decoded) this.#values[i] = value;
    return decoded.map(([i]) => this.names[i]);
  }
  /** The value tokens of the fields in `mask`, lowest bit first. */
  tokens(mask, value = (i) => this.#values[i]) {
    const out = [];
    for (let i = 0; i < this.names.length; i++) {
      if (mask >>> i & 1) out.push(encodeValue(this.types[i], value(i)));
    }
    return out;
  }
  /** The object as `I` and `S` describe it, with its current values. */
  describe(value = (i) => this.#values[i]) {
    return {
      id: this.id,
      type: this.type,
      boundToOwner: this.boundToOwner,
      fields: this.names.map((name, i) => ({
        name,
        type: this.types[i],
        value: value(i)
      }))
    };
  }
  /** Field values by name (a fresh object). */
  fields(value = (i) => this.#values[i]) {
    return Object.fromEntries(this.names.map((name, i) => [name, value(i)]));
  }
};

// client/objects/object_table.ts
var ObjectTable = class {
  #max;
  #objects = /* @__PURE__ */ new Map();
  /** A table of at most `maxObjects` objects. */
  constructor(maxObjects) {
    this.#max = maxObjects;
  }
  /** Number of objects. */
  get size() {
    return this.#objects.size;
  }
  /** True when the table holds its maximum. */
  get full() {
    return this.#objects.size >= this.#max;
  }
  /** The object `id`, if present. */
  get(id) {
    return this.#objects.get(id);
  }
  /** Every object, in no particular order. */
  values() {
    return this.#objects.values();
  }
  /**
   * Adds an object owned by `owner`; null when the id is taken or the
   * table is full (the caller decides what that means).
   */
  add(object, owner) {
    if (this.#objects.has(object.id) || this.full) return null;
    const state = new ObjectState(object, owner);
    this.#objects.set(state.id, state);
    return state;
  }
  /** Removes `id`; returns the removed object. */
  remove(id) {
    const state = this.#objects.get(id);
    this.#objects.delete(id);
    return state;
  }
  /**
   * Applies one entry of an update from `from` with sequence `seq`; returns
   * the object and the changed field names, or null when the rules refuse
   * it (unknown object, sender not the owner, not newer).
   *
   * @throws {WireFormatError} when the entry does not fit the object.
   */
  update(from, seq, entry) {
    const state = this.#objects.get(entry.id);
    if (state === void 0 || state.owner !== from) return null;
    if (seq <= (state.seqs.get(from) ?? -1)) return null;
    const changed = state.applyTokens(entry.mask, entry.values);
    state.seqs.set(from, seq);
    return { state, changed };
  }
  /**
   * Applies a claim by `from` that saw `expected` as the owner; returns the
   * object when the claim succeeds, else null. Updates from the claimant up
   * to `seq` are older than the claim and will not apply.
   */
  claim(from, id, expected, seq) {
    const state = this.#objects.get(id);
    if (state === void 0 || state.owner !== expected) return null;
    if (expected === from) return null;
    state.owner = from;
    state.seqs.set(from, seq);
    return state;
  }
  /** Applies a destroy by `from`; returns the object when it was the owner's. */
  destroy(from, id) {
    const state = this.#objects.get(id);
    if (state === void 0 || state.owner !== from) return null;
    this.#objects.delete(id);
    return state;
  }
  /**
   * Applies the departure of participant `leaver`: its bound objects are
   * destroyed, the rest adopted by `adopter` (destroyed when null).
   */
  depart(leaver, adopter) {
    const destroyed = [];
    const adopted = [];
    for (const state of this.#objects.values()) {
      state.seqs.delete(leaver);
      if (state.owner !== leaver) continue;
      if (state.boundToOwner || adopter === null) {
        this.#objects.delete(state.id);
        destroyed.push(state);
      } else {
        state.owner = adopter;
        adopted.push(state);
      }
    }
    return { destroyed, adopted };
  }
};

// client/objects/message_packer.ts
function packGroups(groups, maxBytes, head) {
  const payloads = [];
  let current = "";
  let bytes = 0;
  let headBytes = 0;
  for (const group of groups) {
    const text2 = group.join(" ");
    const size = utf8Length2(text2) + 1;
    if (current !== "" && bytes + size > maxBytes && bytes > headBytes) {
      payloads.push(current);
      current = "";
    }
    if (current === "") {
      current = head();
      headBytes = bytes = utf8Length2(current);
    }
    current += " " + text2;
    bytes += size;
  }
  if (current !== "") payloads.push(current);
  return payloads;
}
function utf8Length2(text2) {
  let n = 0;
  for (let i = 0; i < text2.length; i++) {
    const code = text2.charCodeAt(i);
    if (code < 128) n += 1;
    else if (code < 2048) n += 2;
    else if (code >= 55296 && code <= 56319) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

// client/objects/object_id.ts
var SCENE_CREATOR = -1;
var ID = /^(-1|0|[1-9]\d{0,14})-([1-9]\d{0,14})$/;
function objectId(creator, counter) {
  return `${creator}-${counter}`;
}
function sceneObjectId(n) {
  return objectId(SCENE_CREATOR, n);
}
function parseObjectId(id) {
  const match = ID.exec(id);
  if (match === null) return null;
  return { creator: Number(match[1]), counter: Number(match[2]) };
}

// client/objects/object_description.ts
var MAX_FIELDS = 32;
var FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;
var TYPE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
var BOUND_FLAG = 1;
var FLAGS = /^[0-9a-fA-F]{1,8}$/;
var COUNT = /^(?:0|[1-9]\d?)$/;
var TYPES = new Set(Object.values(FieldType));
function describeFields(fields) {
  const names = Object.keys(fields);
  if (names.length > MAX_FIELDS) {
    throw new InvalidArgumentError(
      `${names.length} fields, over the limit of ${MAX_FIELDS}`
    );
  }
  return names.map((name) => {
    if (!FIELD_NAME.test(name)) {
      throw new InvalidArgumentError(
        `field name ${JSON.stringify(name)} must match ${FIELD_NAME}`
      );
    }
    const value = fields[name];
    const type = fieldTypeOf(value);
    return { name, type, value: checkedValue(name, type, value) };
  });
}
function checkTypeName(type) {
  if (!TYPE_NAME.test(type)) {
    throw new InvalidArgumentError(
      `type name ${JSON.stringify(type)} must match ${TYPE_NAME}`
    );
  }
}
function encodeDescription(object) {
  const tokens = [
    object.id,
    object.type,
    object.boundToOwner ? "1" : "0",
    String(object.fields.length)
  ];
  for (const { name, type, value } of object.fields) {
    tokens.push(`${name}/${type}=${encodeValue(type, value)}`);
  }
  return tokens;
}
function decodeDescription(tokens, at) {
  const [id, type, flags, count] = tokens.slice(at, at + 4);
  if (count === void 0) throw new WireFormatError("object cut short");
  if (parseObjectId(id) === null) {
    throw new WireFormatError(`${JSON.stringify(id)} is not an object id`);
  }
  if (!TYPE_NAME.test(type)) {
    throw new WireFormatError(`${JSON.stringify(type)} is not a type name`);
  }
  if (!FLAGS.test(flags)) {
    throw new WireFormatError(`${JSON.stringify(flags)} is not hex flags`);
  }
  if (!COUNT.test(count) || Number(count) > MAX_FIELDS) {
    throw new WireFormatError(`${JSON.stringify(count)} is not a field count`);
  }
  const n = Number(count);
  const fields = [];
  const seen = /* @__PURE__ */ new Set();
  for (let i = at + 4; i < at + 4 + n; i++) {
    const token = tokens[i];
    if (token === void 0) throw new WireFormatError("fields cut short");
    const field = decodeField(token);
    if (seen.has(field.name)) {
      throw new WireFormatError(`field ${field.name} given twice`);
    }
    seen.add(field.name);
    fields.push(field);
  }
  const boundToOwner = (parseInt(flags, 16) & BOUND_FLAG) !== 0;
  return {
    object: { id, type, boundToOwner, fields },
    next: at + 4 + n
  };
}
function decodeField(token) {
  const slash = token.indexOf("/");
  const name = token.slice(0, slash);
  const type = token.slice(slash + 1, slash + 2);
  if (slash < 1 || !FIELD_NAME.test(name) || !TYPES.has(type) || token[slash + 2] !== "=") {
    throw new WireFormatError(
      `${JSON.stringify(token)} is not name/type=value`
    );
  }
  const fieldType = type;
  return {
    name,
    type: fieldType,
    value: decodeValue(fieldType, token.slice(slash + 3))
  };
}

// client/objects/scene_codec.ts
var TAGS = /* @__PURE__ */ new Set(["H", "S", "E", "R", "I", "U", "O", "D"]);
var SESSION_ID = /^(?:0|[1-9]\d{0,14})$/;
var SEQ = /^(?:0|[1-9]\d{0,15})$/;
var TAG = /^(?:0|[1-9]\d{0,8})$/;
var MASK = /^[1-9a-fA-F][0-9a-fA-F]{0,7}$/;
function encodeSceneMessage(msg) {
  switch (msg.kind) {
    case "hello":
      return `H ${msg.tag}`;
    case "snapshot":
      return ["S", String(msg.tag), ...msg.objects.flatMap(ownedTokens)].join(" ");
    case "end":
      return `E ${msg.tag} ${msg.participants?.join(",") ?? "-"}`;
    case "ready":
      return "R";
    case "instantiate":
      return ["I", ...encodeDescription(msg.object)].join(" ");
    case "update":
      return ["U", String(msg.seq), ...msg.entries.flatMap(entryTokens)].join(" ");
    case "claim":
      return `O ${msg.id} ${msg.expected} ${msg.seq}`;
    case "destroy":
      return `D ${msg.id}`;
  }
}
function ownedTokens(owned) {
  return [
    String(owned.owner),
    String(owned.seq),
    ...encodeDescription(owned.object)
  ];
}
function entryTokens(entry) {
  return [entry.id, entry.mask.toString(16), ...entry.values];
}
function decodeSceneMessage(text2) {
  if (!TAGS.has(text2[0] ?? "") || text2.length > 1 && text2[1] !== " ") {
    return null;
  }
  const tokens = text2.length === 1 ? [] : text2.slice(2).split(" ");
  if (tokens.some((t) => t === "")) {
    throw new WireFormatError("empty token (two spaces, or a trailing space)");
  }
  switch (text2[0]) {
    case "H":
      exactly(tokens, 1);
      return { kind: "hello", tag: int(tokens[0], TAG, "tag") };
    case "S":
      return decodeSnapshot(tokens);
    case "E":
      exactly(tokens, 2);
      return {
        kind: "end",
        tag: int(tokens[0], TAG, "tag"),
        participants: tokens[1] === "-" ? null : tokens[1].split(",").map((id) => int(id, SESSION_ID, "id"))
      };
    case "R":
      exactly(tokens, 0);
      return { kind: "ready" };
    case "I": {
      const { object, next } = decodeDescription(tokens, 0);
      exactly(tokens, next);
      return { kind: "instantiate", object };
    }
    case "U":
      return decodeUpdate(tokens);
    case "O":
      exactly(tokens, 3);
      return {
        kind: "claim",
        id: objectIdToken(tokens[0]),
        expected: int(tokens[1], SESSION_ID, "owner"),
        seq: int(tokens[2], SEQ, "seq")
      };
    default:
      exactly(tokens, 1);
      return { kind: "destroy", id: objectIdToken(tokens[0]) };
  }
}
function decodeSnapshot(tokens) {
  const tag = int(tokens[0], TAG, "tag");
  const objects = [];
  let at = 1;
  while (at < tokens.length) {
    const owner = int(tokens[at], SESSION_ID, "owner");
    const seq = int(tokens[at + 1], SEQ, "seq");
    const { object, next } = decodeDescription(tokens, at + 2);
    objects.push({ owner, seq, object });
    at = next;
  }
  if (objects.length === 0) throw new WireFormatError("snapshot of nothing");
  return { kind: "snapshot", tag, objects };
}
function decodeUpdate(tokens) {
  const seq = int(tokens[0], SEQ, "seq");
  const entries = [];
  let at = 1;
  while (at < tokens.length) {
    const id = objectIdToken(tokens[at]);
    const maskText = tokens[at + 1];
    if (maskText === void 0 || !MASK.test(maskText)) {
      throw new WireFormatError(`${JSON.stringify(maskText)} is not a mask`);
    }
    const mask = parseInt(maskText, 16);
    const count = bitCount(mask);
    const values = tokens.slice(at + 2, at + 2 + count);
    if (values.length < count) throw new WireFormatError("values cut short");
    entries.push({ id, mask, values });
    at += 2 + count;
  }
  if (entries.length === 0) throw new WireFormatError("update of nothing");
  return { kind: "update", seq, entries };
}
function bitCount(mask) {
  let n = 0;
  for (let bit = 0; bit < MAX_FIELDS; bit++) n += mask >>> bit & 1;
  return n;
}
function exactly(tokens, n) {
  if (tokens.length !== n) {
    throw new WireFormatError(
      `${tokens.length} token${tokens.length === 1 ? "" : "s"} where ${n} belong`
    );
  }
}
function int(token, pattern, what) {
  if (token === void 0 || !pattern.test(token)) {
    throw new WireFormatError(`${JSON.stringify(token)} is not a ${what}`);
  }
  const n = Number(token);
  if (!Number.isSafeInteger(n)) throw new WireFormatError(`${what} too large`);
  return n;
}
function objectIdToken(token) {
  if (token === void 0 || parseObjectId(token) === null) {
    throw new WireFormatError(`${JSON.stringify(token)} is not an object id`);
  }
  return token;
}

// client/objects/owner_sender.ts
var UPDATE_HEAD_BYTES = 20;
var OwnerSender = class {
  #self;
  #limits;
  #outbox;
  #seq = 0;
  /** The sender for session `self`. */
  constructor(self, limits, outbox) {
    this.#self = self;
    this.#limits = limits;
    this.#outbox = outbox;
  }
  /** The number of our latest update (0 before any). */
  get seq() {
    return this.#seq;
  }
  /** Sends `msg` in the room's order (`3:3`). */
  ordered(msg) {
    this.#outbox.ordered(encodeSceneMessage(msg));
  }
  /**
   * Sends update entries over `channel`; returns the ids sent over UDP. An
   * entry too large for one datagram goes over TCP, and all go over TCP
   * while the outbox says UDP is down.
   */
  updates(entries, channel) {
    const lossy = [];
    const reliable = [];
    const lossyIds = [];
    const maxDatagram = this.#limits.maxDatagramPayloadBytes;
    const udp = channel === "udp" && (this.#outbox.udpUp?.() ?? true);
    for (const entry of entries) {
      const group = entryTokens(entry);
      const bytes = utf8Length2(group.join(" ")) + UPDATE_HEAD_BYTES;
      if (udp && bytes <= maxDatagram) {
        lossy.push(group);
        lossyIds.push(entry.id);
      } else {
        reliable.push(group);
      }
    }
    this.#emit(lossy, maxDatagram, "udp");
    this.#emit(reliable, this.#limits.maxPayloadBytes, "tcp");
    return lossyIds;
  }
  /** Answers `to`'s hello `tag`: `objects` (ours) in `S` lines, then `E`. */
  answer(to, tag, objects, participants) {
    const groups = objects.map(
      (object) => ownedTokens({ owner: this.#self, seq: this.#seq, object })
    );
    const max = this.#limits.maxPayloadBytes;
    for (const payload of packGroups(groups, max, () => `S ${tag}`)) {
      this.#outbox.to(to, payload);
    }
    this.#outbox.to(to, encodeSceneMessage({ kind: "end", tag, participants }));
  }
  #emit(groups, maxBytes, channel) {
    const head = () => `U ${++this.#seq}`;
    for (const payload of packGroups(groups, maxBytes, head)) {
      this.#outbox.update(payload, channel);
    }
  }
};

// client/objects/ownership.ts
var PendingClaim = class {
  /** Values set while the claim is in flight, by field index. */
  overlay = /* @__PURE__ */ new Map();
  #waiters = [];
  /** Resolves with the outcome once the claim comes back. */
  outcome() {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
  /** Reports the outcome to everyone waiting. */
  settle(won) {
    for (const resolve of this.#waiters.splice(0)) resolve(won);
  }
};
var PendingClaims = class {
  #claims = /* @__PURE__ */ new Map();
  /** Number of claims in flight. */
  get size() {
    return this.#claims.size;
  }
  /** True when a claim on `id` is in flight. */
  has(id) {
    return this.#claims.has(id);
  }
  /** The overlay of the claim on `id`, if one is in flight. */
  overlay(id) {
    return this.#claims.get(id)?.overlay;
  }
  /** Records a claim on `id` (or joins the one in flight); resolves with its outcome. */
  start(id) {
    let claim = this.#claims.get(id);
    if (claim === void 0) {
      claim = new PendingClaim();
      this.#claims.set(id, claim);
    }
    return claim.outcome();
  }
  /** Removes and returns the claim on `id` (its outcome is the caller's to settle). */
  finish(id) {
    const claim = this.#claims.get(id);
    this.#claims.delete(id);
    return claim;
  }
  /** Settles every claim as lost (the scene ended). */
  abandon() {
    for (const claim of this.#claims.values()) claim.settle(false);
    this.#claims.clear();
  }
};
function sceneMaster(members, participants) {
  return members.find((id) => participants.has(id)) ?? null;
}

// client/objects/update_batcher.ts
var UpdateBatcher = class {
  /** Changed-field masks by object id. */
  #dirty = /* @__PURE__ */ new Map();
  /** When each object was last sent over UDP, by object id. */
  #unreliable = /* @__PURE__ */ new Map();
  /** True when nothing is waiting to be sent, now or later. */
  get idle() {
    return this.#dirty.size === 0 && this.#unreliable.size === 0;
  }
  /** Marks field `index` of `id` as changed. */
  mark(id, index) {
    this.#dirty.set(id, ((this.#dirty.get(id) ?? 0) | 1 << index) >>> 0);
  }
  /** Takes the changed-field masks, leaving none. */
  take() {
    const dirty = this.#dirty;
    this.#dirty = /* @__PURE__ */ new Map();
    return dirty;
  }
  /** Forgets `id`: it is no longer ours, or was sent in full. */
  forget(id) {
    this.#dirty.delete(id);
    this.#unreliable.delete(id);
  }
  /** Records that `ids` were just sent over UDP at `now`. */
  sentUnreliably(ids, now) {
    for (const id of ids) this.#unreliable.set(id, now);
  }
  /** Records that `id` was sent in full over TCP: no reliable update is due. */
  sentReliably(id) {
    this.#unreliable.delete(id);
  }
  /**
   * The objects sent over UDP that have not changed for `quietMs` and have
   * nothing waiting; they are taken off the list (the caller sends each a
   * full update over TCP).
   */
  dueReliable(now, quietMs) {
    const due = [];
    for (const [id, at] of this.#unreliable) {
      if (now - at >= quietMs && !this.#dirty.has(id)) due.push(id);
    }
    for (const id of due) this.#unreliable.delete(id);
    return due;
  }
};

// client/objects/local_owner.ts
var LocalOwner = class {
  #init;
  #self;
  #claims = new PendingClaims();
  #destroys = /* @__PURE__ */ new Map();
  #batcher = new UpdateBatcher();
  #send;
  #counter = 0;
  /** Our side of a scene. */
  constructor(init) {
    this.#init = init;
    this.#self = init.self;
    this.#send = new OwnerSender(init.self, init.options.limits, init.outbox);
  }
  /** True when nothing of ours is waiting: no changes, claims, destroys or reliable updates. */
  get idle() {
    return this.#batcher.idle && this.#claims.size === 0 && this.#destroys.size === 0;
  }
  /** Continues our id counter after the highest of our ids in `table`. */
  startCounter(table) {
    for (const state of table.values()) {
      const parts = parseObjectId(state.id);
      if (parts?.creator === this.#self && parts.counter > this.#counter) {
        this.#counter = parts.counter;
      }
    }
  }
  /**
   * Creates an object owned by us and sends it to the room (`I` in `3:3`).
   *
   * @throws {InvalidArgumentError} for a bad type name or fields.
   * @throws {TooManyObjectsError} when the scene is full.
   */
  instantiate(type, fields, boundToOwner) {
    checkTypeName(type);
    const entries = describeFields(fields);
    const table = this.#init.table();
    if (table.full) {
      throw new TooManyObjectsError(this.#init.options.limits.maxObjects);
    }
    const id = objectId(this.#self, this.#counter + 1);
    const object = { id, type, boundToOwner, fields: entries };
    this.#checkBytes(object);
    this.#counter++;
    const state = table.add(object, this.#self);
    this.#send.ordered({ kind: "instantiate", object });
    this.#init.created(state);
    return state;
  }
  /** True when we own `state` or have a claim on it in flight. */
  acts(state) {
    return state.owner === this.#self || this.#claims.has(state.id);
  }
  /** A field's value as we see it: our claim's overlay first. */
  value(state, index) {
    return this.#claims.overlay(state.id)?.get(index) ?? state.at(index);
  }
  /**
   * Sets a field of an object we act as owner of; it is sent at the next tick.
   *
   * @throws {UnknownObjectError} | {NotOwnerError} | {InvalidArgumentError}
   */
  set(id, name, value) {
    const state = this.#state(id);
    if (!this.acts(state)) throw new NotOwnerError(id, `set ${name} of`);
    const index = state.indexOf(name);
    if (index < 0) {
      throw new InvalidArgumentError(`object ${id} has no field ${name}`);
    }
    const type = state.types[index];
    const checked = checkedValue(name, type, value);
    if (sameValue(checked, this.value(state, index))) return;
    if (type === FieldType.String || type === FieldType.Bytes) {
      this.#checkSize(state, index, checked);
    }
    const overlay = state.owner === this.#self ? void 0 : this.#claims.overlay(id);
    if (overlay === void 0) state.setAt(index, checked);
    else overlay.set(index, checked);
    this.#batcher.mark(id, index);
  }
  /** Claims `id` through the room's order; resolves true when we own it after. */
  takeOwnership(id) {
    const state = this.#state(id);
    if (this.#claims.has(id)) return this.#claims.start(id);
    if (state.owner === this.#self) return Promise.resolve(true);
    this.#send.ordered({
      kind: "claim",
      id,
      expected: state.owner,
      seq: this.#send.seq
    });
    return this.#claims.start(id);
  }
  /** Destroys `id` through the room's order; resolves true when it was applied. */
  destroy(id) {
    const state = this.#state(id);
    if (!this.acts(state)) throw new NotOwnerError(id, "destroy");
    this.#send.ordered({ kind: "destroy", id });
    const { promise, resolve } = Promise.withResolvers();
    const waiters = this.#destroys.get(id) ?? [];
    waiters.push(resolve);
    this.#destroys.set(id, waiters);
    return promise;
  }
  /** Our claim on `id` came back: keep our changes if we own it, else drop them. */
  claimReturned(id) {
    const claim = this.#claims.finish(id);
    if (claim === void 0) return;
    const state = this.#init.table().get(id);
    const owned = state?.owner === this.#self;
    if (state !== void 0 && owned) {
      for (const [index, value] of claim.overlay) state.setAt(index, value);
      this.sendFull([id]);
    } else {
      this.#batcher.forget(id);
      if (state !== void 0 && claim.overlay.size > 0) {
        this.#init.updated(
          state,
          [...claim.overlay.keys()].map((i) => state.names[i])
        );
      }
    }
    claim.settle(owned);
  }
  /**
   * We adopted `ids` (their owner left; we are the master). A claim of ours
   * on one of them still in flight can no longer win (the owner it expects
   * is gone), but we own the object now: the values we set under the claim
   * become its values, and what we set from now on goes to it directly.
   */
  adopted(ids) {
    const table = this.#init.table();
    for (const id of ids) {
      const overlay = this.#claims.overlay(id);
      const state = table.get(id);
      if (overlay === void 0 || state === void 0) continue;
      for (const [index, value] of overlay) state.setAt(index, value);
      overlay.clear();
    }
  }
  /** Our destroy of `id` came back, applied or not. */
  destroyReturned(id, applied) {
    const waiters = this.#destroys.get(id);
    const resolve = waiters?.shift();
    if (waiters?.length === 0) this.#destroys.delete(id);
    resolve?.(applied);
  }
  /** `id` is no longer ours (claimed by another, or destroyed). */
  lost(id) {
    this.#batcher.forget(id);
  }
  /** Sends what is due at `now`: changed fields, then reliable updates. */
  sendDue(now) {
    const table = this.#init.table();
    const entries = [];
    for (const [id, mask] of this.#batcher.take()) {
      const state = table.get(id);
      if (state !== void 0 && this.acts(state)) {
        entries.push(this.#entry(state, mask));
      }
    }
    const { channel, reliableAfterMs } = this.#init.options;
    const lossy = this.#send.updates(entries, channel);
    if (channel === "udp") {
      this.#batcher.sentUnreliably(lossy, now);
      this.sendFull(this.#batcher.dueReliable(now, reliableAfterMs));
    }
  }
  /** Sends every field of `ids` (ours) over TCP. */
  sendFull(ids) {
    const table = this.#init.table();
    const entries = [];
    for (const id of ids) {
      const state = table.get(id);
      if (state === void 0 || !this.acts(state)) continue;
      this.#batcher.forget(id);
      entries.push(this.#entry(state, state.fullMask));
    }
    this.#send.updates(entries, "tcp");
  }
  /** Answers `to`'s hello `tag`: our objects, then the end with the participants. */
  answer(to, tag, participants) {
    const ours = [];
    for (const state of this.#init.table().values()) {
      if (state.owner === this.#self) ours.push(state.describe());
    }
    this.#send.answer(to, tag, ours, participants);
  }
  /** The scene ended: claims and destroys resolve false. */
  abandon() {
    this.#claims.abandon();
    for (const waiters of this.#destroys.values()) {
      for (const resolve of waiters) resolve(false);
    }
    this.#destroys.clear();
  }
  #entry(state, mask) {
    return {
      id: state.id,
      mask,
      values: state.tokens(mask, (i) => this.value(state, i))
    };
  }
  #state(id) {
    const state = this.#init.table().get(id);
    if (state === void 0) throw new UnknownObjectError(id);
    return state;
  }
  #checkSize(state, index, value) {
    this.#checkBytes(
      state.describe((i) => i === index ? value : this.value(state, i))
    );
  }
  #checkBytes(object) {
    const bytes = utf8Length2(encodeDescription(object).join(" "));
    const max = this.#init.options.limits.maxObjectBytes;
    if (bytes > max) {
      throw new InvalidArgumentError(
        `object ${object.id} would be ${bytes} bytes, over maxObjectBytes (${max})`
      );
    }
  }
};

// client/objects/scene_sync.ts
var SceneSync = class {
  tag;
  startedAt;
  /** The members as of the hello, in join order. */
  members;
  /** The objects as of the hello, from the answers so far. */
  base;
  /** What happened after the hello, in order. */
  buffer = [];
  #maxBuffered;
  #expected;
  #participants = null;
  /** Members that left before answering. */
  #silentLeavers = /* @__PURE__ */ new Set();
  /** Starts waiting for every other member's answer. */
  constructor(options) {
    this.tag = options.tag;
    this.startedAt = options.now;
    this.members = [...options.members];
    this.base = new ObjectTable(options.maxObjects);
    this.#maxBuffered = options.maxBuffered;
    this.#expected = new Set(
      options.members.filter((id) => id !== options.self)
    );
  }
  /** True once no answer is awaited. */
  get done() {
    return this.#expected.size === 0;
  }
  /** True when a member left before answering and may have had objects. */
  get broken() {
    const participants = this.#participants;
    if (participants === null) return this.#silentLeavers.size > 0;
    return [...this.#silentLeavers].some((id) => participants.has(id));
  }
  /** The participants as of the hello, once a participant has said. */
  get participants() {
    return this.#participants;
  }
  /**
   * Takes objects from `from`'s answer (ignored unless an answer is awaited
   * from it); returns how many it ignored because their owner is not
   * `from` (a participant answers for its own objects only).
   */
  snapshot(from, objects) {
    if (!this.#expected.has(from)) return 0;
    let ignored = 0;
    for (const { owner, seq, object } of objects) {
      if (owner !== from) {
        ignored++;
        continue;
      }
      const state = this.base.add(object, owner);
      state?.seqs.set(owner, seq);
    }
    return ignored;
  }
  /** Records `from`'s end of answer, with the participants it knows (or null). */
  end(from, participants) {
    if (!this.#expected.delete(from)) return;
    if (participants !== null && this.#participants === null) {
      this.#participants = new Set(participants);
      for (const id of this.#expected) {
        if (!this.#participants.has(id)) this.#expected.delete(id);
      }
    }
  }
  /** A member left: stop waiting for it; the sync breaks if it may have had objects. */
  left(id) {
    if (this.#expected.delete(id)) this.#silentLeavers.add(id);
  }
  /**
   * Keeps `item` for replay.
   *
   * @throws {SceneSyncError} `sync-overflow` past `maxBuffered` items.
   */
  keep(item) {
    if (this.buffer.length >= this.#maxBuffered) {
      throw new SceneSyncError(
        SceneErrorCode.SyncOverflow,
        `more than ${this.#maxBuffered} messages arrived while catching up`
      );
    }
    this.buffer.push(item);
  }
  /**
   * The wait is over: without a participant list the silent members are
   * outsiders and the sync is done; with one, a participant has not
   * answered in time.
   *
   * @throws {SceneSyncError} `sync-timeout` when a listed participant is silent.
   */
  timeOut(timeoutMs) {
    if (this.#participants !== null) {
      throw new SceneSyncError(
        SceneErrorCode.SyncTimeout,
        `participants ${[...this.#expected].join(",")} did not send the scene within ${timeoutMs} ms`
      );
    }
    this.#expected.clear();
  }
};

// client/objects/scene_state.ts
var SceneState = class {
  table;
  #members;
  #participants;
  #hooks;
  #ignored = 0;
  /** The state a catch-up produced: its table, members and participants. */
  constructor(table, members, participants, hooks) {
    this.table = table;
    this.#members = [...members];
    this.#participants = new Set(participants);
    this.#hooks = hooks;
  }
  /** The participants in the room's join order. */
  get participants() {
    return this.#members.filter((id) => this.#participants.has(id));
  }
  /** The scene's master: the adopter of departed participants' objects. */
  get master() {
    return sceneMaster(this.#members, this.#participants);
  }
  /** Messages the rules refused as malformed or from outsiders. */
  get ignored() {
    return this.#ignored;
  }
  /** `id` joined the room. */
  addMember(id) {
    if (!this.#members.includes(id)) this.#members.push(id);
  }
  /** `id` left the room: its objects are destroyed or adopted by the master. */
  depart(id) {
    this.#members = this.#members.filter((m) => m !== id);
    if (!this.#participants.delete(id)) return;
    const adopter = this.master;
    const { destroyed, adopted } = this.table.depart(id, adopter);
    const { local, events } = this.#hooks;
    for (const state of destroyed) {
      local.lost(state.id);
      events.destroyed?.(state);
    }
    for (const state of adopted) events.owner?.(state, id);
    if (adopter === this.#hooks.self && adopted.length > 0) {
      const ids = adopted.map((s) => s.id);
      local.adopted(ids);
      local.sendFull(ids);
    }
  }
  /** Applies an ordered message or an update from `from`. */
  apply(from, msg) {
    if (!this.#members.includes(from)) {
      this.#ignored++;
      return;
    }
    const { local, events, self } = this.#hooks;
    switch (msg.kind) {
      case "ready":
        return this.#ready(from);
      case "instantiate":
        return this.#instantiated(from, msg.object);
      case "update":
        for (const entry of msg.entries) {
          try {
            const done = this.table.update(from, msg.seq, entry);
            if (done !== null) events.updated?.(done.state, done.changed);
          } catch {
            this.#ignored++;
          }
        }
        return;
      case "claim": {
        const state = this.#participants.has(from) ? this.table.claim(from, msg.id, msg.expected, msg.seq) : null;
        if (state !== null) {
          if (msg.expected === self) local.lost(msg.id);
          events.owner?.(state, msg.expected);
        }
        if (from === self) local.claimReturned(msg.id);
        return;
      }
      case "destroy": {
        const state = this.table.destroy(from, msg.id);
        if (state !== null) {
          local.lost(msg.id);
          events.destroyed?.(state);
        }
        if (from === self) local.destroyReturned(msg.id, state !== null);
        return;
      }
      default:
        return;
    }
  }
  #ready(id) {
    if (this.#participants.has(id)) return;
    if (this.#participants.size === 0) this.#genesis(id);
    this.#participants.add(id);
    if (id === this.#hooks.self) this.#hooks.ready();
  }
  /** The first participant of a scene creates the declared scene objects. */
  #genesis(owner) {
    this.#hooks.options.sceneObjects.forEach((spec, i) => {
      const state = this.table.add({
        id: sceneObjectId(i + 1),
        type: spec.type,
        boundToOwner: false,
        fields: describeFields(spec.fields)
      }, owner);
      if (state !== null) this.#hooks.events.created?.(state);
    });
  }
  #instantiated(from, object) {
    if (!this.#participants.has(from) || parseObjectId(object.id)?.creator !== from) {
      this.#ignored++;
      return;
    }
    if (this.table.get(object.id) !== void 0) return;
    const state = this.table.add(object, from);
    if (state === null) this.#ignored++;
    else this.#hooks.events.created?.(state);
  }
};

// client/objects/scene_engine.ts
var SceneEngine = class {
  self;
  #init;
  #options;
  #events;
  #phase = "hello";
  #tag = 0;
  #sync = null;
  /** The replicated state, once caught up. */
  #state = null;
  #empty;
  #local;
  #ignored = 0;
  #ready = Promise.withResolvers();
  /** Answers that arrived before our hello came back. */
  #early = [];
  /** An engine in phase `hello`; call {@linkcode start} to send the hello. */
  constructor(init) {
    this.self = init.self;
    this.#init = init;
    this.#options = init.options;
    this.#events = init.events ?? {};
    this.#empty = new ObjectTable(1);
    this.#local = new LocalOwner({
      self: init.self,
      options: init.options,
      outbox: init.outbox,
      table: () => this.table,
      updated: (state, changed) => this.#events.updated?.(state, changed),
      created: (state) => this.#events.created?.(state)
    });
    this.#ready.promise.catch(() => {
    });
  }
  /** The current phase. */
  get phase() {
    return this.#phase;
  }
  /** Resolves once we take part in the scene; rejects if joining fails. */
  get ready() {
    return this.#ready.promise;
  }
  /** The table (read it, do not change it). */
  get table() {
    return this.#state?.table ?? this.#empty;
  }
  /** The scene's participants in the room's join order. */
  get participants() {
    return this.#state?.participants ?? [];
  }
  /** The scene's master (the adopter of departed participants' objects). */
  get master() {
    return this.#state?.master ?? null;
  }
  /** Scene messages ignored: malformed, from outsiders, over a limit. */
  get ignored() {
    return this.#ignored + (this.#state?.ignored ?? 0);
  }
  /** What this client owns or may act as owner of. */
  get local() {
    return this.#local;
  }
  /** Sends our hello. */
  start() {
    this.#init.outbox.ordered(
      encodeSceneMessage({ kind: "hello", tag: this.#tag })
    );
  }
  /** Handles a `3:<from>:<payload>` line's payload. */
  receive(from, payload) {
    if (this.#phase === "ended") return;
    let msg;
    try {
      msg = decodeSceneMessage(payload);
    } catch {
      this.#ignored++;
      return;
    }
    if (msg === null) return;
    this.#guard(() => this.#dispatch(from, msg));
  }
  /** Handles a `2:<id>:<room>` line for another member. */
  joined(id) {
    if (this.#phase === "syncing") {
      this.#guard(() => this.#keep({ kind: "joined", id }));
    } else if (this.#phase !== "hello" && this.#phase !== "ended") {
      this.#state?.addMember(id);
    }
  }
  /** Handles a `2:<id>:` line for another member. */
  left(id) {
    const sync = this.#sync;
    if (this.#phase === "syncing" && sync !== null) {
      this.#guard(() => {
        this.#keep({ kind: "left", id });
        sync.left(id);
        if (sync.done) this.#finishSync();
      });
    } else if (this.#phase === "synced" || this.#phase === "participant") {
      this.#state?.depart(id);
    }
  }
  /** Runs timers: the catch-up's timeout, updates due. */
  tick() {
    const sync = this.#sync;
    const now = this.#init.now();
    if (this.#phase === "syncing" && sync !== null && now - sync.startedAt >= this.#options.syncTimeoutMs) {
      this.#guard(() => {
        sync.timeOut(this.#options.syncTimeoutMs);
        this.#finishSync();
      });
    }
    if (this.#phase === "participant") this.#local.sendDue(now);
  }
  /** Ends the scene: pending claims and destroys resolve false, `ready` rejects. */
  end(reason = new SceneClosedError()) {
    if (this.#phase === "ended") return;
    this.#phase = "ended";
    this.#sync = null;
    this.#local.abandon();
    this.#ready.reject(reason);
  }
  /**
   * Creates an object owned by us and sends it to the room.
   *
   * @throws {SceneClosedError} unless we take part in the scene.
   * @throws {InvalidArgumentError} for a bad type name or fields.
   * @throws {TooManyObjectsError} when the scene is full.
   */
  instantiate(type, fields, boundToOwner) {
    this.#mustTakePart();
    return this.#local.instantiate(type, fields, boundToOwner);
  }
  /** Throws unless we take part in the scene. */
  #mustTakePart() {
    if (this.#phase !== "participant") {
      throw new SceneClosedError(
        this.#phase === "ended" ? "the scene has ended" : "not in the scene yet"
      );
    }
  }
  /** Runs `step`; a failed catch-up ends the scene. */
  #guard(step) {
    try {
      step();
    } catch (error) {
      if (!(error instanceof SceneSyncError)) throw error;
      this.end(error);
    }
  }
  #dispatch(from, msg) {
    switch (msg.kind) {
      case "hello":
        return this.#hello(from, msg.tag);
      case "snapshot":
      case "end":
        return this.#answer(from, msg);
    }
    if (this.#phase === "syncing") this.#keep({ kind: "message", from, msg });
    else this.#state?.apply(from, msg);
  }
  #hello(from, tag) {
    if (from === this.self) {
      if (this.#phase === "hello" && tag === this.#tag) this.#startSync();
      return;
    }
    if (!this.#init.members().includes(from)) {
      this.#ignored++;
      return;
    }
    if (this.#phase === "participant") {
      this.#local.answer(from, tag, this.participants);
    } else {
      this.#init.outbox.to(
        from,
        encodeSceneMessage({ kind: "end", tag, participants: null })
      );
    }
  }
  /** An answer to a hello: ours, now or (a relay may reorder senders) early. */
  #answer(from, msg) {
    if (msg.tag !== this.#tag) return;
    const sync = this.#sync;
    if (sync === null) {
      if (this.#phase !== "hello") return;
      if (this.#early.length >= this.#options.limits.maxSyncBuffered) {
        throw new SceneSyncError(
          SceneErrorCode.SyncOverflow,
          "too many answers before our hello came back"
        );
      }
      this.#early.push({ from, msg });
      return;
    }
    if (msg.kind === "snapshot") {
      this.#ignored += sync.snapshot(from, msg.objects);
    } else sync.end(from, msg.participants);
    if (sync.done) this.#finishSync();
  }
  #startSync() {
    this.#phase = "syncing";
    const limits = this.#options.limits;
    const sync = new SceneSync({
      tag: this.#tag,
      self: this.self,
      members: this.#init.members(),
      maxObjects: limits.maxObjects,
      maxBuffered: limits.maxSyncBuffered,
      now: this.#init.now()
    });
    this.#sync = sync;
    for (const { from, msg } of this.#early.splice(0)) {
      if (msg.kind === "snapshot") {
        this.#ignored += sync.snapshot(from, msg.objects);
      } else if (msg.kind === "end") sync.end(from, msg.participants);
    }
    if (sync.done) this.#finishSync();
  }
  #keep(item) {
    this.#sync.keep(item);
  }
  /** The answers are in: restart if one may be missing, else replay and get ready. */
  #finishSync() {
    const sync = this.#sync;
    this.#sync = null;
    if (sync.broken) {
      this.#phase = "hello";
      this.#tag++;
      this.start();
      return;
    }
    this.#phase = "synced";
    const state = new SceneState(
      sync.base,
      sync.members,
      sync.participants ?? [],
      {
        self: this.self,
        options: this.#options,
        local: this.#local,
        events: this.#events,
        ready: () => this.#participating()
      }
    );
    this.#state = state;
    for (const object of state.table.values()) this.#events.created?.(object);
    for (const item of sync.buffer) {
      if (item.kind === "message") state.apply(item.from, item.msg);
      else if (item.kind === "joined") state.addMember(item.id);
      else state.depart(item.id);
    }
    this.#init.outbox.ordered(encodeSceneMessage({ kind: "ready" }));
  }
  /** Our `R` came back: we take part. */
  #participating() {
    this.#phase = "participant";
    this.#local.startCounter(this.table);
    this.#ready.resolve();
  }
};

// client/objects/scene_outbox.ts
var UDP_RETRY_MS = 5e3;
function clientOutbox(client, failed) {
  let udpRetryAt = 0;
  const tcp = (payload) => client.sendToOthers(payload).catch(failed);
  return {
    ordered: (payload) => void client.sendToAllOrdered(payload).catch(failed),
    to: (id, payload) => void client.sendTo([id], payload).catch(failed),
    udpUp: () => client.udp && performance.now() >= udpRetryAt,
    update: (payload, channel) => {
      if (channel === "tcp") {
        void tcp(payload);
        return;
      }
      client.sendToOthers(payload, { channel: "udp" }).catch(() => {
        udpRetryAt = performance.now() + UDP_RETRY_MS;
        return tcp(payload);
      });
    }
  };
}

// client/objects/scene_events.ts
var SceneEmitter = class {
  #listeners = /* @__PURE__ */ new Map();
  /** Calls `listener` on each `event`; returns the unsubscriber. */
  on(event, listener) {
    let set = this.#listeners.get(event);
    if (set === void 0) {
      set = /* @__PURE__ */ new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }
  /** True when `event` has a listener. */
  has(event) {
    return (this.#listeners.get(event)?.size ?? 0) > 0;
  }
  /** Calls every listener of `event` with `args`. */
  emit(event, ...args) {
    for (const listener of this.#listeners.get(event) ?? []) {
      try {
        listener(...args);
      } catch (error) {
        reportError(error);
      }
    }
  }
};

// client/objects/scene_options.ts
var DEFAULT_SCENE_LIMITS = Object.freeze({
  maxObjects: 1e4,
  maxObjectBytes: 16 * 1024,
  maxPayloadBytes: 60 * 1024,
  maxDatagramPayloadBytes: 1196,
  maxSyncBuffered: 1e5
});
function resolveSceneOptions(options = {}) {
  const limits = { ...DEFAULT_SCENE_LIMITS, ...options.limits };
  for (const [name, value] of Object.entries(limits)) positive(name, value);
  if (limits.maxObjectBytes > limits.maxPayloadBytes - 64) {
    throw new InvalidArgumentError(
      "maxObjectBytes must leave 64 bytes of maxPayloadBytes for headers"
    );
  }
  const resolved = {
    password: options.password ?? "",
    tickHz: options.tickHz ?? 20,
    channel: options.channel ?? "tcp",
    reliableAfterMs: options.reliableAfterMs ?? 250,
    syncTimeoutMs: options.syncTimeoutMs ?? 3e3,
    sceneObjects: options.sceneObjects ?? [],
    limits
  };
  if (!(resolved.tickHz > 0 && resolved.tickHz <= 1e3)) {
    throw new InvalidArgumentError(
      `tickHz ${resolved.tickHz} is not in (0, 1000]`
    );
  }
  if (resolved.channel !== "tcp" && resolved.channel !== "udp") {
    throw new InvalidArgumentError(
      `channel ${resolved.channel} is not tcp or udp`
    );
  }
  positive("reliableAfterMs", resolved.reliableAfterMs);
  positive("syncTimeoutMs", resolved.syncTimeoutMs);
  for (const spec of resolved.sceneObjects) {
    checkTypeName(spec.type);
    describeFields(spec.fields);
  }
  return resolved;
}
function positive(name, value) {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidArgumentError(
      `scene option ${name} must be a positive integer, got ${value}`
    );
  }
}

// client/objects/network_scene.ts
var NetworkScene = class _NetworkScene {
  /** The room. */
  room;
  /** Our session id. */
  self;
  #client;
  #engine;
  #events = new SceneEmitter();
  #handles = /* @__PURE__ */ new Map();
  #unsubscribe;
  #timer;
  #inRoom = false;
  #ended = false;
  constructor(client, room, self, options) {
    this.#client = client;
    this.room = room;
    this.self = self;
    const resolved = resolveSceneOptions(options);
    this.#engine = new SceneEngine({
      self,
      members: () => client.members,
      now: () => performance.now(),
      options: resolved,
      outbox: clientOutbox(client, (error) => this.#failed(error)),
      events: {
        created: (s) => this.#events.emit("created", this.#handle(s)),
        updated: (s, f) => this.#events.emit("updated", this.#handle(s), f),
        owner: (s, p) => this.#events.emit("owner", this.#handle(s), p),
        destroyed: (s) => {
          const handle = this.#handle(s);
          this.#handles.delete(s.id);
          this.#events.emit("destroyed", handle);
        }
      }
    });
    this.#unsubscribe = client.onMessage((incoming) => this.#receive(incoming));
    client.closed.then(
      (info) => this.#end(
        new SceneClosedError("the connection closed", { cause: info.error })
      )
    );
    this.#timer = setInterval(
      () => this.#engine.tick(),
      1e3 / resolved.tickHz
    );
  }
  /**
   * Joins `room` with a logged-in `client` and catches up with its scene:
   * resolves once this client has every object and takes part.
   *
   * @throws {NotLoggedInError} when the client is not logged in.
   * @throws {RefusedError} when the server refuses the join.
   * @throws {SceneSyncError} when catching up fails (`sync-timeout`, `sync-overflow`).
   * @throws {InvalidArgumentError} for bad options.
   */
  static async join(client, room, options = {}) {
    const self = client.sessionId;
    if (self === null) throw new NotLoggedInError("join a scene");
    const scene = new _NetworkScene(client, room, self, options);
    let joined = false;
    try {
      await client.join(room, options.password);
      joined = true;
      scene.#engine.start();
      await scene.#engine.ready;
      return scene;
    } catch (error) {
      const inRoom = joined && !scene.#ended && client.room === room;
      scene.#end(error instanceof Error ? error : null);
      if (inRoom && !client.isClosed) await client.leave().catch(() => {
      });
      throw error;
    }
  }
  /** Every object, by id. */
  get objects() {
    const all = /* @__PURE__ */ new Map();
    for (const state of this.#engine.table.values()) {
      all.set(state.id, this.#handle(state));
    }
    return all;
  }
  /** The object `id`, if it is in the scene. */
  get(id) {
    const state = this.#engine.table.get(id);
    return state === void 0 ? void 0 : this.#handle(state);
  }
  /** The scene's participants (us included), in the room's join order. */
  get participants() {
    return this.#engine.participants;
  }
  /** The scene's master: adopts the objects of participants who leave. */
  get master() {
    return this.#engine.master;
  }
  /** Scene messages ignored as malformed or from outsiders. */
  get ignored() {
    return this.#engine.ignored;
  }
  /** True when nothing of ours waits: no unsent change, claim, destroy or reliable update. */
  get idle() {
    return this.#engine.local.idle;
  }
  /** True once the scene has ended (left, or the connection closed). */
  get ended() {
    return this.#ended;
  }
  /**
   * Creates an object owned by this client; everyone in the room gets it.
   * Field types are fixed from these values.
   *
   * @throws {InvalidArgumentError} for a bad type name, field name or value.
   * @throws {TooManyObjectsError} when the scene holds `maxObjects`.
   * @throws {SceneClosedError} once the scene has ended.
   */
  instantiate(type, fields, options = {}) {
    const state = this.#engine.instantiate(
      type,
      fields,
      options.boundToOwner ?? false
    );
    return this.#handle(state);
  }
  /**
   * Claims `id` in the room's order. This client acts as owner at once;
   * resolves true if it owns the object once its claim has come back, false
   * if another claim came first (its changes meanwhile are dropped).
   *
   * @throws {UnknownObjectError} when there is no such object.
   */
  takeOwnership(id) {
    this.#mustBeOpen();
    return this.#engine.local.takeOwnership(id);
  }
  /**
   * Destroys `id` in the room's order; resolves true once applied, false if
   * the object had changed hands or gone first.
   *
   * @throws {NotOwnerError} unless this client owns or has claimed it.
   * @throws {UnknownObjectError} when there is no such object.
   */
  destroy(id) {
    this.#mustBeOpen();
    return this.#engine.local.destroy(id);
  }
  /** Sends the changes collected so far now, without waiting for the tick. */
  flush() {
    this.#mustBeOpen();
    this.#engine.local.sendDue(performance.now());
  }
  /** Calls `listener` on `event`; returns the unsubscriber. */
  on(event, listener) {
    return this.#events.on(event, listener);
  }
  /** Every object sorted by id, with its confirmed owner and values: equal on every client once traffic settles. */
  snapshot() {
    return [...this.#engine.table.values()].sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0).map((s) => ({
      id: s.id,
      type: s.type,
      owner: s.owner,
      boundToOwner: s.boundToOwner,
      fields: s.fields()
    }));
  }
  /** Sends what is pending, then leaves the room; the scene ends. */
  async leave() {
    if (this.#ended) return;
    this.#engine.local.sendDue(performance.now());
    try {
      if (this.#client.room === this.room && !this.#client.isClosed) {
        await this.#client.leave();
      }
    } finally {
      this.#end(null);
    }
  }
  async [Symbol.asyncDispose]() {
    await this.leave();
  }
  #handle(state) {
    let handle = this.#handles.get(state.id);
    if (handle === void 0) {
      handle = new NetworkObject(state, {
        state: (id) => this.#engine.table.get(id),
        local: this.#engine.local
      });
      this.#handles.set(state.id, handle);
    }
    return handle;
  }
  #receive({ message }) {
    if (this.#ended) return;
    switch (message.kind) {
      case "joined":
        if (message.id === this.self) {
          if (this.#inRoom || message.room !== this.room) {
            this.#end(
              new SceneClosedError(`joined another room (${message.room})`)
            );
          } else {
            this.#inRoom = true;
          }
        } else if (this.#inRoom) {
          this.#engine.joined(message.id);
        }
        return;
      case "left":
        if (!this.#inRoom) return;
        if (message.id === this.self) this.#end(null);
        else this.#engine.left(message.id);
        return;
      case "message":
        if (this.#inRoom) {
          this.#engine.receive(message.from, payloadText(message.payload));
        }
        return;
      case "logged-out":
      case "welcome":
        if (this.#inRoom) this.#end(new SceneClosedError("the session ended"));
        return;
    }
  }
  #failed(error) {
    if (this.#ended || this.#client.isClosed) return;
    const err = error instanceof Error ? error : new Error(String(error));
    if (this.#events.has("error")) this.#events.emit("error", err);
    else reportError(err);
  }
  #mustBeOpen() {
    if (this.#ended) throw new SceneClosedError();
  }
  #end(reason) {
    if (this.#ended) return;
    this.#ended = true;
    clearInterval(this.#timer);
    this.#timer = void 0;
    this.#unsubscribe();
    this.#engine.end(reason ?? new SceneClosedError());
    this.#events.emit("closed", reason);
  }
};
export {
  ClientError,
  ClientErrorCode,
  ConnectFailedError,
  ConnectionClosedError,
  DEFAULT_CLIENT_LIMITS,
  DEFAULT_SCENE_LIMITS,
  DEFAULT_SERVER_PORT,
  FieldType,
  InvalidArgumentError,
  LoginRefusedError,
  NetworkObject,
  NetworkScene,
  NotLoggedInError,
  NotOwnerError,
  RefusedError,
  RelayClient,
  RequestTimeoutError,
  RoomState,
  SceneClosedError,
  SceneErrorCode,
  SceneSyncError,
  SendBufferFullError,
  SendMode,
  SessionEndedError,
  TooManyObjectsError,
  UdpUnavailableError,
  UnknownObjectError,
  WireFormatError,
  browserTransport,
  decodeIncoming,
  decodeSceneMessage,
  encodeSceneMessage,
  formatServerUrl,
  parseServerUrl,
  payloadText,
  resolveClientLimits,
  vec2,
  vec3,
  vec4
};
