import assert from "node:assert/strict";
import fc from "fast-check";
import { assertEquals } from "../helpers/assert.ts";
import {
  type ClientMessage,
  decodeClientLine,
  decodeServerLine,
  encodeClientMessage,
  encodeServerMessage,
  ErrorCode,
  type ServerMessage,
} from "../../protocol/mod.ts";

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s);
const decode = (s: string) => decodeClientLine(bytes(s));

Deno.test("decode: every client line of the SPEC table", () => {
  const table: [string, ClientMessage][] = [
    ["0:ada:secret", { kind: "login", username: "ada", password: "secret" }],
    ["0:ada:", { kind: "login", username: "ada", password: "" }],
    ["0:ada", { kind: "login", username: "ada", password: "" }],
    ["1:", { kind: "list-rooms", password: "" }],
    ["1", { kind: "list-rooms", password: "" }],
    ["1:hunter2", { kind: "list-rooms", password: "hunter2" }],
    ["2:lobby:pw", { kind: "join", room: "lobby", password: "pw" }],
    ["2:lobby", { kind: "join", room: "lobby", password: "" }],
    ["2:lobby:", { kind: "join", room: "lobby", password: "" }],
    ["2:-1", { kind: "leave" }],
    ["3:0:hi", { kind: "send", mode: 0, payload: bytes("hi") }],
    ["3:1:a:b:c", { kind: "send", mode: 1, payload: bytes("a:b:c") }],
    ["3:2:", { kind: "send", mode: 2, payload: bytes("") }],
    ["3:3:x", { kind: "send", mode: 3, payload: bytes("x") }],
    ["3:4:7:hi", { kind: "send-users", to: [7], payload: bytes("hi") }],
    ["3:4:1:2:3", { kind: "send-users", to: [1, 2], payload: bytes("3") }],
    ["3:4:1:2:x:9", { kind: "send-users", to: [1, 2], payload: bytes("x:9") }],
    ["3:4:1::x", { kind: "send-users", to: [1], payload: bytes(":x") }],
    ["3:4:5:-1:x", { kind: "send-users", to: [5], payload: bytes("-1:x") }],
    ["4:team:go:go", {
      kind: "send-group",
      group: "team",
      payload: bytes("go:go"),
    }],
    ["4:team:", { kind: "send-group", group: "team", payload: bytes("") }],
    ["5:team:1:2:3", {
      kind: "define-group",
      group: "team",
      members: [1, 2, 3],
    }],
    ["5:team:", { kind: "define-group", group: "team", members: [] }],
    ["5:team", { kind: "define-group", group: "team", members: [] }],
  ];
  for (const [line, expected] of table) {
    const got = decode(line);
    assertEquals(
      "payload" in got ? { ...got, payload: [...got.payload] } : got,
      "payload" in expected
        ? { ...expected, payload: [...expected.payload] }
        : expected,
      line,
    );
  }
});

Deno.test("decode: bad lines get a stable code and the command number", () => {
  const table: [string, string, string][] = [
    ["", "?", ErrorCode.Malformed],
    ["7", "7", ErrorCode.UnknownCommand],
    ["9:x", "9", ErrorCode.UnknownCommand],
    ["hello", "?", ErrorCode.UnknownCommand],
    ["33:0:x", "33", ErrorCode.UnknownCommand],
    ["0x", "?", ErrorCode.UnknownCommand],
    ["0:", "0", ErrorCode.InvalidName],
    ["0::pw", "0", ErrorCode.InvalidName],
    ["0:a,b:pw", "0", ErrorCode.InvalidName],
    ["0:ada:pw:extra", "0", ErrorCode.InvalidName],
    ["0:ad\u0001a:pw", "0", ErrorCode.InvalidName],
    [`0:${"x".repeat(65)}:pw`, "0", ErrorCode.InvalidName],
    ["2:", "2", ErrorCode.InvalidName],
    ["2", "2", ErrorCode.InvalidName],
    ["2:a,b", "2", ErrorCode.InvalidName],
    ["2:room:pw:x", "2", ErrorCode.InvalidName],
    ["3", "3", ErrorCode.Malformed],
    ["3:", "3", ErrorCode.Malformed],
    ["3:0", "3", ErrorCode.Malformed],
    ["3:5:x", "3", ErrorCode.Malformed],
    ["3:a:x", "3", ErrorCode.Malformed],
    ["3:01:x", "3", ErrorCode.Malformed],
    ["3:4:hello", "3", ErrorCode.NoRecipients],
    ["3:4:5", "3", ErrorCode.NoRecipients],
    ["3:4:", "3", ErrorCode.NoRecipients],
    [`3:4:${"1:".repeat(257)}x`, "3", ErrorCode.TooManyRecipients],
    ["4:team", "4", ErrorCode.Malformed],
    ["4::x", "4", ErrorCode.InvalidName],
    ["5::1", "5", ErrorCode.InvalidName],
    ["5:team:1:x", "5", ErrorCode.Malformed],
    ["5:team:1::2", "5", ErrorCode.Malformed],
    [`5:team:${"1:".repeat(256)}1`, "5", ErrorCode.TooManyMembers],
  ];
  for (const [line, command, code] of table) {
    const got = decode(line);
    assert.equal(got.kind, "invalid", line);
    if (got.kind !== "invalid") continue;
    assertEquals([got.command, got.code], [command, code], line);
    assert.ok(got.reason.length > 0);
  }
});

Deno.test("decode: names that are not UTF-8 are refused, payloads are not decoded", () => {
  const badName = Uint8Array.from([...bytes("2:"), 0xff, 0xfe]);
  const refused = decodeClientLine(badName);
  assert.equal(refused.kind, "invalid");
  const raw = Uint8Array.from([...bytes("3:1:"), 0xff, 0x00, 0x3a, 0xc3]);
  const msg = decodeClientLine(raw);
  assert.equal(msg.kind, "send");
  if (msg.kind === "send") {
    assertEquals([...msg.payload], [0xff, 0x00, 0x3a, 0xc3]);
  }
});

Deno.test("decode: ids of 16 digits start the message instead", () => {
  const msg = decode("3:4:1:1234567890123456:x");
  assert.equal(msg.kind, "send-users");
  if (msg.kind === "send-users") {
    assertEquals(msg.to, [1]);
    assertEquals(new TextDecoder().decode(msg.payload), "1234567890123456:x");
  }
});

const name = fc.string({ minLength: 1, maxLength: 20 }).filter((s) =>
  // deno-lint-ignore no-control-regex
  !/[:,\u0000-\u001f\u007f]/.test(s) && new TextEncoder().encode(s).length <= 64
);
const password = fc.oneof(fc.constant(""), name);
const room = name.filter((s) => s !== "-1");
const id = fc.integer({ min: 0, max: 1e15 - 1 });
const payload = fc.uint8Array({ maxLength: 64 }).map((b) =>
  b.filter((x) => x !== 10)
);
const latin1 = new TextDecoder("latin1");
/** By the SPEC's rule, a 3:4 message cannot begin with an all-digit field. */
const usersPayload = payload.filter((p) => !/^\d+(:|$)/.test(latin1.decode(p)));

const clientMessage: fc.Arbitrary<ClientMessage> = fc.oneof(
  fc.record({ kind: fc.constant("login" as const), username: name, password }),
  fc.record({ kind: fc.constant("list-rooms" as const), password }),
  fc.record({ kind: fc.constant("join" as const), room, password }),
  fc.constant({ kind: "leave" as const }),
  fc.record({
    kind: fc.constant("send" as const),
    mode: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const),
    payload,
  }),
  fc.record({
    kind: fc.constant("send-users" as const),
    to: fc.array(id, { minLength: 1, maxLength: 10 }),
    payload: usersPayload,
  }),
  fc.record({ kind: fc.constant("send-group" as const), group: name, payload }),
  fc.record({
    kind: fc.constant("define-group" as const),
    group: name,
    members: fc.array(id, { maxLength: 10 }),
  }),
);

function comparable(msg: object): unknown {
  return JSON.parse(
    JSON.stringify(msg, (_k, v) => v instanceof Uint8Array ? [...v] : v),
  );
}

Deno.test("round trip: encode then decode gives back every client message", () => {
  fc.assert(
    fc.property(clientMessage, (msg) => {
      const line = encodeClientMessage(msg);
      assert.equal(line.at(-1), 10);
      assert.equal(
        line.indexOf(10),
        line.length - 1,
        "exactly one newline, at the end",
      );
      assertEquals(
        comparable(decodeClientLine(line.subarray(0, -1))),
        comparable(msg),
      );
    }),
    { numRuns: 2000 },
  );
});

const serverMessage: fc.Arbitrary<ServerMessage> = fc.oneof(
  fc.record({ kind: fc.constant("welcome" as const), id }),
  fc.record({
    kind: fc.constant("welcome" as const),
    id,
    udpSecret: fc.oneof(fc.stringMatching(/^[0-9a-f]{32}$/), name),
  }),
  fc.constant({ kind: "logged-out" as const }),
  fc.record({
    kind: fc.constant("room-list" as const),
    rooms: fc.array(fc.record({ name: room, count: fc.nat(10_000) }), {
      maxLength: 5,
    }),
  }),
  fc.record({ kind: fc.constant("joined" as const), id, room }),
  fc.record({ kind: fc.constant("left" as const), id }),
  fc.record({ kind: fc.constant("message" as const), from: id, payload }),
  fc.record({ kind: fc.constant("master" as const), id }),
  fc.record({
    kind: fc.constant("notice" as const),
    scope: fc.constantFrom("server", "room"),
    text: fc.string({ maxLength: 40 }).filter((s) => !s.includes("\n")),
  }),
  fc.record({
    kind: fc.constant("error" as const),
    command: fc.constantFrom("0", "1", "2", "3", "4", "5", "?"),
    code: fc.constantFrom(...Object.values(ErrorCode)),
    text: fc.string({ maxLength: 40 }).filter((s) => !s.includes("\n")),
  }),
);

Deno.test("round trip: encode then decode gives back every server message", () => {
  fc.assert(
    fc.property(serverMessage, (msg) => {
      const line = encodeServerMessage(msg);
      assert.equal(line.indexOf(10), line.length - 1);
      assertEquals(
        comparable(decodeServerLine(line.subarray(0, -1))),
        comparable(msg),
      );
    }),
    { numRuns: 2000 },
  );
});

Deno.test("decode: server notices, and what is not one", () => {
  const decode = (s: string) => decodeServerLine(new TextEncoder().encode(s));
  assertEquals(decode("8:server:restart at 10:00"), {
    kind: "notice",
    scope: "server",
    text: "restart at 10:00",
  });
  assertEquals(decode("8:room:"), { kind: "notice", scope: "room", text: "" });
  assertEquals(decode("8:later-scope:x"), {
    kind: "notice",
    scope: "later-scope",
    text: "x",
  });
  for (const bad of ["8:server", "8::text", "8:"]) {
    assertEquals(decode(bad).kind, "invalid", bad);
  }
});

Deno.test("decode: arbitrary bytes never throw", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 80 }), (line) => {
      decodeClientLine(line);
      decodeServerLine(line);
    }),
    { numRuns: 5000 },
  );
});
