/** RelayClient against a real server on port 0: requests, state, sends. */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { TableAuthenticator } from "../helpers/auth.ts";
import { collect, rawText, until } from "../helpers/incoming.ts";
import {
  InvalidArgumentError,
  LoginRefusedError,
  NotLoggedInError,
  payloadText,
  RefusedError,
  RelayClient,
} from "../../client/mod.ts";

/** A client of `t` that is closed before the server. */
async function clientOf(t: TestServer, name?: string) {
  const client = await RelayClient.connect({ port: t.port });
  if (name !== undefined) await client.login(name, "pw");
  return client;
}

Deno.test("client: login resolves to the session id and keeps it", async () => {
  await using t = await startServer();
  await using a = await clientOf(t);
  await using b = await clientOf(t);
  assertEquals(a.sessionId, null);
  const ida = await a.login("ada", "pw");
  const idb = await b.login("bob");
  assert.notEqual(ida, idb);
  assertEquals([a.sessionId, b.sessionId], [ida, idb]);
});

Deno.test("client: a refused login rejects with code login-refused and the connection stays usable", async () => {
  await using t = await startServer({
    auth: new TableAuthenticator({ ada: "right" }),
  });
  await using a = await clientOf(t);
  const error = await a.login("ada", "wrong").catch((e) => e);
  assert.ok(error instanceof LoginRefusedError);
  assertEquals([error.code, a.sessionId], ["login-refused", null]);
  assertEquals(typeof await a.login("ada", "right"), "number");
});

Deno.test("client: join resolves with members and master; state follows 2: and 4: lines", async () => {
  await using t = await startServer();
  await using a = await clientOf(t, "ada");
  await using b = await clientOf(t, "bob");
  const first = await a.join("lobby");
  assertEquals(first, {
    room: "lobby",
    members: [a.sessionId!],
    master: a.sessionId!,
  });
  const aEvents = a.messages();
  const second = await b.join("lobby");
  assertEquals(second, {
    room: "lobby",
    members: [a.sessionId!, b.sessionId!],
    master: a.sessionId!,
  });
  assertEquals([b.room, b.members, b.master], [
    "lobby",
    second.members,
    a.sessionId,
  ]);
  await until(aEvents, new RegExp(`^2:${b.sessionId}:lobby$`));
  assertEquals(a.members, [a.sessionId!, b.sessionId!]);
  const bEvents = b.messages();
  await a.leave();
  assertEquals([a.room, a.members, a.master], [null, [], null]);
  await until(bEvents, new RegExp(`^4:${b.sessionId}$`));
  assertEquals([b.members, b.master], [[b.sessionId!], b.sessionId]);
});

Deno.test("client: refused requests reject with the server's code; the client stays where it was", async () => {
  await using t = await startServer();
  await using a = await clientOf(t, "ada");
  await using b = await clientOf(t, "bob");
  await a.join("den", "key");
  await b.join("hall");
  const wrong = await b.join("den", "nope").catch((e) => e);
  assert.ok(wrong instanceof RefusedError);
  assertEquals([wrong.code, wrong.command, b.room], [
    "wrong-password",
    "2",
    "hall",
  ]);
  const again = await b.join("hall").catch((e) => e);
  assertEquals(again.code, "already-in-room");
  await b.leave();
  const notIn = await b.leave().catch((e) => e);
  assertEquals([notIn instanceof RefusedError, notIn.code], [
    true,
    "not-in-room",
  ]);
});

Deno.test("client: listRooms shows public rooms, and private ones for their password", async () => {
  await using t = await startServer();
  await using a = await clientOf(t, "ada");
  await using b = await clientOf(t, "bob");
  await a.join("den", "key");
  await b.join("lobby");
  assertEquals(await b.listRooms(), [{ name: "lobby", count: 1 }]);
  assertEquals(await b.listRooms("key"), [
    { name: "den", count: 1 },
    { name: "lobby", count: 1 },
  ]);
});

Deno.test("client: every send mode delivers payloads as bytes, strings and binary alike", async () => {
  await using t = await startServer();
  await using a = await clientOf(t, "ada");
  await using b = await clientOf(t, "bob");
  await a.join("r");
  await b.join("r");
  const aEvents = a.messages();
  const bEvents = b.messages();
  const binary = Uint8Array.from([0xff, 0x00, 0x3a, 0xc3, 0x28]);
  await a.sendToOthers("zero");
  await a.sendToAll("one");
  await a.sendToOthersOrdered("two");
  await a.sendToAllOrdered(binary);
  await a.send(0, "four:with:colons");
  const id = a.sessionId;
  const messages = await collect(
    bEvents,
    5,
    ({ message }) => message.kind === "message" ? message : undefined,
  );
  assertEquals(messages.map((m) => m.from), Array(5).fill(id));
  const got = messages.map((m) => payloadText(m.payload));
  const bytes = messages.map((m) => m.payload);
  assertEquals([got[0], got[1], got[2], got[4]], [
    "zero",
    "one",
    "two",
    "four:with:colons",
  ]);
  assertEquals([...bytes[3]!], [...binary]);
  const own = await until(aEvents, new RegExp(`^3:${id}:one$`));
  assertEquals(own.at(-1), `3:${id}:one`, "3:1 includes the sender");
});

Deno.test("client: sendTo reaches users anywhere; unknown ids come back as an error event", async () => {
  await using t = await startServer();
  await using a = await clientOf(t, "ada");
  await using b = await clientOf(t, "bob");
  await b.join("elsewhere");
  const bEvents = b.messages();
  const aEvents = a.messages();
  await a.sendTo([b.sessionId!], "psst");
  assertEquals((await until(bEvents, /^3:/)).at(-1), `3:${a.sessionId}:psst`);
  await a.sendTo([b.sessionId!, 999], "who");
  const lines = await until(aEvents, /^9:/);
  assert.match(lines.at(-1)!, /^9:3:unknown-recipients:.*999/);
});

Deno.test("client: groups are defined, sent to, and unknown ones are refused as events", async () => {
  await using t = await startServer();
  await using a = await clientOf(t, "ada");
  await using b = await clientOf(t, "bob");
  await using c = await clientOf(t, "cy");
  const bEvents = b.messages();
  const cEvents = c.messages();
  const aEvents = a.messages();
  await a.defineGroup("team", [b.sessionId!, c.sessionId!]);
  await a.sendToGroup("team", "go");
  assertEquals((await until(bEvents, /^3:/)).at(-1), `3:${a.sessionId}:go`);
  assertEquals((await until(cEvents, /^3:/)).at(-1), `3:${a.sessionId}:go`);
  await a.defineGroup("team", []);
  await a.sendToGroup("team", "gone");
  assert.match((await until(aEvents, /^9:/)).at(-1)!, /^9:4:unknown-group:/);
});

Deno.test("client: bad arguments are refused before anything is sent", async () => {
  await using t = await startServer();
  await using a = await clientOf(t, "ada");
  const sent: string[] = [];
  a.onSent((line) => sent.push(new TextDecoder().decode(line)));
  const bad = [
    () => a.sendToAll("two\nlines"),
    () => a.sendToAll("ends with\r"),
    () => a.sendTo([], "x"),
    () => a.sendTo([1.5], "x"),
    () => a.sendTo([1], "12:30 starts like an id"),
    () => a.join("a:b"),
    () => a.join("-1"),
    () => a.login("bad,name"),
    () => a.defineGroup("", [1]),
    () => a.sendToGroup("g:x", "m"),
    () => a.sendToAll("x".repeat(70_000)),
    () => a.sendRaw("1:\n2:lobby"),
    // deno-lint-ignore no-explicit-any
    () => a.send(4 as any, "x"),
  ];
  for (const call of bad) {
    await assert.rejects(call(), InvalidArgumentError, call.toString());
  }
  assertEquals(sent, []);
  assertEquals(await a.listRooms(), [], "the connection is fine");
});

Deno.test("client: before login, sends are refused locally and requests by the server", async () => {
  await using t = await startServer();
  await using a = await clientOf(t);
  await assert.rejects(a.sendToAll("x"), NotLoggedInError);
  await assert.rejects(a.listRooms(), NotLoggedInError);
  await assert.rejects(a.join("lobby"), NotLoggedInError);
});

Deno.test("client: pipelined requests each get their own answer", async () => {
  await using t = await startServer();
  await using a = await clientOf(t);
  const [id, join, rooms, left, rejoin] = await Promise.all([
    a.login("ada"),
    a.join("one"),
    a.listRooms(),
    a.leave(),
    a.join("two"),
  ]);
  assertEquals(join, { room: "one", members: [id], master: id });
  assertEquals(rooms, [{ name: "one", count: 1 }]);
  assertEquals(left, undefined);
  assertEquals(rejoin.room, "two");
  assertEquals(a.room, "two");
});

Deno.test("client: raw lines are sent verbatim and their answers never settle the library's requests", async () => {
  await using t = await startServer();
  await using a = await clientOf(t);
  const events = a.messages();
  // answered 0:-1 and 9:?: neither is the login's answer
  await a.sendRaw("3:0:too early");
  await a.sendRaw("hello");
  const id = await a.login("ada");
  await a.sendRaw("2:lobby");
  await a.sendRaw("2:bad,name");
  await a.sendRaw("1:");
  const rooms = await a.listRooms();
  assertEquals(rooms, [{ name: "lobby", count: 1 }]);
  await a.sendRaw("2:-1");
  const join = await a.join("den");
  assertEquals(join.members, [id]);
  const lines = await until(events, new RegExp(`^2:${id}:den$`));
  lines.push(...await until(events, /^4:/));
  // the login reply may carry a UDP secret: 0:id:secret
  assert.match(lines[2]!, new RegExp(`^0:${id}(:\\w+)?$`));
  lines[2] = `0:${id}`;
  assertEquals(lines.slice(0, 3), [
    "0:-1",
    "9:?:unknown-command:unknown command",
    `0:${id}`,
  ]);
  assertEquals(lines.slice(3, 5), [`2:${id}:lobby`, `4:${id}`]);
  assert.match(lines[5]!, /^9:2:invalid-name:/);
  assertEquals(lines.slice(6), [
    "1:lobby-1",
    "1:lobby-1",
    `2:${id}:`,
    `2:${id}:den`,
    `4:${id}`,
  ]);
});

Deno.test("client: onMessage sees every line until unsubscribed", async () => {
  await using t = await startServer();
  await using a = await clientOf(t);
  const seen: string[] = [];
  const stop = a.onMessage((incoming) => seen.push(rawText(incoming)));
  const id = await a.login("ada");
  await a.join("r");
  stop();
  await a.listRooms();
  assert.match(seen[0]!, new RegExp(`^0:${id}(:\\w+)?$`));
  assertEquals(seen.slice(1), [`2:${id}:r`, `4:${id}`]);
});

Deno.test("client: a slow iterator pauses reading but loses nothing", async () => {
  // above the server's message rate limit, which would drop some
  await using t = await startServer({
    limits: { maxMessagesPerSecond: 100_000, messageBurst: 100_000 },
  });
  const a = await RelayClient.connect({
    port: t.port,
    limits: { maxBufferedMessages: 2 },
  });
  await using _a = a;
  await using b = await clientOf(t, "bob");
  await a.login("ada");
  await a.join("r");
  await b.join("r");
  const events = a.messages();
  const count = 500;
  for (let i = 0; i < count; i++) b.sendToOthers(`m${i}`);
  const got = await collect(
    events,
    count,
    ({ message }) =>
      message.kind === "message" ? payloadText(message.payload) : undefined,
  );
  assertEquals(got, Array.from({ length: count }, (_, i) => `m${i}`));
});
